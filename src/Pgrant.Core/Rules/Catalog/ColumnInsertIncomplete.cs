using Pgrant.Core.Sql;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR015: a role may INSERT only some columns of a table (column-level grants, no table-level
/// INSERT) and those leave out a NOT NULL column that has no default, is no identity and is not
/// generated. Every INSERT then fails: leaving the column out violates NOT NULL (23502), naming it
/// is denied (42501). Column NOT NULL is what the snapshot knows; a NOT NULL domain is not seen,
/// and domain-typed columns are skipped (their domain may supply a default the snapshot lacks).
/// </summary>
public sealed class ColumnInsertIncomplete : IAuditRule
{
    /// <summary>PGR015 (column-insert-incomplete): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR015", "column-insert-incomplete", Severity.Error,
        "Column-level INSERT leaves out a NOT NULL column without a default",
        "A role that may INSERT only some columns must supply every NOT NULL column without a default; when one of those is not among them, every INSERT fails with a not-null violation (or permission denied when it names the column).");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var access = context.Access;
        // The reader pins search_path to pg_catalog, so format_type names every user type schema-qualified.
        var domains = context.Snapshot.Types.Where(t => t.Kind == ObjectKind.Domain).Select(context.Display).ToHashSet(StringComparer.Ordinal);
        foreach (var table in context.Relations)
        {
            // Foreign tables are left out: the server does not enforce their NOT NULL on insert, the remote side decides.
            if (table.Kind is not (ObjectKind.Table or ObjectKind.PartitionedTable)) continue;
            // A domain-typed column may take its domain's default, which the snapshot does not hold: not judged.
            var required = table.Columns.Where(c => c.NotNull && !c.HasDefault && !domains.Contains(c.TypeName)).ToList();
            if (required.Count == 0) continue;
            var candidates = ColumnInserters(context, table);
            if (candidates.Count == 0) continue;
            var name = context.Display(table);
            foreach (var role in candidates)
            {
                if (access.Decide(role, table, Privilege.Insert).Allowed) continue;
                var allowed = table.Columns
                    .Select(c => (Column: c, Decision: access.DecideColumn(role, table, c, Privilege.Insert)))
                    .Where(x => x.Decision.Allowed)
                    .ToList();
                if (allowed.Count == 0) continue;
                var allowedNumbers = allowed.Select(x => x.Column.Number).ToHashSet();
                var missing = required.Where(c => !allowedNumbers.Contains(c.Number)).ToList();
                if (missing.Count == 0) continue;
                // The fix goes where the column grants went: the group whose grant this role inherits.
                var first = allowed[0].Decision;
                var grantee = first.Source is AccessSource.Membership ? first.Holder!.Value : role;
                var via = grantee == role ? "" : $" (through {context.RoleName(grantee)}, which the fix targets)";
                var missingNames = string.Join(", ", missing.Select(c => SqlNames.Ident(c.Name)));
                yield return context.At(Rule, table, role,
                    $"{context.RoleName(role)} may INSERT only column{(allowed.Count == 1 ? "" : "s")} {string.Join(", ", allowed.Select(x => SqlNames.Ident(x.Column.Name)))} of {name}{via}, " +
                    $"but {missingNames} {(missing.Count == 1 ? "is" : "are")} NOT NULL without a default: every INSERT fails — leaving {(missing.Count == 1 ? "it" : "them")} out " +
                    "violates NOT NULL (23502), naming " + (missing.Count == 1 ? "it" : "them") + " is denied (42501).",
                    [new GrantPrivileges(Privilege.Insert, [context.Ref(table)], [context.RoleName(grantee)],
                        $"{Rule.Id}: every INSERT into {name} must supply {missingNames}", Columns: missing.Select(c => c.Name).ToValueList())]);
            }
        }
    }

    /// <summary>
    /// Audited roles that some column's own ACL gives INSERT: the grantees' heirs (every audited role
    /// for PUBLIC), so the cost follows the column grants, not the number of roles.
    /// </summary>
    private static SortedSet<uint> ColumnInserters(AuditContext context, Relation table)
    {
        var roles = new SortedSet<uint>();
        foreach (var column in table.Columns)
        {
            foreach (var e in column.Acl.Entries)
            {
                if ((e.Privileges & Privilege.Insert) == 0) continue;
                if (e.IsPublic)
                {
                    roles.UnionWith(context.AuditedRoles.Select(r => r.Oid));
                    return roles;
                }
                roles.UnionWith(context.Access.Roles.Heirs(e.Grantee).Where(context.IsAudited));
            }
        }
        return roles;
    }
}
