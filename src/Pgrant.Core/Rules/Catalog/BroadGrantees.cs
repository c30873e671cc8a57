using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// Shared by PGR006 and PGR007: whose ACL entry counts as a broad grant, and the REVOKE that removes
/// it. An entry counts when revoking it takes the bits away from an audited role: its grantee is an
/// audited role, PUBLIC, or a group some audited role inherits from; and the grantee is neither a
/// superuser nor a role with the owner's privileges (either keeps every bit whatever the entry says).
/// One instance per Check call caches the per-grantee answer, so the cost follows ACL entries.
/// </summary>
internal sealed class BroadGrantees(AuditContext context)
{
    private readonly Dictionary<uint, bool> _reachesAudited = [];

    public bool Counts(AclEntry entry, ISecurable obj)
    {
        var roles = context.Access.Roles;
        if (entry.IsPublic) return context.AuditedRoles.Any(r => !r.IsSuperuser && !roles.HasPrivilegesOf(r.Oid, obj.Owner));
        if (roles.IsSuperuser(entry.Grantee) || roles.HasPrivilegesOf(entry.Grantee, obj.Owner)) return false;
        if (!_reachesAudited.TryGetValue(entry.Grantee, out var reaches))
            _reachesAudited[entry.Grantee] = reaches = roles.Heirs(entry.Grantee).Any(h => context.IsAudited(h) && !roles.IsSuperuser(h));
        return reaches;
    }

    /// <summary>The audited roles (by name) that hold the entry's bits through it: the grantee itself, or its audited heirs.</summary>
    public string Through(AclEntry entry) =>
        entry.IsPublic ? "every role (PUBLIC)"
        : context.IsAudited(entry.Grantee) ? context.RoleName(entry.Grantee)
        : $"{context.RoleName(entry.Grantee)}, inherited by {string.Join(", ", context.Access.Roles.Heirs(entry.Grantee).Where(context.IsAudited).Select(context.RoleName).Order(StringComparer.Ordinal))}";

    /// <summary>
    /// REVOKE of <paramref name="bits"/> from the entry's grantee, as its grantor (a REVOKE removes only
    /// what the current role granted; the owner's grants are revoked by a superuser or the owner).
    /// </summary>
    public RevokePrivileges Revoke(AclEntry entry, ISecurable obj, Privilege bits, string reason) =>
        new(bits, [context.Ref(obj)], [entry.IsPublic ? Grantee.Public : context.RoleName(entry.Grantee)], reason,
            Grantor: entry.Grantor == obj.Owner ? null : context.RoleName(entry.Grantor));

    /// <summary>
    /// A caution when the grantee passed the bits on with the grant option: the plain REVOKE then fails
    /// with "dependent privileges exist", and CASCADE would silently revoke them from those roles too.
    /// </summary>
    public ImmutableArray<Note> DependentGrants(AclEntry entry, ISecurable obj, Privilege bits)
    {
        if (entry.IsPublic || !obj.Acl.Entries.Any(e => e.Grantor == entry.Grantee && e.Grantee != entry.Grantee && (e.Privileges & bits) != 0))
            return [];
        return [Note.Caution($"{context.RoleName(entry.Grantee)} granted some of these on WITH GRANT OPTION: the REVOKE fails while those grants exist; " +
            "add CASCADE to also revoke them from those roles, or re-grant them first from the owner.")];
    }
}
