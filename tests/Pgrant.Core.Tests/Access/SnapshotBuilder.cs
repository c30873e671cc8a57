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
    private readonly List<Sequence> _sequences = [];
    private readonly List<TypeInfo> _types = [];
    private readonly List<Language> _languages = [];
    private readonly List<DefaultAcl> _defaultAcls = [];
    private string _currentDatabase = "app";

    /// <summary>The reading session's search_path (the snapshot's).</summary>
    public string SearchPath { get; set; } = "\"$user\", public";

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
        // initdb gives pg_catalog OID 11 on every version (PG_CATALOG_NAMESPACE); the evaluator relies on it.
        var s = new Schema(name == "pg_catalog" ? 11 : _nextOid++, name, owner, Acl(acl, ObjectKind.Schema, owner));
        _schemas.Add(s);
        return s;
    }

    public Relation Relation(Schema schema, string name, uint owner, string? acl = null, ObjectKind kind = ObjectKind.Table,
        params (string Name, string? Acl)[] columns)
    {
        var cols = columns.Select((c, i) => new Column((short)(i + 1), c.Name, "integer", false, false, '\0', '\0',
            c.Acl is null ? AclList.Empty : Acl(c.Acl, ObjectKind.Column, owner))).ToImmutableArray();
        var r = new Relation(_nextOid++, schema.Oid, name, kind, owner, Acl(acl, kind, owner), false, false, false, cols);
        _relations.Add(r);
        return r;
    }

    public Function Function(Schema schema, string name, uint owner, string? acl = null, ObjectKind kind = ObjectKind.Function, string arguments = "")
    {
        var f = new Function(_nextOid++, schema.Oid, name, arguments, kind, owner, Acl(acl, ObjectKind.Function, owner), false, [], "sql");
        _functions.Add(f);
        return f;
    }

    /// <summary>
    /// A sequence; with <paramref name="serialOf"/> it is the serial default of that table's column
    /// (the column gets the nextval() default and the sequence lists it, as the reader does).
    /// </summary>
    public Relation Sequence(Schema schema, string name, uint owner, string? acl = null, (Relation Table, string Column)? serialOf = null)
    {
        var rel = new Relation(_nextOid++, schema.Oid, name, ObjectKind.Sequence, owner, Acl(acl, ObjectKind.Sequence, owner), false, false, false, []);
        _relations.Add(rel);
        ImmutableArray<ColumnRef> users = [];
        ColumnRef? ownedBy = null;
        if (serialOf is { } use)
        {
            var table = _relations.Single(r => r.Oid == use.Table.Oid);
            var column = table.Columns.Single(c => c.Name == use.Column);
            var withDefault = column with { HasDefaultExpression = true, NotNull = true };
            _relations[_relations.IndexOf(table)] = table with { Columns = table.Columns.Replace(column, withDefault) };
            users = [new ColumnRef(table.Oid, column.Number)];
            ownedBy = users[0];
        }
        _sequences.Add(new Sequence(rel.Oid, "integer", 1, 1, 1, int.MaxValue, false, null, false, ownedBy, false, users));
        return rel;
    }

    /// <summary>The relation as it is now (a serial sequence rewrites its table's column default).</summary>
    public Relation Current(Relation r) => _relations.Single(x => x.Oid == r.Oid);

    public TypeInfo Type(Schema schema, string name, uint owner, string? acl = null, ObjectKind kind = ObjectKind.Type)
    {
        var t = new TypeInfo(_nextOid++, schema.Oid, name, kind, owner, Acl(acl, ObjectKind.Type, owner));
        _types.Add(t);
        return t;
    }

    public Language Language(string name, uint owner, string? acl = null)
    {
        var l = new Language(_nextOid++, name, owner, Acl(acl, ObjectKind.Language, owner), true);
        _languages.Add(l);
        return l;
    }

    /// <summary>ALTER DEFAULT PRIVILEGES FOR ROLE creator [IN SCHEMA schema] …: objectType r, S, f, T, n.</summary>
    public void DefaultAcl(uint creator, Schema? schema, char objectType, string acl) =>
        _defaultAcls.Add(new DefaultAcl(creator, schema?.Oid ?? 0, objectType, Acl(acl, ObjectKind.Table, creator)));

    public CatalogSnapshot Build()
    {
        if (_databases.Count == 0) Database("app", Bootstrap);
        return new CatalogSnapshot(new PgVersion(major * 10000 + 1), _currentDatabase, "postgres", SearchPath,
            [.. _roles], [.. _memberships], [.. _databases], [.. _schemas], [.. _relations], [.. _sequences],
            [.. _functions], [.. _types], [.. _languages], [.. _defaultAcls], []);
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
