using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR016: a view whose owner lacks privileges on what the view reads. The server checks a view's
/// base relations as the view's owner, so every role granted the view is denied although its own
/// grant is in order. A security_invoker view (15+) is checked as the querying role instead: then
/// each audited role granted the view must hold the base privileges itself.
///
/// What is checked follows the server: SELECT on each column the view names (table-level SELECT
/// covers them; a relation none of whose columns is named, as in count(*), needs SELECT on any
/// column); for INSERT/UPDATE/DELETE granted on a view over exactly one relation (an automatically
/// updatable view), the same privilege on that relation (for INSERT/UPDATE, a column grant on some
/// named column is taken as enough: which columns a statement writes is not known here).
/// </summary>
public sealed class ViewOwnerLacksBase : IAuditRule
{
    /// <summary>PGR016 (view-owner-lacks-base): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR016", "view-owner-lacks-base", Severity.Error,
        "View owner (or, for security_invoker views, the querying role) lacks privileges on the view's base tables",
        "The server checks a view's base tables with its owner's privileges, so users granted the view are denied when the owner lacks them; security_invoker views (PostgreSQL 15+) check the querying role instead.");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    private static readonly Privilege[] Operations = [Privilege.Select, Privilege.Insert, Privilege.Update, Privilege.Delete];

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        foreach (var view in context.Relations)
        {
            if (view.Kind != ObjectKind.View || view.ViewReferences.IsEmpty) continue;
            var bases = Bases(context.Snapshot, view);
            if (bases.Count == 0) continue;
            // Who uses the view, per operation: audited roles only, so the audit judges what they hit.
            // Holders are shared per ACL and unexplained; only a security_invoker view needs the decision.
            var users = new List<(Privilege Op, uint Role)>();
            foreach (var op in Operations)
            {
                if (op != Privilege.Select && bases.Count != 1) continue;
                foreach (var role in context.Access.Holders(view, op))
                    if (context.IsAudited(role)) users.Add((op, role));
            }
            if (users.Count == 0) continue;

            if (!view.SecurityInvoker)
            {
                var ops = users.Select(u => u.Op).Distinct().ToList();
                var needs = Missing(context, view.Owner, bases, ops);
                if (needs.Count == 0) continue;
                var affected = users.Select(u => context.RoleName(u.Role)).Distinct().Order(StringComparer.Ordinal).ToList();
                yield return context.At(Rule, view, view.Owner,
                    $"view {context.Display(view)} reads {Names(context, bases)} with the privileges of its owner {context.RoleName(view.Owner)}, who lacks {Lacks(needs)}: " +
                    $"{string.Join(", ", affected)} {(affected.Count == 1 ? "is" : "are")} denied (\"permission denied for table …\") although granted the view.",
                    [.. needs.Select(n => n.Fix(context, context.RoleName(view.Owner), $"{Rule.Id}: view {context.Display(view)} reads {n.Target} as its owner"))]);
                continue;
            }
            foreach (var group in users.GroupBy(u => u.Role).OrderBy(g => context.RoleName(g.Key), StringComparer.Ordinal))
            {
                var role = group.Key;
                var needs = Missing(context, role, bases, [.. group.Select(u => u.Op)]);
                if (needs.Count == 0) continue;
                // The fix goes where the view grant went: the group whose grant this role inherits.
                var use = context.Access.Decide(role, view, group.First().Op);
                var grantee = use.Source is AccessSource.Membership ? use.Holder!.Value : role;
                var via = grantee == role ? "" : $" (through {context.RoleName(grantee)}, which the fix targets)";
                yield return context.At(Rule, view, role,
                    $"view {context.Display(view)} is security_invoker: it reads {Names(context, bases)} with the privileges of the querying role, " +
                    $"and {context.RoleName(role)}{via}, granted the view, lacks {Lacks(needs)}: its queries of the view are denied.",
                    [.. needs.Select(n => n.Fix(context, context.RoleName(grantee), $"{Rule.Id}: the security_invoker view {context.Display(view)} reads {n.Target} as the querying role"))]);
            }
        }
    }

    /// <summary>Base relations (not sequences) with the column numbers the view names in each (0 = none named).</summary>
    private static List<(Relation Base, ImmutableArray<short> Columns)> Bases(CatalogSnapshot snapshot, Relation view)
    {
        var list = new List<(Relation, ImmutableArray<short>)>();
        foreach (var g in view.ViewReferences.GroupBy(r => r.Relation))
        {
            var rel = snapshot.RelationByOid(g.Key);
            if (rel is null || rel.Kind == ObjectKind.Sequence) continue;
            list.Add((rel, [.. g.Select(r => r.Column).Where(c => c > 0)]));
        }
        return list;
    }

    /// <summary>One privilege a role lacks on a base relation: on these columns, or table-level when Columns is empty.</summary>
    private sealed record Need(Privilege Privilege, Relation Base, string Target, ImmutableArray<string> Columns)
    {
        public GrantPrivileges Fix(AuditContext context, string grantee, string reason) =>
            new(Privilege, [context.Ref(Base)], [grantee], reason, Columns: Columns);

        public string Words => Columns.IsEmpty
            ? $"{SqlWriter.PrivilegeList(Privilege)} on {Target}"
            : $"{SqlWriter.PrivilegeList(Privilege)} on column{(Columns.Length == 1 ? "" : "s")} {string.Join(", ", Columns.Select(SqlNames.Ident))} of {Target}";
    }

    /// <summary>What <paramref name="role"/> lacks on the bases for <paramref name="ops"/>, in base order.</summary>
    private static List<Need> Missing(AuditContext context, uint role, List<(Relation Base, ImmutableArray<short> Columns)> bases, IReadOnlyCollection<Privilege> ops)
    {
        var access = context.Access;
        var needs = new List<Need>();
        foreach (var (rel, numbers) in bases)
        {
            var name = context.Display(rel);
            var columns = numbers.Select(n => rel.ColumnByNumber(n)).OfType<Column>().ToList();
            var tableLevel = Privilege.None;
            foreach (var op in ops)
            {
                if (access.Decide(role, rel, op).Allowed) continue;
                if (op == Privilege.Select && columns.Count > 0)
                {
                    var lacking = columns.Where(c => !access.DecideColumn(role, rel, c, op).Allowed).Select(c => c.Name).ToImmutableArray();
                    if (!lacking.IsEmpty) needs.Add(new Need(op, rel, name, lacking));
                    continue;
                }
                // No named column: any column grant serves count(*); for writes, some named column's grant is taken as enough.
                var pool = op == Privilege.Select || columns.Count == 0 ? rel.Columns.ToList() : columns;
                if (op != Privilege.Delete && pool.Any(c => access.DecideColumn(role, rel, c, op).Allowed)) continue;
                tableLevel |= op;
            }
            if (tableLevel != Privilege.None) needs.Add(new Need(tableLevel, rel, name, []));
        }
        return needs;
    }

    private static string Names(AuditContext context, List<(Relation Base, ImmutableArray<short> Columns)> bases) =>
        string.Join(", ", bases.Select(b => context.Display(b.Base)));

    private static string Lacks(List<Need> needs) => string.Join("; ", needs.Select(n => n.Words));
}
