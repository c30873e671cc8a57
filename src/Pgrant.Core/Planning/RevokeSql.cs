using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Acl;

namespace Pgrant.Core.Planning;

/// <summary>
/// Writes REVOKE statements that remove one ACL entry's bits. A REVOKE only removes what the
/// issuing role granted (a superuser's REVOKE counts as the owner's), and GRANTED BY on objects
/// must name the current user on every supported version, so an entry granted by someone other
/// than the owner is revoked under SET ROLE to that grantor.
/// </summary>
public static class RevokeSql
{
    /// <summary>REVOKE privs ON KIND target FROM grantee; <paramref name="target"/> is already quoted SQL.</summary>
    public static string Revoke(Privilege privileges, ObjectKind kind, string target, string? grantee) =>
        $"REVOKE {GrantSql.PrivilegeList(privileges)} ON {GrantSql.OnKeyword(kind)} {target} FROM {SqlNames.Grantee(grantee)};";

    /// <summary>
    /// The REVOKE, wrapped in SET ROLE grantor / RESET ROLE when <paramref name="grantor"/> is not the
    /// object's owner (<paramref name="grantorIsOwner"/> false).
    /// </summary>
    public static ImmutableArray<string> RevokeEntry(Privilege privileges, ObjectKind kind, string target, string? grantee, string grantor, bool grantorIsOwner)
    {
        var revoke = Revoke(privileges, kind, target, grantee);
        return grantorIsOwner ? [revoke] : [$"SET ROLE {SqlNames.Ident(grantor)};", revoke, "RESET ROLE;"];
    }
}
