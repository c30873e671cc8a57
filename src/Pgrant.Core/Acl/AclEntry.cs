namespace Pgrant.Core.Acl;

/// <summary>
/// One resolved ACL entry in a catalog snapshot: role OIDs instead of names.
/// <see cref="Grantee"/> 0 means PUBLIC. A grantee or grantor OID that is not a role in the
/// snapshot is a dropped role (the server prints it as a number).
/// </summary>
/// <param name="Grantee">The role OID the privileges are granted to; 0 (<see cref="Public"/>) for PUBLIC.</param>
/// <param name="Grantor">The role OID that granted them: the owner, or a holder of the grant option.</param>
/// <param name="Privileges">The privileges granted.</param>
/// <param name="Grantable">Those of <paramref name="Privileges"/> granted WITH GRANT OPTION: the grantee may grant them on.</param>
public readonly record struct AclEntry(uint Grantee, uint Grantor, Privilege Privileges, Privilege Grantable)
{
    /// <summary>The grantee OID that stands for PUBLIC, every role present and future.</summary>
    public const uint Public = 0;

    /// <summary>True when the entry grants to PUBLIC.</summary>
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
/// <param name="Entries">The entries in catalog order; the grants of one grantee by one grantor form one entry.</param>
/// <param name="IsDefault">True when the catalog ACL was NULL and the entries are the built-in default.</param>
public sealed record AclList(System.Collections.Immutable.ImmutableArray<AclEntry> Entries, bool IsDefault)
{
    /// <summary>An explicitly empty ACL (<c>{}</c>): nobody, not even the owner, holds a privilege through it.</summary>
    public static readonly AclList Empty = new(System.Collections.Immutable.ImmutableArray<AclEntry>.Empty, false);
}
