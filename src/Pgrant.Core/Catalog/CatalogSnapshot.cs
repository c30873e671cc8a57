using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Pgrant.Core.Catalog;

/// <summary>
/// Everything pgrant knows about one database and its cluster, read once in one
/// consistent transaction. Immutable; lookups are built once on construction.
/// </summary>
public sealed class CatalogSnapshot
{
    /// <summary>The server's version (server_version_num): it decides which catalogs and privileges exist.</summary>
    public PgVersion Version { get; }
    /// <summary>The database this snapshot was read from (its schemas, relations… belong to it).</summary>
    public string CurrentDatabase { get; }
    /// <summary>The role the snapshot was read as (current_user).</summary>
    public string CurrentUser { get; }
    /// <summary>search_path as the server reported it for the reading session.</summary>
    public string SearchPath { get; }

    /// <summary>Every role of the cluster (pg_roles), predefined ones included.</summary>
    public ImmutableArray<Role> Roles { get; }
    /// <summary>Every role membership of the cluster (pg_auth_members).</summary>
    public ImmutableArray<Membership> Memberships { get; }
    /// <summary>Every database of the cluster (pg_database).</summary>
    public ImmutableArray<Database> Databases { get; }
    /// <summary>The schemas of the current database, without pg_toast and temporary schemas.</summary>
    public ImmutableArray<Schema> Schemas { get; }
    /// <summary>Tables, partitioned tables, views, materialized views, foreign tables and sequences of the current database.</summary>
    public ImmutableArray<Relation> Relations { get; }
    /// <summary>The sequence facts (pg_sequence) of the sequences in <see cref="Relations"/>.</summary>
    public ImmutableArray<Sequence> Sequences { get; }
    /// <summary>Functions, procedures and aggregates of user schemas, and system ones whose ACL is not the default.</summary>
    public ImmutableArray<Function> Functions { get; }
    /// <summary>
    /// Types and domains of user schemas. A whole read holds no array types and no row types of tables (every
    /// table has both: twice as many rows as tables, for types nobody names); a scoped read holds the types its
    /// names match, implicit ones included, with the element type of every array among them and the array type
    /// of every type named.
    /// </summary>
    public ImmutableArray<TypeInfo> Types { get; }
    /// <summary>The procedural languages of the current database.</summary>
    public ImmutableArray<Language> Languages { get; }
    /// <summary>The default privileges of the current database (pg_default_acl, ALTER DEFAULT PRIVILEGES).</summary>
    public ImmutableArray<DefaultAcl> DefaultAcls { get; }
    /// <summary>Session defaults of roles and databases (pg_db_role_setting) that apply in this database.</summary>
    public ImmutableArray<RoleSetting> RoleSettings { get; }
    /// <summary>The large objects a scope named (<see cref="CatalogScope.LargeObjects"/>) that exist; a whole read holds none.</summary>
    public ImmutableArray<LargeObject> LargeObjects { get; }
    /// <summary>
    /// lo_compat_privileges as the reading session has it: when on, the server checks no large-object privilege
    /// (lo_get, lo_put, lo_open) and has_largeobject_privilege (18) says yes to every role.
    /// </summary>
    public bool LargeObjectCompatPrivileges { get; }
    /// <summary>Foreign-data wrappers, foreign servers, large objects and (15+) parameters with an ACL; a scoped read holds only the large objects it names.</summary>
    public ImmutableArray<SecurableObject> OtherObjects { get; }
    /// <summary>What each role owns and is granted, cluster-wide (pg_shdepend); a role absent here owns nothing and is granted nothing.</summary>
    public ImmutableArray<RoleFootprint> Footprints { get; }
    /// <summary>What could not be read (e.g. a sequence's last_value without SELECT), in plain words.</summary>
    public ImmutableArray<string> Unreadable { get; }
    /// <summary>
    /// Null for a snapshot of the whole catalog; otherwise the scope it was read with: it then holds
    /// only the relations, routines and types of that scope (and what they lead to), and code that
    /// needs every object (an audit) must refuse it.
    /// </summary>
    public CatalogScope? Scope { get; }
    /// <summary>True when the snapshot holds only a <see cref="Scope"/>'s objects, not the whole catalog.</summary>
    public bool IsScoped => Scope is not null;

    /// <summary>
    /// The user-defined triggers (pg_trigger, not tgisinternal, and partitions' clones of them) on the relations read: every one on a whole read, those
    /// on the scope's relations on a scoped read. Set by the catalog reader; none unless given.
    /// </summary>
    public ImmutableArray<Trigger> Triggers
    {
        get => _triggers;
        init
        {
            _triggers = value.IsDefault ? [] : value;
            _triggersByRelation = _triggers.ToLookup(t => t.Relation);
        }
    }

