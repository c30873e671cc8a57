using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR006: UPDATE on a sequence that feeds a column (a column default's nextval(), an OWNED BY serial
/// column, or an identity column), held by an audited non-owner role through an ACL entry — usually
/// from GRANT ALL. nextval() needs only USAGE; UPDATE adds setval(), which can move the sequence back
/// onto keys already used. Sequences that feed no column are exempt: code that calls setval() on a
/// free-standing counter does so on purpose, and no key can be wrecked by it.
/// </summary>
public sealed class BroadSequenceGrant : IAuditRule
{
    /// <summary>PGR006 (broad-sequence-grant): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR006", "broad-sequence-grant", Severity.Warning,
        "UPDATE on a key sequence where USAGE suffices",
        "UPDATE on a sequence allows setval(), which can rewind a key sequence into values already used; nextval() needs only USAGE.");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var grantees = new BroadGrantees(context);
        foreach (var rel in context.Relations)
        {
            if (rel.Kind != ObjectKind.Sequence) continue;
            var seq = context.Snapshot.SequenceByOid(rel.Oid);
            if (seq is null || (seq.UsedByDefaults.IsEmpty && seq.OwnedBy is null)) continue;
            foreach (var entry in rel.Acl.Entries)
            {
                if ((entry.Privileges & Privilege.Update) == 0 || !grantees.Counts(entry, rel)) continue;
                yield return Finding(context, grantees, rel, seq, entry);
            }
        }
    }

    private static Finding Finding(AuditContext context, BroadGrantees grantees, Relation rel, Sequence seq, AclEntry entry)
    {
        var name = context.Display(rel);
        var grantee = entry.IsPublic ? null : context.RoleName(entry.Grantee);
        var fix = ImmutableArray.CreateBuilder<SqlStatement>();
        // USAGE first, so nextval() never stops working between the two statements.
        var hasUsage = (entry.Privileges & Privilege.Usage) != 0 || context.Access.Decide(entry.Grantee, rel, Privilege.Usage).Allowed;
        if (!hasUsage)
            fix.Add(new GrantPrivileges(Privilege.Usage, context.Ref(rel), grantee, $"{Rule.Id}: USAGE is all nextval() needs on {name}"));
        fix.Add(grantees.Revoke(entry, rel, Privilege.Update, $"{Rule.Id}: UPDATE on {name} allows setval(), which can rewind the key sequence"));
        var feeds = seq.IsIdentity ? "the identity column" : seq.OwnedBy is not null ? "the serial column" : "the column default";
        var column = seq.OwnedBy ?? seq.UsedByDefaults[0];
        var table = context.Snapshot.RelationByOid(column.Relation);
        var columnName = table?.ColumnByNumber(column.Column)?.Name;
        var where = table is null || columnName is null ? "" : $" {context.Display(table)}.{SqlNames.Ident(columnName)}";
        return context.At(Rule, rel, entry.IsPublic ? null : entry.Grantee,
            $"{grantees.Through(entry)} may UPDATE sequence {name}, which feeds {feeds}{where}: UPDATE allows setval(), which can rewind the sequence " +
            $"into keys already used (duplicate-key errors on the next inserts); nextval() needs only USAGE.",
            fix.ToImmutable(), notes: grantees.DependentGrants(entry, rel, Privilege.Update));
    }
}
