using Pgrant.Core.Sql;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR005, one finding per (role, relation) and kind:
/// <list type="bullet">
/// <item>warning: the role may UPDATE or DELETE (table-level, or UPDATE on some column) but may
/// SELECT no column: a WHERE clause reads columns, so every filtered UPDATE/DELETE fails.</item>
/// <item>info: the role may INSERT into a table whose key is generated (a serial default calling
/// nextval(), or an identity column) but may not SELECT that column: INSERT … RETURNING id fails.</item>
/// </list>
/// Candidates come from ACL entries (table and column) of the relation, so roles that write only
/// through pg_write_all_data (every table of the cluster, by design) are not listed table by table.
/// </summary>
public sealed class WriteWithoutSelect : IAuditRule
{
    /// <summary>PGR005 (write-without-select): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR005", "write-without-select", Severity.Warning,
        "UPDATE or DELETE without SELECT (every WHERE fails); INSERT without SELECT on a generated key",
        "Reading a column in WHERE, RETURNING or SET expressions needs SELECT on it: a role that may UPDATE or DELETE but not SELECT can only change every row at once, and one that may INSERT but not SELECT the generated key cannot use RETURNING.");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    private const Privilege Write = Privilege.Update | Privilege.Delete;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var generated = GeneratedKeys(context.Snapshot);
        var candidates = new SortedSet<uint>();
        // Without column ACLs, whether a table has findings depends only on its ACL, kind and whether it
        // has generated keys: 100,000 tables share a few hundred ACLs, so an ACL found clean is not judged again.
        var clean = new HashSet<(AclList Acl, ObjectKind Kind, bool Keys)>();
        foreach (var table in context.Relations)
        {
            if (table.Kind is ObjectKind.Sequence or ObjectKind.MaterializedView) continue;
            var hasKeys = generated.Tables.Contains(table.Oid);
            var plain = table.Schema != PrivilegeRules.PgCatalogNamespace && !table.HasColumnAcls();
            if (plain && clean.Contains((table.Acl, table.Kind, hasKeys))) continue;
            var keys = hasKeys ? generated.Of(table) : [];
            candidates.Clear();
            var wanted = Write | (keys.Count > 0 ? Privilege.Insert : Privilege.None);
            AddCandidates(context, candidates, table.Acl, wanted, tableLevel: true);
            foreach (var c in table.Columns)
                if (!c.Acl.Entries.IsEmpty) AddCandidates(context, candidates, c.Acl, wanted, tableLevel: false);
            var found = false;
            foreach (var role in candidates)
                foreach (var f in Judge(context, table, role, keys))
                {
                    found = true;
                    yield return f;
                }
            if (plain && !found) clean.Add((table.Acl, table.Kind, hasKeys));
        }
    }

    private static IEnumerable<Finding> Judge(AuditContext context, Relation table, uint role, List<Column> keys)
    {
        // The common case, a writer that may also read the table, is settled by one check.
        if (context.Access.Mask(role, table, Privilege.Select) != Privilege.None) yield break;
        var held = RuleSupport.HeldEach(context, role, table, Write | Privilege.Insert);
        var name = context.RoleName(role);
        var display = context.Display(table);
        var columnsWithAcl = table.Columns.Where(c => !c.Acl.Entries.IsEmpty).ToList();
        bool ColumnAllows(Column c, Privilege p) => context.Access.DecideColumn(role, table, c, p).Allowed;
        var anySelect = columnsWithAcl.Any(c => ColumnAllows(c, Privilege.Select));

        var writes = held & Write;
        var updateColumn = writes == Privilege.None ? columnsWithAcl.FirstOrDefault(c => ColumnAllows(c, Privilege.Update)) : null;
        if ((writes != Privilege.None || updateColumn is not null) && !anySelect)
        {
            var decision = updateColumn is null
                ? context.Access.Decide(role, table, writes)
                : context.Access.DecideColumn(role, table, updateColumn, Privilege.Update);
            var target = Target(role, decision);
            var what = updateColumn is null ? SqlWriter.PrivilegeList(writes) : $"UPDATE ({SqlNames.Ident(updateColumn.Name)})";
            yield return context.At(Rule, table, role,
                $"{name} may {what} on {display}{Via(context, role, target)} but may SELECT no column of it: every UPDATE or DELETE with a WHERE clause " +
                $"(or RETURNING) reads columns and fails with \"permission denied for table {table.Name}\"; only statements on all rows work.",
                [new GrantPrivileges(Privilege.Select, context.Ref(table), context.RoleName(target),
                    $"{Rule.Id}: a WHERE clause (or RETURNING) of {name}'s {what} reads columns of {display}")]);
        }

        if (keys.Count == 0) yield break;
        var insertColumn = (held & Privilege.Insert) != 0 ? null : columnsWithAcl.FirstOrDefault(c => ColumnAllows(c, Privilege.Insert));
        if ((held & Privilege.Insert) == 0 && insertColumn is null) yield break;
        var unreadable = keys.Where(k => !ColumnAllows(k, Privilege.Select)).ToList();
        if (unreadable.Count == 0) yield break;
        var insert = insertColumn is null
            ? context.Access.Decide(role, table, Privilege.Insert)
            : context.Access.DecideColumn(role, table, insertColumn, Privilege.Insert);
        var holder = Target(role, insert);
        var cols = string.Join(", ", unreadable.Select(k => SqlNames.Ident(k.Name)));
        yield return context.At(Rule, table, role,
            $"{name} may INSERT into {display}{Via(context, role, holder)}, whose {cols} {(unreadable.Count == 1 ? "is" : "are")} generated, but may not SELECT {(unreadable.Count == 1 ? "it" : "them")}: " +
            $"INSERT … RETURNING {cols} (the usual way to learn the new key) fails with \"permission denied for table {table.Name}\".",
            [new GrantPrivileges(Privilege.Select, [context.Ref(table)], [context.RoleName(holder)],
                $"{Rule.Id}: INSERT … RETURNING reads the generated key of {display}", Columns: unreadable.Select(k => k.Name).ToValueList())],
            Severity.Info);
    }

    // The grant goes where the write privilege came from: the group it was granted to, else the role.
    private static uint Target(uint role, AccessDecision decision) =>
        decision.Source == AccessSource.Membership && decision.Holder is { } holder ? holder : role;

    private static string Via(AuditContext context, uint role, uint target) =>
        target == role ? "" : $" (through {context.RoleName(target)}, which the fix targets)";

    private static void AddCandidates(AuditContext context, SortedSet<uint> candidates, AclList acl, Privilege wanted, bool tableLevel)
    {
        foreach (var e in acl.Entries)
        {
            // A table-level entry that gives SELECT along with the write gives every heir SELECT on
            // all columns: no finding there. (A column's SELECT may miss the generated key.)
            if ((e.Privileges & wanted) == 0 || (tableLevel && (e.Privileges & Privilege.Select) != 0)) continue;
            if (e.IsPublic) { candidates.UnionWith(context.AuditedRoles.Select(r => r.Oid)); continue; }
            foreach (var heir in context.Access.Roles.Heirs(e.Grantee))
                if (context.IsAudited(heir)) candidates.Add(heir);
        }
    }

    /// <summary>
    /// The columns filled by a sequence — a default calling nextval() (serial) or identity — as a set;
    /// a table's list is made only for the tables a rule judges.
    /// </summary>
    private sealed class Generated
    {
        public readonly HashSet<uint> Tables = [];
        private readonly HashSet<ColumnRef> _columns = [];

        public Generated(CatalogSnapshot snapshot)
        {
            foreach (var seq in snapshot.Sequences)
                foreach (var use in seq.UsedByDefaults)
                    if (snapshot.RelationByOid(use.Relation)?.ColumnByNumber(use.Column) is not null && _columns.Add(use)) Tables.Add(use.Relation);
            foreach (var rel in snapshot.Relations)
                foreach (var col in rel.Columns)
                    if (col.IsIdentity && _columns.Add(new ColumnRef(rel.Oid, col.Number))) Tables.Add(rel.Oid);
        }

        /// <summary>The table's generated columns in column order.</summary>
        public List<Column> Of(Relation table) => [.. table.Columns.Where(c => _columns.Contains(new ColumnRef(table.Oid, c.Number)))];
    }

    private static Generated GeneratedKeys(CatalogSnapshot snapshot) => new(snapshot);
}
