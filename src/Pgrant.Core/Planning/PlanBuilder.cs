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
/// schema changes last.
/// <para>
/// Statements about the same subject keep the order they were given in, whatever their phases: privileges
/// on one object (a table and its columns are one subject; a statement run as another role also shares its
/// objects' schemas, whose USAGE that role needs to name them), one default ACL (creator, schema, object type),
/// and role memberships (all of them: a grant may have to wait for the revoke that breaks a membership loop).
/// The order within a subject can matter: a table-level REVOKE also revokes the privilege on every column, so a
/// column grant given after it must stay after it; a grant made with a grant option must follow the grant of
/// that option, and a revoke must precede the revoke of the option it was made with. Merging never moves a
/// statement across another one about the same subject. So an ordered input (a diff) stays valid, and an input
/// without such pairs is ordered by phase alone.
/// </para>
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
        return [.. Order(items).Select(item => item.Reasons.Count == 1 ? item.Statement : item.Statement with { Reason = JoinReasons(item.Reasons) })];
    }

    /// <summary>
    /// What a statement changes whose order relative to other statements on the same thing matters: each object
    /// of a privilege statement (its columns included) and, when it runs as another role, their schemas (that
    /// role needs USAGE to name them); the default ACL of a default-privileges statement; the memberships of the
    /// cluster for a role grant or revoke. Other statements have none.
    /// </summary>
    public static IEnumerable<object> Subjects(SqlStatement statement) => statement switch
    {
        GrantPrivileges g => g.Objects.Select(ObjectSubject).Concat(g.Grantor is null ? [] : SchemaSubjects(g.Objects)),
        RevokePrivileges r => r.Objects.Select(ObjectSubject).Concat(r.Grantor is null ? [] : SchemaSubjects(r.Objects)),
        GrantDefaultPrivileges d => [(nameof(DefaultObjectType), d.Creator, d.Schema, d.On)],
        RevokeDefaultPrivileges d => [(nameof(DefaultObjectType), d.Creator, d.Schema, d.On)],
        GrantRole or RevokeRole => [nameof(GrantRole)],
        _ => [],
    };

    private static object ObjectSubject(SqlObject o) => (SqlWriter.OnKeyword(o.Kind), o.Schema, o.Name, o.Arguments);

    // A statement run as another role (SET ROLE) names its objects as that role, which needs USAGE on their
    // schema: it keeps its order relative to the statements on that schema.
    private static IEnumerable<object> SchemaSubjects(ValueList<SqlObject> objects) =>
        objects.Where(o => o.Schema is not null).Select(o => ObjectSubject(SqlObject.Bare(ObjectKind.Schema, o.Schema!)));

    // A stable sort by phase in which an item never passes an earlier item about one of its subjects: the next
    // item is the one of the lowest phase (then the earliest) among those whose earlier same-subject items are out.
    private static IEnumerable<Item> Order(List<Item> items)
    {
        var chains = new Dictionary<object, Queue<int>>();
        var subjects = new object[items.Count][];
        var waiting = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            subjects[i] = [.. Subjects(items[i].Statement).Distinct()];
            foreach (var s in subjects[i])
            {
                if (!chains.TryGetValue(s, out var chain)) chains[s] = chain = new Queue<int>();
                if (chain.Count > 0) waiting[i]++;
                chain.Enqueue(i);
            }
        }
        var ready = new PriorityQueue<int, (int, int)>();
        for (var i = 0; i < items.Count; i++)
            if (waiting[i] == 0) ready.Enqueue(i, (Phase(items[i].Statement), i));
        while (ready.TryDequeue(out var i, out _))
        {
            yield return items[i];
            foreach (var s in subjects[i])
            {
                var chain = chains[s];
                chain.Dequeue();
                if (chain.Count > 0 && --waiting[chain.Peek()] == 0)
                    ready.Enqueue(chain.Peek(), (Phase(items[chain.Peek()].Statement), chain.Peek()));
            }
        }
    }

    // Tracks, per subject, the position of the last item about it, so a merge into an earlier item can check that
    // no item about one of the merged statement's subjects lies between the two.
    private sealed class SubjectPositions
    {
        private readonly Dictionary<object, int> _last = [];

        public bool NothingAfter(SqlStatement statement, int position) =>
            Subjects(statement).All(s => !_last.TryGetValue(s, out var last) || last <= position);

        public void Record(SqlStatement statement, int position)
        {
            foreach (var s in Subjects(statement))
                _last[s] = Math.Max(_last.GetValueOrDefault(s, -1), position);
        }
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

    // Equal statements (same effect) once, at the first place, with every distinct reason — unless a statement
    // about the same subject lies between them (a diff may grant an option, revoke it, and grant it again).
    private static List<Item> Deduplicate(IEnumerable<SqlStatement> statements)
    {
        var index = new Dictionary<SqlStatement, int>();
        var list = new List<Item>();
        var positions = new SubjectPositions();
        foreach (var s in statements)
        {
            var item = new Item(s, [s.Reason]);
            if (index.TryGetValue(s, out var first) && positions.NothingAfter(s, first)) list[first].Absorb(item);
            else
            {
                index[s] = list.Count;
                positions.Record(s, list.Count);
                list.Add(item);
            }
        }
        return list;
    }

    // GRANT SELECT ON t TO r and GRANT INSERT ON t TO r are GRANT INSERT, SELECT ON t TO r (same for REVOKE),
    // unless a statement about the same object lies between them.
    private static List<Item> MergePrivileges(List<Item> items) => Merge(items,
        statement => statement switch
        {
            GrantPrivileges g => (typeof(GrantPrivileges), g.Objects, g.Grantees, g.Columns, g.WithGrantOption, g.Grantor),
            RevokePrivileges r => (typeof(RevokePrivileges), r.Objects, r.Grantees, r.Columns, r.GrantOptionOnly, r.Cascade, r.Grantor),
            _ => null,
        },
        (earlier, later) => (earlier, later) switch
        {
            (GrantPrivileges e, GrantPrivileges g) => e with { Privileges = e.Privileges | g.Privileges },
            (RevokePrivileges e, RevokePrivileges r) => e with { Privileges = e.Privileges | r.Privileges },
            _ => null,
        });

    // Object-level statements that differ only in their objects (of one GRANT keyword) become one, up to
    // MaxObjectsPerStatement objects each, unless a statement about one of the later statement's objects lies
    // between them. Column statements name one table and are left alone.
    private static List<Item> MergeObjects(List<Item> items) => Merge(items,
        statement => statement switch
        {
            GrantPrivileges { Columns.IsEmpty: true } g =>
                (typeof(GrantPrivileges), g.Privileges, SqlWriter.OnKeyword(g.Objects[0].Kind), g.Grantees, g.WithGrantOption, g.Grantor),
            RevokePrivileges { Columns.IsEmpty: true } r =>
                (typeof(RevokePrivileges), r.Privileges, SqlWriter.OnKeyword(r.Objects[0].Kind), r.Grantees, r.GrantOptionOnly, r.Cascade, r.Grantor),
            _ => null,
        },
        (earlier, later) =>
        {
            if (Objects(earlier).Count + Objects(later).Count > MaxObjectsPerStatement) return null;
            var objects = Objects(earlier).Concat(Objects(later)).Distinct().ToValueList();
            return earlier switch
            {
                GrantPrivileges g => g with { Objects = objects },
                RevokePrivileges r => r with { Objects = objects },
                _ => null,
            };
        });

    // One merging pass: a statement joins the last earlier one of the same key when nothing about its subjects
    // lies between them and `combine` takes both (null: it does not).
    private static List<Item> Merge(List<Item> items, Func<SqlStatement, object?> key, Func<SqlStatement, SqlStatement, SqlStatement?> combine)
    {
        var result = new List<Item>(items.Count);
        var at = new Dictionary<object, int>();
        var positions = new SubjectPositions();
        foreach (var item in items)
        {
            var k = key(item.Statement);
            if (k is not null && at.TryGetValue(k, out var i) && positions.NothingAfter(item.Statement, i)
                && combine(result[i].Statement, item.Statement) is { } merged)
            {
                result[i].Statement = merged;
                result[i].Absorb(item);
                positions.Record(item.Statement, i);
                continue;
            }
            if (k is not null) at[k] = result.Count;
            positions.Record(item.Statement, result.Count);
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
