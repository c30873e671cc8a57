using System.Collections.Immutable;

namespace Pgrant.Core.Acl;

/// <summary>One privilege of an item: its SQL name and letter, whether grantable, what it allows.</summary>
/// <param name="Privilege">The privilege.</param>
/// <param name="Letter">Its aclitem letter.</param>
/// <param name="Name">Its SQL name (SELECT, ALTER SYSTEM …).</param>
/// <param name="Grantable">Granted WITH GRANT OPTION ('*').</param>
/// <param name="Meaning">What it allows, in words (for the object's kind when known).</param>
/// <param name="LegalForKind">False when the object's kind cannot hold it (the server never stores it there).</param>
public sealed record PrivilegeExplanation(Privilege Privilege, char Letter, string Name, bool Grantable, string Meaning, bool LegalForKind);

/// <summary>
/// An aclitem in plain words. <see cref="Grantee"/> is "PUBLIC" or the role name;
/// <see cref="Grantor"/> is null when the text gave none. A role shown as a bare number is a
/// role the server could not find (dropped): <see cref="GranteeIsOid"/> / <see cref="GrantorIsOid"/>.
/// </summary>
/// <param name="Item">The aclitem explained.</param>
/// <param name="Kind">The object's kind, when known.</param>
/// <param name="Grantee">"PUBLIC" or the grantee role's name.</param>
/// <param name="IsPublic">The item grants to PUBLIC.</param>
/// <param name="GranteeIsOid">The grantee is a number: most likely a dropped role.</param>
/// <param name="Grantor">The grantor's name, or null when the text gave none.</param>
/// <param name="GrantorIsOid">The grantor is a number: most likely a dropped role.</param>
/// <param name="Privileges">Each privilege of the item, in the server's letter order.</param>
/// <param name="Summary">One sentence: who holds what, from whom, and whether they may pass it on.</param>
/// <param name="Notes">What is odd or worth knowing about the item, one sentence each.</param>
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
/// <param name="State">Which state the ACL is in.</param>
/// <param name="Kind">The object's kind, when known.</param>
/// <param name="Summary">What the state means, in words.</param>
/// <param name="ImpliedItems">For a default ACL with a known owner, the entries acldefault() stands for; else empty.</param>
public sealed record AclStateExplanation(AclState State, ObjectKind? Kind, string Summary, ImmutableArray<AclItem> ImpliedItems);
