namespace Pgrant.Core.Acl;

/// <summary>
/// One resolved ACL entry in a catalog snapshot: role OIDs instead of names.
/// <see cref="Grantee"/> 0 means PUBLIC. A grantee or grantor OID that is not a role in the
/// snapshot is a dropped role (the server prints it as a number).
/// </summary>
public readonly record struct AclEntry(uint Grantee, uint Grantor, Privilege Privileges, Privilege Grantable)
{
    public const uint Public = 0;
    public bool IsPublic => Grantee == Public;
}

/// <summary>
/// An object's ACL as the server would evaluate it. <see cref="IsDefault"/> is true when the
/// catalog column was NULL and the entries were expanded to the built-in default
/// (acldefault); an explicitly empty ACL ({}) has no entries and IsDefault false.
/// </summary>
/// <remarks>
/// Equality compares <see cref="Entries"/> by identity (ImmutableArray's equality): cheap, and exact
/// for the lists of one snapshot, where the reader shares one list per distinct ACL text. Audits key
/// caches on it — 100,000 tables typically carry a few hundred distinct ACLs.
/// </remarks>
public sealed record AclList(System.Collections.Immutable.ImmutableArray<AclEntry> Entries, bool IsDefault)
{
    public static readonly AclList Empty = new(System.Collections.Immutable.ImmutableArray<AclEntry>.Empty, false);
}
