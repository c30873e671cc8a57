using System.Collections.Immutable;

namespace Pgrant.Core.Acl;

/// <summary>One privilege of an item: its SQL name and letter, whether grantable, what it allows.</summary>
public sealed record PrivilegeExplanation(Privilege Privilege, char Letter, string Name, bool Grantable, string Meaning, bool LegalForKind);

/// <summary>
/// An aclitem in plain words. <see cref="Grantee"/> is "PUBLIC" or the role name;
/// <see cref="Grantor"/> is null when the text gave none. A role shown as a bare number is a
/// role the server could not find (dropped): <see cref="GranteeIsOid"/> / <see cref="GrantorIsOid"/>.
/// </summary>
public sealed record AclItemExplanation(
    AclItem Item,
    ObjectKind? Kind,
    string Grantee,
    bool IsPublic,
    bool GranteeIsOid,
    string? Grantor,
    bool GrantorIsOid,
    ImmutableArray<PrivilegeExplanation> Privileges,
    string Summary,
    ImmutableArray<string> Notes);

/// <summary>What a NULL, empty or blank ACL means for a kind, and the entries it stands for when known.</summary>
public sealed record AclStateExplanation(AclState State, ObjectKind? Kind, string Summary, ImmutableArray<AclItem> ImpliedItems);
