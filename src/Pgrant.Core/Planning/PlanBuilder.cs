using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Planning;

/// <summary>
/// Arranges statements from many sources (findings, diagnoses, a state diff) into one plan that runs:
/// equal statements once (their reasons joined), statements merged where the server takes them as one
/// without widening anything (<c>GRANT USAGE ON SEQUENCE a, b, c TO r</c>: the same privileges, grantees,
/// grant option and grantor, on objects of one GRANT keyword), and ordered by phase so each runs: roles
/// and owners first, grants before revokes (a USAGE granted before the UPDATE it replaces is revoked),
/// schema changes last. Within a phase the given order is kept, so an ordered input (a diff that grants
/// along grant-option chains) stays valid.
/// </summary>
public static class PlanBuilder
{
    /// <summary>At most this many objects in one merged statement, so a plan stays readable and each statement small.</summary>
    public const int MaxObjectsPerStatement = 500;

    /// <summary>The statements de-duplicated, merged and ordered.</summary>
    public static ImmutableArray<SqlStatement> Arrange(IEnumerable<SqlStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var items = MergeObjects(MergePrivileges(Deduplicate(statements)));
        // A stable sort by phase: OrderBy keeps the input order of equal keys.
        return [.. items.Select((item, i) => (item, i)).OrderBy(x => Phase(x.item.Statement)).ThenBy(x => x.i)
            .Select(x => x.item.Reasons.Count == 1 ? x.item.Statement : x.item.Statement with { Reason = JoinReasons(x.item.Reasons) })];
    }

    // A statement of the plan being built, with the reasons of every statement merged into it.
    private sealed class Item(SqlStatement statement, IEnumerable<string> reasons)
    {
        public SqlStatement Statement = statement;
        public readonly List<string> Reasons = [.. reasons];

        public void Absorb(Item other)
        {
            foreach (var r in other.Reasons)
                if (!Reasons.Contains(r)) Reasons.Add(r);
        }
    }

    /// <summary>The phase a statement runs in; lower runs first.</summary>
    public static int Phase(SqlStatement statement) => statement switch
    {
        CreateRole => 0,
        AlterRoleAttributes or SetRoleParameter => 1,
        AlterOwner => 2,
        GrantRole => 3,
        GrantPrivileges => 4,
        GrantDefaultPrivileges => 5,
        SetRoutineParameter => 6,
        RevokePrivileges => 7,
        RevokeDefaultPrivileges => 8,
        RevokeRole => 9,
        SetRowLevelSecurity or CreatePolicy => 10,
        RenameObject => 11,
        _ => 12, // schema changes: column types, sequences, serial → identity
    };

    // Equal statements (same effect) once, at the first place, with every distinct reason.
    private static List<Item> Deduplicate(IEnumerable<SqlStatement> statements)
    {
        var index = new Dictionary<SqlStatement, Item>();
        var list = new List<Item>();
        foreach (var s in statements)
        {
            var item = new Item(s, [s.Reason]);
            if (index.TryGetValue(s, out var first)) first.Absorb(item);
            else
            {
                index.Add(s, item);
                list.Add(item);
            }
        }
        return list;
    }

    // GRANT SELECT ON t TO r and GRANT INSERT ON t TO r are GRANT INSERT, SELECT ON t TO r (same for REVOKE).
    private static List<Item> MergePrivileges(List<Item> items)
    {
        var result = new List<Item>(items.Count);
        var at = new Dictionary<object, Item>();
        foreach (var item in items)
        {
            object? key = item.Statement switch
            {
                GrantPrivileges g => (typeof(GrantPrivileges), g.Objects, g.Grantees, g.Columns, g.WithGrantOption, g.Grantor),
                RevokePrivileges r => (typeof(RevokePrivileges), r.Objects, r.Grantees, r.Columns, r.GrantOptionOnly, r.Cascade, r.Grantor),
                _ => null,
            };
            if (key is not null && at.TryGetValue(key, out var earlier))
            {
                earlier.Statement = (earlier.Statement, item.Statement) switch
                {
                    (GrantPrivileges e, GrantPrivileges g) => e with { Privileges = e.Privileges | g.Privileges },
                    (RevokePrivileges e, RevokePrivileges r) => e with { Privileges = e.Privileges | r.Privileges },
                    _ => throw new InvalidOperationException("merge of different statement types"),
                };
                earlier.Absorb(item);
                continue;
            }
            if (key is not null) at.Add(key, item);
            result.Add(item);
        }
        return result;
    }

    // Object-level statements that differ only in their objects (of one GRANT keyword) become one, up to
    // MaxObjectsPerStatement objects each. Column statements name one table and are left alone.
    private static List<Item> MergeObjects(List<Item> items)
    {
        var result = new List<Item>(items.Count);
        var at = new Dictionary<object, Item>();
        foreach (var item in items)
        {
            object? key = item.Statement switch
            {
                GrantPrivileges { Columns.IsEmpty: true } g =>
                    (typeof(GrantPrivileges), g.Privileges, SqlWriter.OnKeyword(g.Objects[0].Kind), g.Grantees, g.WithGrantOption, g.Grantor),
                RevokePrivileges { Columns.IsEmpty: true } r =>
                    (typeof(RevokePrivileges), r.Privileges, SqlWriter.OnKeyword(r.Objects[0].Kind), r.Grantees, r.GrantOptionOnly, r.Cascade, r.Grantor),
                _ => null,
            };
            if (key is not null && at.TryGetValue(key, out var earlier) && Objects(earlier.Statement).Count + Objects(item.Statement).Count <= MaxObjectsPerStatement)
            {
                var objects = Objects(earlier.Statement).Concat(Objects(item.Statement)).Distinct().ToValueList();
                earlier.Statement = earlier.Statement switch
                {
                    GrantPrivileges g => g with { Objects = objects },
                    RevokePrivileges r => r with { Objects = objects },
                    _ => throw new InvalidOperationException("merge of a statement without objects"),
                };
                earlier.Absorb(item);
                continue;
            }
            if (key is not null) at[key] = item;
            result.Add(item);
        }
        return result;
    }

    private static ValueList<SqlObject> Objects(SqlStatement s) => s switch
    {
        GrantPrivileges g => g.Objects,
        RevokePrivileges r => r.Objects,
        _ => [],
    };

    /// <summary>The distinct reasons of statements merged into one: up to three, then how many more.</summary>
    public static string JoinReasons(IReadOnlyList<string> reasons) =>
        reasons.Count <= 3 ? string.Join("; ", reasons) : $"{string.Join("; ", reasons.Take(3))}; and {reasons.Count - 3} more";
}
