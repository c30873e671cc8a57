using Pgrant.Core.Sql;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR001: a role may INSERT into a table whose column default calls nextval() on a sequence the
/// role cannot use — the classic sequence story's error, waiting for the first INSERT. Identity columns are immune
/// (the executor calls their sequence without a permission check), so only defaults count.
/// </summary>
public sealed class SequenceUsageMissing : IAuditRule
{
    /// <summary>PGR001 (sequence-usage-missing): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR001", "sequence-usage-missing", Severity.Error,
        "Role may INSERT but cannot call nextval() on the sequence behind a column default",
        "A serial column's default calls nextval() as the inserting role; without USAGE (or UPDATE) on the sequence every INSERT that leaves the column out fails with \"permission denied for sequence\".");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var snapshot = context.Snapshot;
        // Who may INSERT but not call nextval() depends only on the table's and the sequence's ACLs (and
        // kinds), which 100,000 serial tables share a few hundred of: the answer is kept per pair.
        var lacking = new Dictionary<(uint[] Inserters, AclList Sequence), uint[]>();
        foreach (var seq in snapshot.Sequences)
        {
            if (seq.UsedByDefaults.IsEmpty) continue;
            var seqRel = snapshot.RelationByOid(seq.Oid);
            if (seqRel is null) continue;
            foreach (var use in seq.UsedByDefaults)
            {
                var table = snapshot.RelationByOid(use.Relation);
                if (table is null || !context.InScope(table.Schema)) continue;
                var column = table.ColumnByNumber(use.Column);
                if (column is null) continue;
                var holders = ImmutableCollectionsMarshal.AsArray(context.Access.Holders(table, Privilege.Insert))!;
                var key = (holders, seqRel.Acl);
                // A sequence in pg_catalog is write-locked by where it is, not by its ACL: never shared.
                if (seqRel.Schema == PrivilegeRules.PgCatalogNamespace || !lacking.TryGetValue(key, out var roles))
                {
                    roles = [.. holders.Where(r => context.IsAudited(r) && !CanNextval(context, r, seqRel))];
                    if (seqRel.Schema != PrivilegeRules.PgCatalogNamespace) lacking.Add(key, roles);
                }
                foreach (var role in roles) yield return Finding(context, seqRel, table, column, role);
                if (table.HasColumnAcls(except: column.Number))
                    foreach (var role in ColumnInserters(context, table, column, holders))
                        if (!CanNextval(context, role, seqRel)) yield return Finding(context, seqRel, table, column, role);
            }
        }
    }

    private static Finding Finding(AuditContext context, Relation seqRel, Relation table, Column column, uint role)
    {
        var holder = Holder(context, role, table, column);
        var seqName = context.Display(seqRel);
        var target = holder ?? role;
        var via = target == role ? "" : $" (through {context.RoleName(target)}, which the fix targets)";
        return context.At(Rule, seqRel, role,
            $"{context.RoleName(role)} may INSERT into {context.Display(table)}{via} but cannot call nextval() on {seqName}, " +
            $"which the default of column {SqlNames.Ident(column.Name)} calls: every INSERT that leaves {SqlNames.Ident(column.Name)} out fails with " +
            $"\"permission denied for sequence {seqRel.Name}\".",
            [new GrantPrivileges(Privilege.Usage, context.Ref(seqRel), context.RoleName(target),
                $"{Rule.Id}: the default of {context.Display(table)}.{SqlNames.Ident(column.Name)} calls nextval({seqName}) as the inserting role")]);
    }

    // nextval needs USAGE or UPDATE: a non-zero mask is exactly DecideSequence(…).Allowed, without
    // building an explanation for each of the (typically all) roles that may call it.
    private static bool CanNextval(AuditContext context, uint role, Relation seqRel) =>
        context.Access.Mask(role, seqRel, Privilege.Usage | Privilege.Update) != Privilege.None;

    /// <summary>
    /// Audited roles without table-level INSERT (<paramref name="holders"/>) that may still INSERT a row
    /// leaving <paramref name="column"/> to its default: through column-level INSERT on some other column.
    /// </summary>
    private static IEnumerable<uint> ColumnInserters(AuditContext context, Relation table, Column column, uint[] holders)
    {
        HashSet<uint>? seen = null;
        foreach (var other in table.Columns)
        {
            if (other.Number == column.Number || other.Acl.Entries.IsEmpty) continue;
            seen ??= [.. holders];
            foreach (var role in context.AuditedRoles)
                if (!seen.Contains(role.Oid) && context.Access.DecideColumn(role.Oid, table, other, Privilege.Insert).Allowed && seen.Add(role.Oid))
                    yield return role.Oid;
        }
    }

    /// <summary>
    /// The role whose grant gave <paramref name="role"/> its INSERT when that is a group it inherits from
    /// (so the fix goes where the INSERT grant went); null when the role holds it itself. Explained only
    /// for the roles a finding is about.
    /// </summary>
    private static uint? Holder(AuditContext context, uint role, Relation table, Column column)
    {
        var d = context.Access.Decide(role, table, Privilege.Insert);
        if (!d.Allowed)
            d = table.Columns.Where(c => c.Number != column.Number && !c.Acl.Entries.IsEmpty)
                .Select(c => context.Access.DecideColumn(role, table, c, Privilege.Insert))
                .First(c => c.Allowed);
        return d.Source is AccessSource.Membership ? d.Holder : null;
    }
}
