using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR007: TRUNCATE, REFERENCES, TRIGGER or (17+) MAINTAIN on a table-like relation, held by an
/// audited non-owner role through an ACL entry — typically left by a blanket GRANT ALL. An
/// application needs none of them: TRUNCATE empties the table past DELETE triggers and row security,
/// REFERENCES lets the role pin the table with foreign keys, TRIGGER runs the role's code on other
/// roles' writes, MAINTAIN (17+) runs VACUUM, ANALYZE, CLUSTER, REINDEX, REFRESH and LOCK.
/// Any of the bits counts, not only the full GRANT ALL set: a deliberate grant (an ETL role that
/// truncates) is a reason to exclude the rule or the role.
/// </summary>
public sealed class BroadTableGrant : IAuditRule
{
    /// <summary>PGR007 (broad-table-grant): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR007", "broad-table-grant", Severity.Warning,
        "Non-owner role holds TRUNCATE, REFERENCES, TRIGGER or MAINTAIN",
        "TRUNCATE, REFERENCES, TRIGGER and MAINTAIN are owner-grade powers an application does not need; they usually come from GRANT ALL.");

    private const Privilege Broad = Privilege.Truncate | Privilege.References | Privilege.Trigger | Privilege.Maintain;

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var grantees = new BroadGrantees(context);
        foreach (var rel in context.Relations)
        {
            if (rel.Kind == ObjectKind.Sequence) continue;
            foreach (var entry in rel.Acl.Entries)
            {
                var bits = entry.Privileges & Broad;
                if (bits == Privilege.None || !grantees.Counts(entry, rel)) continue;
                var looksAll = (entry.Privileges & Privileges.All(rel.Kind, context.Snapshot.Version.Major)) == Privileges.All(rel.Kind, context.Snapshot.Version.Major);
                var from = looksAll ? " (the entry holds every table privilege: a GRANT ALL)" : "";
                yield return context.At(Rule, rel, entry.IsPublic ? null : entry.Grantee,
                    $"{grantees.Through(entry)} may {SqlWriter.PrivilegeList(bits)} on {AuditContext.KindWord(rel.Kind)} {context.Display(rel)}{from}: " +
                    "an application needs none of these, and they let it empty the table past triggers and row security, pin it with foreign keys, " +
                    "run its own triggers or maintenance on it.",
                    [grantees.Revoke(entry, rel, bits, $"{Rule.Id}: an application needs none of {SqlWriter.PrivilegeList(bits)} on {context.Display(rel)}")],
                    notes: grantees.DependentGrants(entry, rel, bits));
            }
        }
    }
}