    /// <summary>
    /// The bodies (prosrc and language) of the functions <see cref="Triggers"/> call, each once; no other routine's
    /// body is read. Set by the catalog reader; none unless given.
    /// </summary>
    public ImmutableArray<RoutineBody> RoutineBodies
    {
        get => _routineBodies;
        init
        {
            _routineBodies = value.IsDefault ? [] : value;
            _bodiesByFunction = _routineBodies.ToFrozenDictionary(b => b.Function);
        }
    }

    private ImmutableArray<Trigger> _triggers = [];
    private ILookup<uint, Trigger> _triggersByRelation = Array.Empty<Trigger>().ToLookup(t => t.Relation);
    private ImmutableArray<RoutineBody> _routineBodies = [];
    private FrozenDictionary<uint, RoutineBody> _bodiesByFunction = FrozenDictionary<uint, RoutineBody>.Empty;

    /// <summary>The triggers on the relation with that OID, in the order read (by name); none when it has none or was not read.</summary>
    public IEnumerable<Trigger> TriggersOn(uint relation) => _triggersByRelation[relation];

    /// <summary>The body of the routine with that OID, or null (not a trigger function of the snapshot).</summary>
    public RoutineBody? BodyOf(uint function) => _bodiesByFunction.GetValueOrDefault(function);

    private readonly FrozenDictionary<uint, Role> _rolesByOid;
    private readonly FrozenDictionary<string, Role> _rolesByName;
    private readonly FrozenDictionary<uint, Schema> _schemasByOid;
    private readonly FrozenDictionary<uint, Relation> _relationsByOid;
    private readonly FrozenDictionary<uint, Sequence> _sequencesByOid;
    private readonly FrozenDictionary<uint, Function> _functionsByOid;
    private readonly FrozenDictionary<uint, TypeInfo> _typesByOid;
    private readonly FrozenDictionary<uint, LargeObject> _largeObjectsByOid;
    private readonly ILookup<uint, Membership> _membershipsByMember;
    private readonly ILookup<uint, Membership> _membershipsByGroup;

    /// <summary>
    /// A snapshot of what was read (the catalog reader builds one; tests build them by hand). Each
    /// parameter fills the property of the same name; <paramref name="roleSettings"/>, <paramref name="largeObjects"/>,
    /// <paramref name="footprints"/> and <paramref name="otherObjects"/> may be left out (none).
    /// </summary>
    public CatalogSnapshot(
        PgVersion version,
        string currentDatabase,
        string currentUser,
        string searchPath,
        ImmutableArray<Role> roles,
        ImmutableArray<Membership> memberships,
        ImmutableArray<Database> databases,
        ImmutableArray<Schema> schemas,
        ImmutableArray<Relation> relations,
        ImmutableArray<Sequence> sequences,
        ImmutableArray<Function> functions,
        ImmutableArray<TypeInfo> types,
        ImmutableArray<Language> languages,
        ImmutableArray<DefaultAcl> defaultAcls,
        ImmutableArray<string> unreadable,
        CatalogScope? scope = null,
        ImmutableArray<RoleSetting> roleSettings = default,
        ImmutableArray<LargeObject> largeObjects = default,
        bool largeObjectCompatPrivileges = false,
        ImmutableArray<RoleFootprint> footprints = default,
        ImmutableArray<SecurableObject> otherObjects = default)
    {
        Version = version;
        CurrentDatabase = currentDatabase;
        CurrentUser = currentUser;
        SearchPath = searchPath;
        Roles = roles;
        Memberships = memberships;
        Databases = databases;
        Schemas = schemas;
        Relations = relations;
        Sequences = sequences;
        Functions = functions;
        Types = types;
        Languages = languages;
        DefaultAcls = defaultAcls;
        Unreadable = unreadable;
        Scope = scope;
        RoleSettings = roleSettings.IsDefault ? [] : roleSettings;
        LargeObjects = largeObjects.IsDefault ? [] : largeObjects;
        LargeObjectCompatPrivileges = largeObjectCompatPrivileges;
        Footprints = footprints.IsDefault ? [] : footprints;
        OtherObjects = otherObjects.IsDefault ? [] : otherObjects;

        _rolesByOid = roles.ToFrozenDictionary(r => r.Oid);
        _rolesByName = roles.ToFrozenDictionary(r => r.Name, StringComparer.Ordinal);
        _schemasByOid = schemas.ToFrozenDictionary(s => s.Oid);
        _relationsByOid = relations.ToFrozenDictionary(r => r.Oid);
        _sequencesByOid = sequences.ToFrozenDictionary(s => s.Oid);
        _functionsByOid = functions.ToFrozenDictionary(f => f.Oid);
        _typesByOid = types.ToFrozenDictionary(t => t.Oid);
        _largeObjectsByOid = LargeObjects.ToFrozenDictionary(l => l.Oid);
        _membershipsByMember = memberships.ToLookup(m => m.Member);
        _membershipsByGroup = memberships.ToLookup(m => m.Group);
    }

