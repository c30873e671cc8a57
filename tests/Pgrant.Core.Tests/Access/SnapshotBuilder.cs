using Pgrant.Core.Access;
using System.Collections.Immutable;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Tests.Access;

/// <summary>
/// Builds small catalog snapshots in memory for tests. ACLs are written as the server prints them
/// ("{owner=arwdDxt/owner,app=r/owner}"); null means a NULL catalog ACL (expanded to acldefault).
/// Records are immutable: methods that change an object already built (a serial default, a column's
/// type, row security, a sequence's state) replace it, so use <see cref="Current"/> or their return
/// value to see the change.
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
    private readonly List<SecurableObject> _others = [];
    private readonly List<RoleFootprint> _footprints = [];
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

    public uint Role(string name, bool inherit = true, bool superuser = false, bool login = true, bool bypassRls = false)
    {
        var oid = _nextOid++;
        _roles.Add(new Role(oid, name, superuser, login, inherit, false, false, bypassRls, false));
        return oid;
    }

    /// <summary>A role with attributes (CREATEROLE, CREATEDB …) or a predefined one.</summary>
    public uint AttributedRole(string name, bool createRole = false, bool createDb = false, bool predefined = false, bool inherit = true)
    {
        var oid = _nextOid++;
        _roles.Add(new Role(oid, name, false, !predefined, inherit, createRole, createDb, false, predefined));
        return oid;
    }

    /// <summary>A foreign-data wrapper, foreign server or parameter ACL (large objects: <see cref="LargeObject"/>).</summary>
    public SecurableObject Other(ObjectKind kind, string name, uint owner, string? acl = null)
    {
        var o = new SecurableObject(kind, _nextOid++, name, owner, Acl(acl, kind, owner));
        _others.Add(o);
        return o;
    }

    /// <summary>What pg_shdepend says a role owns and is granted.</summary>
    public void Footprint(uint role, int owned, int ownedHere, int privileged, params string[] examples) =>
        _footprints.Add(new RoleFootprint(role, owned, ownedHere, privileged, [.. examples]));

    public uint RoleOid(string name) => _roles.Single(r => r.Name == name).Oid;

    /// <summary>GRANT group TO member. On 16+ inherit defaults to the member's attribute, as the server does.</summary>
    public void Grant(uint group, uint member, bool? inherit = null, bool set = true, bool admin = false, uint grantor = 10)
    {
        var memberInherit = _roles.Single(r => r.Oid == member).Inherit;
        _memberships.Add(major >= 16
            ? new Membership(group, member, grantor, admin, inherit ?? memberInherit, set)
            : new Membership(group, member, grantor, admin, null, null));
    }

    public Database Database(string name, uint owner, string? acl = null, bool current = true, bool allowConnections = true)
    {
        var db = new Database(_nextOid++, name, owner, Acl(acl, ObjectKind.Database, owner), allowConnections, false);
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

    /// <summary>
    /// The public schema as initdb makes it: 13–14 owned by the bootstrap superuser with CREATE and
    /// USAGE for PUBLIC; 15+ owned by pg_database_owner with USAGE only. Needs <see cref="WithBootstrap"/>.
    /// </summary>
    public Schema PublicSchema() => major >= 15
        ? Schema("public", RoleOid(PredefinedRoles.DatabaseOwner), "{pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}")
        : Schema("public", Bootstrap, "{postgres=UC/postgres,=UC/postgres}");

    public Relation Relation(Schema schema, string name, uint owner, string? acl = null, ObjectKind kind = ObjectKind.Table,
        params (string Name, string? Acl)[] columns)
    {
        var cols = columns.Select((c, i) => new Column((short)(i + 1), c.Name, "integer", false, false, '\0', '\0',
            c.Acl is null ? AclList.Empty : Acl(c.Acl, ObjectKind.Column, owner))).ToImmutableArray();
        var r = new Relation(_nextOid++, schema.Oid, name, kind, owner, Acl(acl, kind, owner), false, false, false, cols);
        _relations.Add(r);
        return r;
    }

    /// <summary>A function or procedure; <paramref name="config"/> is proconfig ("search_path=app, pg_temp").</summary>
    public Function Function(Schema schema, string name, uint owner, string? acl = null, ObjectKind kind = ObjectKind.Function, string arguments = "",
        bool securityDefiner = false, string[]? config = null)
    {
        var f = new Function(_nextOid++, schema.Oid, name, arguments, kind, owner, Acl(acl, ObjectKind.Function, owner), securityDefiner, [.. config ?? []], "sql");
        _functions.Add(f);
        return f;
    }

    /// <summary>
    /// A sequence; with <paramref name="serialOf"/> it is the serial default of that table's column
    /// (the column gets the nextval() default and the sequence lists it, as the reader does).
    /// Its range is <paramref name="dataType"/>'s unless <paramref name="min"/> / <paramref name="max"/>
    /// say otherwise (1 … type max ascending, type min … -1 descending, as CREATE SEQUENCE does);
    /// <paramref name="lastValue"/> null means never called, <paramref name="lastValueRead"/> false
    /// that the reader could not read its state.
    /// </summary>
    public Relation Sequence(Schema schema, string name, uint owner, string? acl = null, (Relation Table, string Column)? serialOf = null,
        string dataType = "integer", long increment = 1, long? min = null, long? max = null, bool cycle = false,
        long? lastValue = null, bool lastValueRead = true)
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
        var (typeMin, typeMax) = TypeRange(dataType);
        var lo = min ?? (increment > 0 ? 1 : typeMin);
        var hi = max ?? (increment > 0 ? typeMax : -1);
        _sequences.Add(new Sequence(rel.Oid, dataType, increment > 0 ? lo : hi, increment, lo, hi, cycle, lastValue, lastValue is not null,
            ownedBy, false, users, lastValueRead));
        return rel;
    }

    /// <summary>
    /// GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY on the table's column: the column becomes an
    /// identity column and gets a sequence of its type, owned by it (deptype 'i'), used by no default.
    /// </summary>
    public Relation IdentitySequence(Schema schema, string name, (Relation Table, string Column) of, string? acl = null, char identity = 'd', long? lastValue = null)
    {
        var table = Current(of.Table);
        var column = table.Columns.Single(c => c.Name == of.Column);
        SetColumn(table, of.Column, c => c with { Identity = identity, NotNull = true });
        var rel = new Relation(_nextOid++, schema.Oid, name, ObjectKind.Sequence, table.Owner, Acl(acl, ObjectKind.Sequence, table.Owner), false, false, false, []);
        _relations.Add(rel);
        var (_, typeMax) = TypeRange(column.TypeName);
        _sequences.Add(new Sequence(rel.Oid, column.TypeName, 1, 1, 1, typeMax, false, lastValue, lastValue is not null,
            new ColumnRef(table.Oid, column.Number), true, []));
        return rel;
    }

    /// <summary>DEFAULT nextval('sequence') on another column (a hand-written default, or one an inheritance child copies); no ownership.</summary>
    public void UseDefault(Relation sequence, Relation table, string column)
    {
        var c = SetColumn(table, column, c => c with { HasDefaultExpression = true }).Columns.Single(x => x.Name == column);
        SetSequence(sequence, s => s with { UsedByDefaults = [.. s.UsedByDefaults.Append(new ColumnRef(table.Oid, c.Number)).OrderBy(r => r.Relation).ThenBy(r => r.Column)] });
    }

    /// <summary>Changes the sequence facts of <paramref name="sequence"/> (OWNED BY, last value …).</summary>
    public Sequence SetSequence(Relation sequence, Func<Sequence, Sequence> change)
    {
        var i = _sequences.FindIndex(s => s.Oid == sequence.Oid);
        return _sequences[i] = change(_sequences[i]);
    }

    /// <summary>The column reference (table OID, attnum) of a column by name.</summary>
    public ColumnRef Ref(Relation table, string column) => new(table.Oid, Current(table).Columns.Single(c => c.Name == column).Number);

    /// <summary>Changes one column of a table (type, NOT NULL, default, identity, generated); returns the table as it is now.</summary>
    public Relation SetColumn(Relation table, string column, Func<Column, Column> change) =>
        Update(table, t =>
        {
            var c = t.Columns.Single(x => x.Name == column);
            return t with { Columns = t.Columns.Replace(c, change(c)) };
        });

    /// <summary>Changes a relation already built (row security, security_invoker …); returns it as it is now.</summary>
    public Relation Update(Relation relation, Func<Relation, Relation> change)
    {
        var i = _relations.FindIndex(r => r.Oid == relation.Oid);
        return _relations[i] = change(_relations[i]);
    }

    /// <summary>
    /// A view (or materialized view) whose query reads <paramref name="reads"/>: a column by name, or
    /// null for the relation as a whole (count(*)), as pg_depend records them for its _RETURN rule.
    /// </summary>
    public Relation View(Schema schema, string name, uint owner, string? acl = null, bool securityInvoker = false,
        ObjectKind kind = ObjectKind.View, params (Relation Base, string? Column)[] reads)
    {
        var refs = reads
            .Select(r => r.Column is null ? new ColumnRef(r.Base.Oid, 0) : Ref(r.Base, r.Column))
            .Distinct()
            .OrderBy(r => r.Relation).ThenBy(r => r.Column)
            .ToImmutableArray();
        var v = new Relation(_nextOid++, schema.Oid, name, kind, owner, Acl(acl, kind, owner), false, false, securityInvoker, [])
        {
            ViewReferences = refs,
        };
        _relations.Add(v);
        return v;
    }

    /// <summary>ALTER TABLE … ENABLE ROW LEVEL SECURITY (and FORCE ROW LEVEL SECURITY with <paramref name="force"/>).</summary>
    public Relation EnableRowSecurity(Relation table, bool force = false) =>
        Update(table, t => t with { RowSecurity = true, ForceRowSecurity = force });

    /// <summary>CREATE POLICY name ON table [AS RESTRICTIVE] FOR command TO roles; command is polcmd (r, a, w, d, *), role "PUBLIC" is 0.</summary>
    public Relation Policy(Relation table, string name, char command = '*', bool permissive = true, params string[] roles) =>
        Update(table, t => t with
        {
            Policies = t.Policies.Add(new Policy(name, command, permissive, [.. roles.Select(r => r == "PUBLIC" ? 0u : RoleOid(r))])),
        });

    /// <summary>The relation as it is now (a serial sequence rewrites its table's column default).</summary>
    public Relation Current(Relation r) => _relations.Single(x => x.Oid == r.Oid);

    private static (long Min, long Max) TypeRange(string type) => type switch
    {
        "smallint" => (short.MinValue, short.MaxValue),
        "integer" => (int.MinValue, int.MaxValue),
        "bigint" => (long.MinValue, long.MaxValue),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "a sequence is smallint, integer or bigint"),
    };

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

    /// <summary>lo_compat_privileges as the snapshot records it.</summary>
    public bool LargeObjectCompatPrivileges { get; set; }

    private readonly List<LargeObject> _largeObjects = [];

    /// <summary>lo_create(oid) owned by <paramref name="owner"/>; null ACL: the owner only (PUBLIC gets nothing).</summary>
    public LargeObject LargeObject(uint oid, uint owner, string? acl = null)
    {
        var lo = new LargeObject(oid, owner, Acl(acl, ObjectKind.LargeObject, owner));
        _largeObjects.Add(lo);
        return lo;
    }

    /// <summary>Adds a type record as given (an array or row type with its init-only links set).</summary>
    public TypeInfo AddType(TypeInfo type)
    {
        _types.Add(type);
        return type;
    }

    /// <summary>Replaces a type already built (to link it to its array type).</summary>
    public TypeInfo UpdateType(TypeInfo type, Func<TypeInfo, TypeInfo> change)
    {
        var i = _types.FindIndex(t => t.Oid == type.Oid);
        return _types[i] = change(_types[i]);
    }

    private readonly List<Trigger> _triggers = [];
    private readonly List<RoutineBody> _bodies = [];

    /// <summary>
    /// A PL/pgSQL trigger function (RETURNS trigger) with its body, as the reader reads a trigger's function:
    /// its pg_proc row and its prosrc.
    /// </summary>
    public Function TriggerFunction(Schema schema, string name, uint owner, string body, bool securityDefiner = false, string[]? config = null, string language = "plpgsql")
    {
        var f = new Function(_nextOid++, schema.Oid, name, "", ObjectKind.Function, owner, Acl(null, ObjectKind.Function, owner), securityDefiner, [.. config ?? []], language);
        _functions.Add(f);
        _bodies.Add(new RoutineBody(f.Oid, language, body));
        return f;
    }

    /// <summary>CREATE TRIGGER name {BEFORE|AFTER} events ON table FOR EACH ROW EXECUTE FUNCTION function(); type is tgtype, enabled tgenabled.</summary>
    public Trigger Trigger(Relation table, string name, Function function, short type = 1 | 4, char enabled = 'O')
    {
        var t = new Trigger(_nextOid++, table.Oid, name, function.Oid, type, enabled);
        _triggers.Add(t);
        return t;
    }

    /// <summary>The next free OID.</summary>
    public uint NextOid() => _nextOid++;

    /// <summary>An ACL as the server prints it (null: the built-in default of the kind).</summary>
    public AclList AclOf(string? text, ObjectKind kind, uint owner) => Acl(text, kind, owner);

    public CatalogSnapshot Build()
    {
        if (_databases.Count == 0) Database("app", Bootstrap);
        return new CatalogSnapshot(new PgVersion(major * 10000 + 1), _currentDatabase, "postgres", SearchPath,
            [.. _roles], [.. _memberships], [.. _databases], [.. _schemas], [.. _relations], [.. _sequences],
            [.. _functions], [.. _types], [.. _languages], [.. _defaultAcls], [],
            largeObjects: [.. _largeObjects], largeObjectCompatPrivileges: LargeObjectCompatPrivileges, footprints: [.. _footprints], otherObjects: [.. _others])
        {
            Triggers = [.. _triggers],
            RoutineBodies = [.. _bodies],
        };
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
