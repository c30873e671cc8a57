using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Access;

/// <summary>How a role came to hold a privilege (the first rule that answered, in the server's order).</summary>
public enum AccessSource
{
    /// <summary>Denied: nothing grants it.</summary>
    None,
    /// <summary>The role itself has rolsuper (membership in a superuser role does not count).</summary>
    Superuser,
    /// <summary>An ACL entry naming the role itself, which owns the object (owner rights are ordinary, revocable entries).</summary>
    Owner,
    /// <summary>An ACL entry naming the role itself.</summary>
    DirectGrant,
    /// <summary>An ACL entry for PUBLIC.</summary>
    Public,
    /// <summary>An ACL entry naming a role whose privileges this role has (see <see cref="AccessDecision.Path"/>).</summary>
    Membership,
    /// <summary>pg_read_all_data, pg_write_all_data or pg_maintain, reached through <see cref="AccessDecision.Path"/>.</summary>
    PredefinedRole,
    /// <summary>A large object while lo_compat_privileges is on: the server checks no large-object privilege.</summary>
    CompatibilitySetting,
}

/// <summary>Where a privilege is checked: on the object itself, or on one column's own ACL.</summary>
public enum AccessLevel
{
    /// <summary>The object's own ACL (a table's relacl, a schema's nspacl …), or ownership or superuser status.</summary>
    Object,
    /// <summary>The column's own ACL (pg_attribute.attacl): a column grant, which the table's ACL did not give.</summary>
    Column,
}

/// <summary>The structured reason for a denial, most specific first.</summary>
public enum DenialKind
{
    /// <summary>Allowed: no denial.</summary>
    None,
    /// <summary>The privilege does not exist for this kind of object or server version (the server raises an error).</summary>
    NotApplicable,
    /// <summary>A write to a system catalog (pg_catalog, not a view): only superusers, whatever the ACL says.</summary>
    SystemCatalog,
    /// <summary>The role owns the object (or has its owner's privileges) but the owner's own entry lacks the privilege: it was revoked.</summary>
    OwnerRevoked,
    /// <summary>Roles that hold it are ones this role is a member of, but some link of every chain does not inherit.</summary>
    NotInherited,
    /// <summary>Other roles hold it; this role is no member of any of them.</summary>
    NotGranted,
    /// <summary>No role holds it at all (only superusers may use it).</summary>
    NoGrant,
}

/// <summary>How the role of a <see cref="PathStep"/> was reached from the previous step.</summary>
public enum LinkKind
{
    /// <summary>The first step: the role being checked.</summary>
    Self,
    /// <summary>A pg_auth_members grant (<see cref="PathStep.Grant"/>).</summary>
    Grant,
    /// <summary>The implicit membership of the current database's owner in pg_database_owner (14+).</summary>
    DatabaseOwner,
}

/// <summary>One role on a membership path and the link that led to it.</summary>
/// <param name="Role">The role's OID.</param>
/// <param name="Name">The role's name.</param>
/// <param name="Link">How it was reached from the previous step.</param>
/// <param name="Grant">The pg_auth_members row of a <see cref="LinkKind.Grant"/> link, else null.</param>
public sealed record PathStep(uint Role, string Name, LinkKind Link, Membership? Grant);

/// <summary>A chain of roles from the checked role (first) to the role that holds the privilege (last).</summary>
/// <param name="Steps">The roles in order, the checked role first; never empty.</param>
public sealed record RolePath(ImmutableArray<PathStep> Steps)
{
    /// <summary>The OID of the checked role.</summary>
    public uint Start => Steps[0].Role;

    /// <summary>The OID of the role reached last, the one that holds the privilege.</summary>
    public uint End => Steps[^1].Role;

    /// <summary>The number of roles on the path, the checked role included (1 for the role alone).</summary>
    public int Length => Steps.Length;

    /// <summary>The role names in order.</summary>
    public IEnumerable<string> Names => Steps.Select(s => s.Name);

    /// <summary>The chain as people write it: <c>sdc → app_rw → owner</c>.</summary>
    public override string ToString() => string.Join(" → ", Names);
}

/// <summary>Why a membership link passes no privileges.</summary>
public enum BreakReason
{
    /// <summary>13–15: the member role has NOINHERIT, so none of its memberships pass privileges.</summary>
    MemberNoInherit,
    /// <summary>16+: this grant was made WITH INHERIT FALSE.</summary>
    GrantInheritFalse,
}

/// <summary>
/// A link of a membership chain that passes no privileges. <see cref="Grant"/> is the pg_auth_members
/// row (null for the implicit pg_database_owner link) and <see cref="GrantorName"/> its grantor's name.
/// </summary>
/// <param name="Member">The OID of the member role of the link.</param>
/// <param name="MemberName">Its name.</param>
/// <param name="Group">The OID of the role it is a member of.</param>
/// <param name="GroupName">Its name.</param>
/// <param name="Grant">The pg_auth_members row, or null for the implicit pg_database_owner link.</param>
/// <param name="GrantorName">The name of the role that granted the membership, or null.</param>
/// <param name="Reason">Why the link passes no privileges.</param>
public sealed record BrokenLink(uint Member, string MemberName, uint Group, string GroupName, Membership? Grant, string? GrantorName, BreakReason Reason);