    /// <summary>The foreign-data wrapper, foreign server or parameter of that kind and name (a parameter's name in any case), or null.</summary>
    public SecurableObject? OtherObject(Acl.ObjectKind kind, string name) =>
        OtherObjects.FirstOrDefault(o => o.Kind == kind && (kind == Acl.ObjectKind.Parameter ? string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase) : o.Name == name));

    /// <summary>What the role owns and is granted (pg_shdepend), or null when it owns nothing and is granted nothing.</summary>
    public RoleFootprint? FootprintOf(uint role) => Footprints.FirstOrDefault(f => f.Role == role);

    /// <summary>The role with that OID, or null (a dropped role, or PUBLIC's 0).</summary>
    public Role? RoleByOid(uint oid) => _rolesByOid.GetValueOrDefault(oid);
    /// <summary>The role with exactly that name (case matters, no quoting), or null.</summary>
    public Role? RoleByName(string name) => _rolesByName.GetValueOrDefault(name);
    /// <summary>The schema with that OID, or null.</summary>
    public Schema? SchemaByOid(uint oid) => _schemasByOid.GetValueOrDefault(oid);
    /// <summary>The relation with that OID, or null (not read, or not of a kind that is read).</summary>
    public Relation? RelationByOid(uint oid) => _relationsByOid.GetValueOrDefault(oid);
    /// <summary>The sequence facts of the sequence relation with that OID, or null.</summary>
    public Sequence? SequenceByOid(uint oid) => _sequencesByOid.GetValueOrDefault(oid);
    /// <summary>The routine with that OID, or null (not read).</summary>
    public Function? FunctionByOid(uint oid) => _functionsByOid.GetValueOrDefault(oid);
    /// <summary>The type or domain with that OID, or null (not read).</summary>
    public TypeInfo? TypeByOid(uint oid) => _typesByOid.GetValueOrDefault(oid);
    /// <summary>The large object with that OID, or null (not read: not named by the scope, or it does not exist).</summary>
    public LargeObject? LargeObjectByOid(uint oid) => _largeObjectsByOid.GetValueOrDefault(oid);
    /// <summary>Grants that make <paramref name="member"/> a member of some group.</summary>
    public IEnumerable<Membership> MembershipsOf(uint member) => _membershipsByMember[member];
    /// <summary>Grants of <paramref name="group"/> to its members.</summary>
    public IEnumerable<Membership> MembersOf(uint group) => _membershipsByGroup[group];

    /// <summary>The row of <see cref="CurrentDatabase"/> in <see cref="Databases"/> (its owner, its ACL), or null.</summary>
    public Database? CurrentDatabaseInfo => Databases.FirstOrDefault(d => d.Name == CurrentDatabase);

    /// <summary>A role's name, or its OID as text when the role was dropped (as the server prints it); "PUBLIC" for 0.</summary>
    public string RoleName(uint oid) => oid == 0 ? "PUBLIC" : RoleByOid(oid)?.Name ?? oid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The search_path a new session of <paramref name="roleName"/> starts with in this database, as the
    /// server applies settings: ALTER ROLE … IN DATABASE … SET first, then ALTER ROLE … SET, then ALTER
    /// DATABASE … SET. Without any, the server-wide value holds, which the reading session also has unless its
    /// own role's settings changed it (then its value is the best available answer).
    /// </summary>
    public string SearchPathOf(string roleName)
    {
        if (roleName == CurrentUser) return SearchPath;
        var role = RoleByName(roleName)?.Oid;
        var database = CurrentDatabaseInfo?.Oid;
        string? Find(uint r, uint d) => RoleSettings
            .Where(s => s.Role == r && s.Database == d)
            .SelectMany(s => s.Config)
            .Where(c => c.StartsWith("search_path=", StringComparison.Ordinal))
            .Select(c => c["search_path=".Length..])
            .FirstOrDefault();
        return (role is { } ro && database is { } db ? Find(ro, db) : null)
            ?? (role is { } r2 ? Find(r2, 0) : null)
            ?? (database is { } d2 ? Find(0, d2) : null)
            ?? SearchPath;
    }

    /// <summary>A schema's name, or its OID as text when it was not read.</summary>
    public string SchemaName(uint oid) => SchemaByOid(oid)?.Name ?? oid.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
