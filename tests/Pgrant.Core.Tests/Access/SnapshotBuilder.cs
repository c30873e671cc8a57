using Pgrant.Core.Access;
using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Tests.Access;

/// <summary>
/// Builds small catalog snapshots in memory for tests. ACLs are written as the server prints them
/// ("{owner=arwdDxt/owner,app=r/owner}"); null means a NULL catalog ACL (expanded to acldefault).
/// </summary>
internal sealed class SnapshotBuilder(int major)
{
    private uint _nextOid = 16384;
    private readonly List<Role> _roles = [];
    private readonly List<Membership> _memberships = [];
    private readonly List<Schema> _schemas = [];
    private readonly List<Relation> _relations = [];
    private readonly List<Function> _functions = [];
    private readonly List<Database> _databases = [];
    private string _currentDatabase = "app";

    public uint Bootstrap { get; } = 10;

    public SnapshotBuilder WithBootstrap()
    {
        _roles.Add(new Role(10, "postgres", true, true, true, true, true, true, false));
        if (major >= 14)
        {
            _roles.Add(new Role(6171, PredefinedRoles.DatabaseOwner, false, false, true, false, false, false, true));
            _roles.Add(new Role(6181, PredefinedRoles.ReadAllData, false, false, true, false, false, false, true));
            _roles.Add(new Role(6182, PredefinedRoles.WriteAllData, false, false, true, false, false, false, true));
        }
        if (major >= 17) _roles.Add(new Role(6337, PredefinedRoles.Maintain, false, false, true, false, false, false, true));
        return this;
    }

    public uint Role(string name, bool inherit = true, bool superuser = false, bool login = true)
    {
        var oid = _nextOid++;
        _roles.Add(new Role(oid, name, superuser, login, inherit, false, false, false, false));
        return oid;
    }

    public uint RoleOid(string name) => _roles.Single(r => r.Name == name).Oid;

    /// <summary>GRANT group TO member. On 16+ inherit defaults to the member's attribute, as the server does.</summary>
    public void Grant(uint group, uint member, bool? inherit = null, bool set = true, bool admin = false, uint grantor = 10)
    {
        var memberInherit = _roles.Single(r => r.Oid == member).Inherit;
        _memberships.Add(major >= 16
            ? new Membership(group, member, grantor, admin, inherit ?? memberInherit, set)
            : new Membership(group, member, grantor, admin, null, null));
    }

    public Database Database(string name, uint owner, string? acl = null, bool current = true)
    {
        var db = new Database(_nextOid++, name, owner, Acl(acl, ObjectKind.Database, owner), true, false);
        _databases.Add(db);
        if (current) _currentDatabase = name;
        return db;
    }

    public Schema Schema(string name, uint owner, string? acl = null)
    {
        var s = new Schema(_nextOid++, name, owner, Acl(acl, ObjectKind.Schema, owner));
        _schemas.Add(s);
        return s;
    }

    public Relation Relation(Schema schema, string name, uint owner, string? acl = null, ObjectKind kind = ObjectKind.Table,
        params (string Name, string? Acl)[] columns)
    {
        var cols = columns.Select((c, i) => new Column((short)(i + 1), c.Name, "integer", false, null, '\0', '\0',
            c.Acl is null ? AclList.Empty : Acl(c.Acl, ObjectKind.Column, owner))).ToImmutableArray();
        var r = new Relation(_nextOid++, schema.Oid, name, kind, owner, Acl(acl, kind, owner), false, false, false, cols);
        _relations.Add(r);
        return r;
    }

    public Function Function(Schema schema, string name, uint owner, string? acl = null)
    {
        var f = new Function(_nextOid++, schema.Oid, name, "", ObjectKind.Function, owner, Acl(acl, ObjectKind.Function, owner), false, [], "sql");
        _functions.Add(f);
        return f;
    }

    public CatalogSnapshot Build()
    {
        if (_databases.Count == 0) Database("app", Bootstrap);
        return new CatalogSnapshot(new PgVersion(major * 10000 + 1), _currentDatabase, "postgres", "public",
            [.. _roles], [.. _memberships], [.. _databases], [.. _schemas], [.. _relations], [],
            [.. _functions], [], [], [], []);
    }

    private AclList Acl(string? text, ObjectKind kind, uint owner)
    {
        if (text is null) return Privileges.Default(kind, owner, major);
        var entries = AclItem.ParseArray(text).Select(i => new AclEntry(
            i.Grantee is null ? AclEntry.Public : RoleOid(i.Grantee),
            i.Grantor is null ? Bootstrap : RoleOid(i.Grantor),
            i.Privileges, i.Grantable));
        return new AclList([.. entries], false);
    }
}