/// <summary>A role that holds the privilege and that the checked role is a member of without inheriting from it.</summary>
/// <param name="MembershipPath">The membership chain from the checked role to the holder, inheriting or not.</param>
/// <param name="Break">The first link of that chain that does not inherit.</param>
public sealed record UninheritedHolder(RolePath MembershipPath, BrokenLink Break);

/// <summary>
/// The missing link of a denial. <see cref="Holders"/> are the roles (not PUBLIC) whose ACL entries
/// hold the privilege; <see cref="PredefinedHolders"/> the predefined roles whose members would
/// have it anyway (pg_read_all_data …). <see cref="Uninherited"/> lists those of both the role is a
/// member of without inheriting, each with the link that breaks.
/// </summary>
/// <param name="Kind">The reason, most specific first.</param>
/// <param name="Holders">The OIDs of the roles whose ACL entries hold the privilege.</param>
/// <param name="HolderNames">Their names, in the same order.</param>
/// <param name="PredefinedHolders">The predefined roles whose members hold it without an entry.</param>
/// <param name="Uninherited">The holders this role is a member of without inheriting, with the link that breaks.</param>
public sealed record Denial(
    DenialKind Kind,
    ImmutableArray<uint> Holders,
    ImmutableArray<string> HolderNames,
    ImmutableArray<string> PredefinedHolders,
    ImmutableArray<UninheritedHolder> Uninherited)
{
    /// <summary>No denial: what an allowed decision carries.</summary>
    public static readonly Denial None = new(DenialKind.None, [], [], [], []);
}

/// <summary>
/// The answer to "may <see cref="RoleName"/> use <see cref="Privilege"/> on the object", with the reason.
/// <see cref="Requested"/> is what was asked (any of its bits suffices, as in has_*_privilege); when
/// allowed, <see cref="Privilege"/> is the single privilege that granted it, else equal to Requested.
/// <see cref="Grantable"/> is independent of <see cref="Allowed"/>: the owner (and roles with the
/// owner's privileges) keeps implicit grant options even after revoking its own privilege.
/// </summary>
/// <param name="Role">The checked role's OID (0 for PUBLIC).</param>
/// <param name="RoleName">Its name ("PUBLIC" for 0).</param>
/// <param name="ObjectKind">The object's kind (of the table, for a column).</param>
/// <param name="ObjectOid">The object's OID (of the table, for a column).</param>
/// <param name="ObjectName">The object's name as people read it (schema-qualified).</param>
/// <param name="ColumnName">The column, for a column privilege; else null.</param>
/// <param name="Requested">The privileges asked about.</param>
/// <param name="Privilege">The single privilege that granted it, when allowed; else <paramref name="Requested"/>.</param>
/// <param name="Allowed">Whether the role may use it.</param>
/// <param name="Source">How the role came to hold it; <see cref="AccessSource.None"/> when denied.</param>
/// <param name="Level">Whether the object's ACL or the column's own ACL granted it.</param>
/// <param name="Path">The membership chain to the holder, for <see cref="AccessSource.Membership"/> and <see cref="AccessSource.PredefinedRole"/>; else null.</param>
/// <param name="Entry">The ACL entry that granted it, or null (superuser, predefined role, denial).</param>
/// <param name="EntryText"><paramref name="Entry"/> as aclitem text (<c>app_rw=r/owner</c>), or null.</param>
/// <param name="Grantable">Whether the role may grant the privilege to others (grant option, or the owner's rights).</param>
/// <param name="Denial">Why it was denied and who holds it instead; <see cref="Denial.None"/> when allowed.</param>
public sealed record AccessDecision(
    uint Role,
    string RoleName,
    ObjectKind ObjectKind,
    uint ObjectOid,
    string ObjectName,
    string? ColumnName,
    Privilege Requested,
    Privilege Privilege,
    bool Allowed,
    AccessSource Source,
    AccessLevel Level,
    RolePath? Path,
    AclEntry? Entry,
    string? EntryText,
    bool Grantable,
    Denial Denial)
{
    /// <summary>The role whose entry (or predefined-role rule) granted it: the end of the path, or the role itself.</summary>
    public uint? Holder => Source switch
    {
        AccessSource.Membership or AccessSource.PredefinedRole => Path!.End,
        AccessSource.Owner or AccessSource.DirectGrant or AccessSource.Superuser => Role,
        _ => null,
    };

    /// <summary>Plain words, one or two sentences, for people.</summary>
    public string Explanation() => AccessExplanation.Describe(this);
}

/// <summary>What a sequence function call needs (see docs/postgres-privileges.md).</summary>
public enum SequenceOperation
{
    /// <summary>nextval(): USAGE or UPDATE.</summary>
    Nextval,
    /// <summary>currval(): SELECT or USAGE.</summary>
    Currval,
    /// <summary>lastval(): SELECT or USAGE.</summary>
    Lastval,
    /// <summary>setval(): UPDATE.</summary>
    Setval,
}
