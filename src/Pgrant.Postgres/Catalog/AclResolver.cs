using System.Collections.Immutable;
using System.Globalization;
using Pgrant.Core;
using Pgrant.Core.Acl;

namespace Pgrant.Postgres.Catalog;

/// <summary>
/// Turns ACL text read from the catalog into resolved <see cref="AclList"/>s, with role names mapped
/// to the OIDs of the roles read in the same snapshot. Catalogs with many objects repeat a handful
/// of distinct ACLs, so each distinct text is parsed once and its list shared (lists are immutable);
/// NULL ACLs are expanded once per (kind, owner).
/// </summary>
internal sealed class AclResolver(IReadOnlyDictionary<string, uint> roleOids, int major)
{
    private static readonly AclList ColumnNull = Privileges.Default(ObjectKind.Column, 0, 18);

    private readonly Dictionary<string, AclList> _byText = new(StringComparer.Ordinal);
    private readonly Dictionary<(ObjectKind, uint), AclList> _defaults = new();

    /// <summary>NULL → the built-in default for the kind (IsDefault); text → its entries (empty for {}).</summary>
    public AclList Resolve(string? aclText, ObjectKind kind, uint owner)
    {
        if (aclText is null)
        {
            if (kind == ObjectKind.Column) return ColumnNull;
            // acldefault() depends only on the acldefault kind code, so group kinds that share one.
            var key = (DefaultKey(kind), owner);
            if (!_defaults.TryGetValue(key, out var list))
            {
                list = Privileges.Default(kind, owner, major);
                _defaults.Add(key, list);
            }
            return list;
        }
        return Parse(aclText);
    }

    /// <summary>An ACL that is never expanded (pg_default_acl): NULL and {} both mean no entries.</summary>
    public AclList ResolveExplicit(string? aclText) => aclText is null ? AclList.Empty : Parse(aclText);

    private AclList Parse(string aclText)
    {
        if (_byText.TryGetValue(aclText, out var cached)) return cached;
        ImmutableArray<AclItem> items;
        try
        {
            items = AclItem.ParseArray(aclText);
        }
        catch (AclFormatException e)
        {
            throw new UnexpectedServerDataException(
                $"the server returned an ACL pgrant cannot read ({e.Message}): {aclText}",
                "please report this ACL text to the pgrant maintainers",
                e);
        }
        var entries = ImmutableArray.CreateBuilder<AclEntry>(items.Length);
        foreach (var item in items)
        {
            var grantee = item.Grantee is null ? AclEntry.Public : RoleOid(item.Grantee, aclText);
            var grantor = item.Grantor is null ? AclEntry.Public : RoleOid(item.Grantor, aclText);
            entries.Add(new AclEntry(grantee, grantor, item.Privileges, item.Grantable));
        }
        var list = new AclList(entries.MoveToImmutable(), false);
        _byText.Add(aclText, list);
        return list;
    }

    /// <summary>
    /// A name in ACL text is a role name, or the OID of a dropped role printed in digits (a role whose
    /// name is all digits prints the same way; the name wins, as it is the one that exists).
    /// </summary>
    private uint RoleOid(string name, string aclText)
    {
        if (roleOids.TryGetValue(name, out var oid)) return oid;
        if (name.Length > 0 && name.All(char.IsAsciiDigit)
            && uint.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var dropped))
            return dropped;
        // aclitemout looks names up in the catalog cache, which can see a role renamed after our snapshot.
        throw new PgrantException(
            $"role \"{name}\" named in ACL {aclText} is not among the roles read (roles changed during the read?)",
            "read the catalog again");
    }

    private static ObjectKind DefaultKey(ObjectKind kind) => kind switch
    {
        ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable or ObjectKind.PartitionedTable => ObjectKind.Table,
        ObjectKind.Procedure or ObjectKind.Aggregate => ObjectKind.Function,
        ObjectKind.Domain => ObjectKind.Type,
        _ => kind,
    };
}
