using System.Collections.Immutable;

namespace Pgrant.Core.Acl;

/// <summary>What an ACL cell or literal says, before looking at its items.</summary>
public enum AclState
{
    /// <summary>Explicit entries (an aclitem, an array with items, or a psql cell with items).</summary>
    Items,
    /// <summary>The catalog value is NULL: the built-in default applies (owner all, PUBLIC per kind).</summary>
    Default,
    /// <summary>The empty array {} (psql 17+ prints "(none)"): nobody holds anything, not even the owner.</summary>
    Empty,
    /// <summary>A blank psql cell from psql 16 or older: NULL (default) or {} (nobody); psql cannot tell them apart.</summary>
    DefaultOrEmpty,
}

/// <summary>
/// One ACL as read from user input: a lone item or array literal (no object), or one object of a
/// pasted psql listing (\l, \dp / \z, \ddp, \dn+ …). <see cref="Object"/> is SQL-quoted
/// (<c>public.descriptions</c>, <c>app."Mixed Case".a</c>); <see cref="KindLabel"/> is psql's word
/// ("table", "materialized view", "database", "column", "default privileges for tables").
/// For \ddp rows <see cref="IsDefaultPrivileges"/> is true and <see cref="Kind"/> is the kind of
/// the future objects; <see cref="Owner"/> is the owner column when the listing has one.
/// </summary>
/// <param name="Object">The object, SQL-quoted, or null for a bare literal.</param>
/// <param name="KindLabel">psql's word for the object's kind, or null.</param>
/// <param name="Kind">The object's kind (of the future objects, for default privileges), when known.</param>
/// <param name="Owner">The owner column of the listing, when it has one.</param>
/// <param name="State">What the ACL says before its items: items, default, empty, or blank.</param>
/// <param name="Items">The aclitems, in listing order.</param>
/// <param name="IsDefaultPrivileges">A \ddp row: the ACL future objects get, not an object's own.</param>
public sealed record AclListing(
    string? Object,
    string? KindLabel,
    ObjectKind? Kind,
    string? Owner,
    AclState State,
    ImmutableArray<AclItem> Items,
    bool IsDefaultPrivileges = false)
{
    /// <summary>A listing of bare aclitems, with no object: <see cref="AclState.Empty"/> when there are none.</summary>
    public static AclListing FromItems(ImmutableArray<AclItem> items) =>
        new(null, null, null, null, items.IsEmpty ? AclState.Empty : AclState.Items, items);
}
