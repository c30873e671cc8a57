using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;
using Pgrant.Core.State;

namespace Pgrant.Spec;

/// <summary>
/// What a spec manages in one database: an authoritative plan may revoke a fact only when it is covered here.
/// <list type="bullet">
/// <item>An ACL fact: its object is declared (a schema or database named in the spec, an object a grant or a
/// profile reaches), its grantee is not the object's owner, and it is a role the spec names — or PUBLIC on an
/// object where the spec grants PUBLIC something.</item>
/// <item>A default-ACL fact: its (creator, schema, type) is one the spec declares (explicitly or through a profile's
/// future objects), and its grantee is a named role other than the creator, or PUBLIC where declared.</item>
/// <item>A membership: its member is declared under <c>roles:</c>, and its role is not a protected one
/// (superuser, <c>pg_*</c>, a managed service's) unless the spec names it.</item>
/// </list>
/// Owners' own entries, superusers, <c>pg_*</c> and managed-service roles, and the built-in defaults are
/// therefore never revoked unless declared.
/// </summary>
public sealed class SpecScope
{
    private readonly FrozenDictionary<StateObject, string> _owners;

    internal SpecScope(ImmutableSortedSet<string> roles, ImmutableSortedSet<string> declaredRoles, ImmutableSortedSet<string> protectedRoles,
        FrozenDictionary<StateObject, string> owners, ImmutableSortedSet<StateObject> publicObjects,
        ImmutableHashSet<(string Creator, string? Schema, DefaultObjectType On)> defaultAcls,
        ImmutableHashSet<(string Creator, string? Schema, DefaultObjectType On)> publicDefaultAcls)
    {
        Roles = roles;
        DeclaredRoles = declaredRoles;
        ProtectedRoles = protectedRoles;
        _owners = owners;
        Objects = ImmutableSortedSet.CreateRange(owners.Keys);
        PublicObjects = publicObjects;
        DefaultAcls = defaultAcls;
        PublicDefaultAcls = publicDefaultAcls;
    }

    /// <summary>Every role the spec names (declared, granted to, creating, member or group).</summary>
    public ImmutableSortedSet<string> Roles { get; }

    /// <summary>The roles declared under <c>roles:</c>: their memberships are managed.</summary>
    public ImmutableSortedSet<string> DeclaredRoles { get; }

    /// <summary>Roles of the database that are protected (superusers, <c>pg_*</c>, managed-service roles) and that the spec does not name.</summary>
    public ImmutableSortedSet<string> ProtectedRoles { get; }

    /// <summary>The objects the spec declares.</summary>
    public ImmutableSortedSet<StateObject> Objects { get; }

    /// <summary>The objects on which the spec manages PUBLIC's privileges.</summary>
    public ImmutableSortedSet<StateObject> PublicObjects { get; }

    /// <summary>The default ACLs (creator, schema or null for global, object type) the spec declares.</summary>
    public ImmutableHashSet<(string Creator, string? Schema, DefaultObjectType On)> DefaultAcls { get; }

    /// <summary>The default ACLs on which the spec manages PUBLIC's privileges.</summary>
    public ImmutableHashSet<(string Creator, string? Schema, DefaultObjectType On)> PublicDefaultAcls { get; }

    /// <summary>True when an authoritative plan may revoke the fact.</summary>
    public bool Covers(AclFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        if (!_owners.TryGetValue(fact.Object, out var owner) || fact.Grantee == owner) return false;
        return fact.Grantee is null ? PublicObjects.Contains(fact.Object) : Roles.Contains(fact.Grantee);
    }

    /// <summary>True when an authoritative plan may revoke the fact.</summary>
    public bool Covers(DefaultAclFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        var key = (fact.Creator, fact.Schema, fact.On);
        if (!DefaultAcls.Contains(key) || fact.Grantee == fact.Creator) return false;
        return fact.Grantee is null ? PublicDefaultAcls.Contains(key) : Roles.Contains(fact.Grantee);
    }

    /// <summary>True when an authoritative plan may revoke the membership.</summary>
    public bool Covers(MembershipFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        return DeclaredRoles.Contains(fact.Member) && !ProtectedRoles.Contains(fact.Role);
    }
}

/// <summary>
/// A spec expanded against a database: the <see cref="Desired"/> state (the live state with every fact in the
/// <see cref="Scope"/> replaced by what the spec declares), why each declared fact is there, and warnings.
/// </summary>
public sealed record SpecExpansion(
    GrantState Desired,
    SpecScope Scope,
    ImmutableArray<SpecWarning> Warnings,
    IReadOnlyDictionary<AclFact, string> AclReasons,
    IReadOnlyDictionary<DefaultAclFact, string> DefaultAclReasons,
    IReadOnlyDictionary<MembershipFact, string> MembershipReasons);

/// <summary>
/// Expands a spec against a catalog snapshot into the desired grant state (pure: no I/O). The rules:
/// <list type="bullet">
/// <item>Profiles apply over the schemas their globs match (system schemas never match a glob) minus
/// <c>except</c>, per kind of relation; <c>ALL</c> is the server major's set for the object's kind.</item>
/// <item>Sequences follow tables: INSERT on a table (or on a column with a default) grants USAGE, only USAGE, on
/// exactly the sequences its column defaults call; identity columns need none.</item>
/// <item>Future objects: default privileges FOR ROLE each role that creates objects in the schema — the owners of
/// objects there, the schema owner, and the profile's <c>creators</c> — never a superuser, <c>pg_*</c> or
/// managed-service role unless listed.</item>
/// <item>New grants are recorded as granted by the object's owner; a fact the database already holds keeps its grantor.</item>
/// </list>
/// A role named but neither declared nor in the cluster, an option the major lacks (SET/INHERIT on a membership
/// before 16, MAINTAIN before 17, default privileges on large objects before 18) is a <see cref="SpecException"/>;
/// a glob that matches nothing, a named object the database lacks, a creator that creates nothing there are warnings.
/// </summary>
public static partial class SpecExpander
{
    private static readonly string[] ServiceRolePrefixes = ["rds_", "rdsadmin", "rdsrepladmin", "rdstopmgr", "cloudsql", "azure_", "azuresu", "alloydb", "supabase", "aurora_"];

    /// <summary>True for a role pgrant leaves alone unless a spec names it: superusers, <c>pg_*</c>, managed-service roles.</summary>
    public static bool IsProtected(Role role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return role.IsSuperuser || role.IsPredefined || IsProtectedName(role.Name);
    }

    internal static bool IsProtectedName(string name) =>
        name.StartsWith("pg_", StringComparison.Ordinal) || ServiceRolePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))
        || name is "supabase_admin" or "authenticator" or "postgres_fdw_user";

    /// <summary>The desired state of <paramref name="snapshot"/>'s database under <paramref name="spec"/>.</summary>
    public static SpecExpansion Expand(AccessSpec spec, CatalogSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(snapshot);
        return new Expansion(spec, snapshot).Run();
    }

    [GeneratedRegex(@"[*?]")]
    private static partial Regex GlobCharacters();

    internal static bool IsGlob(string pattern) => GlobCharacters().IsMatch(pattern);

    internal static Regex Glob(string pattern)
    {
        var sb = new StringBuilder("^");
        foreach (var c in pattern)
            sb.Append(c switch { '*' => ".*", '?' => ".", _ => Regex.Escape(c.ToString()) });
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    private sealed class Expansion(AccessSpec spec, CatalogSnapshot snapshot)
    {
        private readonly int _major = snapshot.Version.Major;
        private readonly GrantState _live = GrantState.Of(snapshot);
        private readonly List<SpecWarning> _warnings = [];
        private readonly Dictionary<(StateObject, string?, string?, Privilege), (AclFact Fact, string Reason)> _acl = [];
        private readonly Dictionary<(string, string?, DefaultObjectType, string?, Privilege), (DefaultAclFact Fact, string Reason)> _defaults = [];
        private readonly Dictionary<(string, string, string), (MembershipFact Fact, string Reason)> _memberships = [];
        private readonly HashSet<StateObject> _objects = [];
        private readonly HashSet<StateObject> _publicObjects = [];
        private readonly HashSet<(string, string?, DefaultObjectType)> _defaultScope = [];
        private readonly HashSet<(string, string?, DefaultObjectType)> _publicDefaultScope = [];
        private readonly SortedSet<string> _named = new(StringComparer.Ordinal);
        // Indexes built once: a spec over 100,000 tables must not scan the catalog per table.
        private Dictionary<(StateObject, string?, string?, Privilege, bool), AclFact>? _liveAcl;

        private Dictionary<(StateObject, string?, string?, Privilege, bool), AclFact> LiveAcl()
        {
            if (_liveAcl is not null) return _liveAcl;
            _liveAcl = new(_live.Acl.Count);
            foreach (var f in _live.Acl) _liveAcl.TryAdd((f.Object, f.Column, f.Grantee, f.Privilege, f.Grantable), f);
            return _liveAcl;
        }
        private readonly ILookup<uint, Relation> _relationsBySchema = snapshot.Relations.ToLookup(r => r.Schema);
        private readonly ILookup<uint, Function> _functionsBySchema = snapshot.Functions.ToLookup(f => f.Schema);
        private readonly ILookup<uint, TypeInfo> _typesBySchema = snapshot.Types.Where(t => t.ElementType == 0 && t.RowTypeOf == 0).ToLookup(t => t.Schema);
        private readonly ILookup<uint, (Sequence Sequence, short Column)> _sequencesByTable = snapshot.Sequences
            .Where(s => !s.IsIdentity)
            .SelectMany(s => s.UsedByDefaults.Select(u => (u.Relation, Use: (s, u.Column))))
            .ToLookup(x => x.Relation, x => x.Use);

        public SpecExpansion Run()
        {
            CheckRoles();
            foreach (var d in spec.Databases) Database(d);
            foreach (var s in spec.Schemas) DeclaredSchema(s);
            foreach (var use in spec.Access) Use(use);
            foreach (var g in spec.Grants) Grant(g);
            foreach (var d in spec.DefaultPrivileges) Default(d);
            foreach (var m in spec.Memberships) Membership(m);

            var declared = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, spec.Roles.Select(r => r.Name));
            var protectedRoles = ImmutableSortedSet.CreateRange(StringComparer.Ordinal,
                snapshot.Roles.Where(IsProtected).Select(r => r.Name).Where(n => !_named.Contains(n)));
            var owners = _objects.Where(_live.Owners.ContainsKey).ToFrozenDictionary(o => o, o => _live.Owners[o]);
            var scope = new SpecScope(ImmutableSortedSet.CreateRange(StringComparer.Ordinal, _named), declared, protectedRoles, owners,
                [.. _publicObjects], [.. _defaultScope], [.. _publicDefaultScope]);

            // The live sets are sorted already: remove what the scope covers and add what the spec declares, without
            // re-sorting a million facts. A declared fact the database holds with another grantor keeps that grantor.
            var acl = _live.Acl.Except(_live.Acl.Where(scope.Covers))
                .Union(_acl.Values.Select(v => v.Fact).Where(f => !LiveAcl().TryGetValue((f.Object, f.Column, f.Grantee, f.Privilege, f.Grantable), out var held) || scope.Covers(held)));
            var defaults = _live.DefaultAcl.Except(_live.DefaultAcl.Where(scope.Covers)).Union(_defaults.Values.Select(v => v.Fact));
            var memberships = _live.Memberships.Except(_live.Memberships.Where(scope.Covers)).Union(_memberships.Values.Select(v => v.Fact));

            var desired = new GrantState(_live.Version, _live.Database, _live.BootstrapSuperuser, _live.Owners, acl, defaults, memberships);
            return new SpecExpansion(desired, scope, [.. _warnings],
                _acl.Values.ToFrozenDictionary(v => v.Fact, v => v.Reason),
                _defaults.Values.ToFrozenDictionary(v => v.Fact, v => v.Reason),
                _memberships.Values.ToFrozenDictionary(v => v.Fact, v => v.Reason));
        }

        private void Warn(SpecLocation at, string message) => _warnings.Add(new SpecWarning(at, message));

        // Every role the spec refers to exists in the cluster or is declared; otherwise the spec cannot be planned.
        private void CheckRoles()
        {
            var declared = spec.Roles.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            void Need(string? role, SpecLocation at)
            {
                if (role is null) return;
                _named.Add(role);
                if (!declared.Contains(role) && snapshot.RoleByName(role) is null)
                    throw new SpecException(at, $"role {SpecLoader.Quote(role)} is neither declared under roles: nor in the cluster (expected a role of either)",
                        "role names are case-sensitive");
            }
            foreach (var r in spec.Roles) _named.Add(r.Name);
            foreach (var m in spec.Memberships) { Need(m.Role, m.Location); Need(m.Member, m.Location); Need(m.Grantor, m.Location); }
            foreach (var d in spec.Databases) { Need(d.Owner, d.Location); foreach (var g in d.Grants) foreach (var t in g.To) Need(t, g.Location); }
            foreach (var s in spec.Schemas) { Need(s.Owner, s.Location); foreach (var g in s.Grants) foreach (var t in g.To) Need(t, g.Location); }
            foreach (var u in spec.Access) { foreach (var t in u.To) Need(t, u.Location); foreach (var c in u.Creators) Need(c, u.Location); }
            foreach (var g in spec.Grants) foreach (var t in g.To) Need(t, g.Location);
            foreach (var d in spec.DefaultPrivileges) { foreach (var t in d.To) Need(t, d.Location); foreach (var c in d.Creators) Need(c, d.Location); }
        }

        private Privilege Resolve(SpecPrivileges privileges, ObjectKind kind, SpecLocation at)
        {
            if (!privileges.All && (privileges.Bits & Privilege.Maintain) != 0 && _major < 17)
                throw new SpecException(at, $"MAINTAIN needs PostgreSQL 17 or later (this server is {_major})");
            return privileges.Resolve(kind, _major);
        }

        private void AddAcl(StateObject obj, string? column, string? grantee, Privilege privileges, bool grantable, SpecLocation at, string reason)
        {
            if (grantee is null && grantable) throw new SpecException(at, "PUBLIC cannot hold a grant option (expected with_grant_option: false for PUBLIC)");
            if (!_live.Owners.TryGetValue(obj, out var owner)) return;
            _objects.Add(obj);
            if (grantee is null) _publicObjects.Add(obj);
            if (grantee == owner) return; // the owner's own entry is the server's, never the spec's
            foreach (var bit in Privileges.Split(privileges))
            {
                var key = (obj, column, grantee, bit);
                var fact = LiveAcl().GetValueOrDefault((obj, column, grantee, bit, grantable)) ?? new AclFact(obj, column, grantee, bit, grantable, owner);
                if (_acl.TryGetValue(key, out var had))
                {
                    if (had.Fact.Grantable || !grantable) continue; // a grant option already declared wins
                }
                _acl[key] = (fact, $"{at}: {reason}");
            }
        }

        private void Database(DatabaseSpec d)
        {
            if (d.Name != snapshot.CurrentDatabase) return; // expanded when planning that database
            var obj = StateObject.CurrentDatabase;
            _objects.Add(obj);
            CheckOwner(obj, d.Owner, d.Location);
            foreach (var g in d.Grants)
                foreach (var to in g.To)
                    AddAcl(obj, null, to, Resolve(g.Privileges, ObjectKind.Database, g.Location), g.WithGrantOption, g.Location, $"database {d.Name}");
        }

        private void CheckOwner(StateObject obj, string? owner, SpecLocation at)
        {
            if (owner is not null && _live.Owners.TryGetValue(obj, out var live) && live != owner)
                Warn(at, $"{obj} is owned by {live}, the spec says {owner}: ownership changes are not planned yet");
        }

        private void DeclaredSchema(SchemaSpec s)
        {
            var obj = new StateObject(ObjectKind.Schema, null, s.Name);
            if (!_live.Owners.ContainsKey(obj))
            {
                Warn(s.Location, $"schema {s.Name} does not exist in database {snapshot.CurrentDatabase}: skipped");
                return;
            }
            _objects.Add(obj);
            CheckOwner(obj, s.Owner, s.Location);
            foreach (var g in s.Grants)
                foreach (var to in g.To)
                    AddAcl(obj, null, to, Resolve(g.Privileges, ObjectKind.Schema, g.Location), g.WithGrantOption, g.Location, $"schema {s.Name}");
        }

        private List<Schema> MatchSchemas(IEnumerable<string> patterns, IEnumerable<string> except, SpecLocation at)
        {
            var excluded = except.Select(Glob).ToList();
            var result = new List<Schema>();
            foreach (var pattern in patterns)
            {
                var glob = Glob(pattern);
                var matched = snapshot.Schemas
                    .Where(s => glob.IsMatch(s.Name) && (!IsGlob(pattern) || !IsSystemSchema(s)))
                    .Where(s => !excluded.Any(e => e.IsMatch(s.Name)))
                    .ToList();
                if (matched.Count == 0)
                    Warn(at, IsGlob(pattern) ? $"schemas \"{pattern}\" match no schema in database {snapshot.CurrentDatabase}"
                        : $"schema {pattern} does not exist in database {snapshot.CurrentDatabase}: skipped");
                result.AddRange(matched.Where(m => !result.Contains(m)));
            }
            return result;
        }

        private static bool IsSystemSchema(Schema s) => s.IsSystem || s.Name is "pg_catalog" or "information_schema" or "pg_toast"
            || s.Name.StartsWith("pg_temp_", StringComparison.Ordinal) || s.Name.StartsWith("pg_toast_temp_", StringComparison.Ordinal);

        private static readonly (ProfileTarget Target, ObjectKind Kind)[] RelationTargets =
        [
            (ProfileTarget.Tables, ObjectKind.Table), (ProfileTarget.Views, ObjectKind.View), (ProfileTarget.MaterializedViews, ObjectKind.MaterializedView),
            (ProfileTarget.PartitionedTables, ObjectKind.PartitionedTable), (ProfileTarget.ForeignTables, ObjectKind.ForeignTable),
        ];

        private void Use(ProfileUse use)
        {
            var profile = spec.Profile(use.Profile) ?? throw new SpecException(use.Location, $"profile \"{use.Profile}\" does not exist");
            var exceptObjects = use.ExceptObjects.Select(Glob).ToList();
            var why = $"profile {profile.Name}";
            foreach (var schema in MatchSchemas(use.Schemas, use.Except, use.Location))
            {
                var schemaObj = new StateObject(ObjectKind.Schema, null, schema.Name);
                _objects.Add(schemaObj);
                if (profile.Privileges.TryGetValue(ProfileTarget.Schema, out var sp))
                    foreach (var to in use.To) AddAcl(schemaObj, null, to, Resolve(sp, ObjectKind.Schema, use.Location), false, use.Location, why);

                var relations = _relationsBySchema[schema.Oid].Where(r => !exceptObjects.Any(e => e.IsMatch(r.Name))).ToList();
                var coversTables = false;
                foreach (var (target, kind) in RelationTargets)
                {
                    if (!profile.Privileges.TryGetValue(target, out var p)) continue;
                    coversTables = true;
                    var privileges = Resolve(p, kind, use.Location);
                    foreach (var r in relations.Where(r => r.Kind == kind))
                    {
                        var obj = new StateObject(kind, schema.Name, r.Name);
                        _objects.Add(obj);
                        foreach (var to in use.To) AddAcl(obj, null, to, privileges, false, use.Location, why);
                        if ((privileges & Privilege.Insert) != 0)
                            foreach (var to in use.To) SequencesOf(r, null, to, use.Location, why);
                    }
                }
                if (coversTables || profile.Privileges.ContainsKey(ProfileTarget.Sequences))
                    foreach (var r in relations.Where(r => r.Kind == ObjectKind.Sequence)) _objects.Add(new StateObject(ObjectKind.Sequence, schema.Name, r.Name));
                if (profile.Privileges.TryGetValue(ProfileTarget.Sequences, out var seq))
                    foreach (var r in relations.Where(r => r.Kind == ObjectKind.Sequence))
                        foreach (var to in use.To)
                            AddAcl(new StateObject(ObjectKind.Sequence, schema.Name, r.Name), null, to, Resolve(seq, ObjectKind.Sequence, use.Location), false, use.Location, why);
                if (profile.Privileges.TryGetValue(ProfileTarget.Functions, out var fp))
                    foreach (var f in _functionsBySchema[schema.Oid].Where(f => !exceptObjects.Any(e => e.IsMatch(f.Name))))
                        foreach (var to in use.To)
                            AddAcl(new StateObject(f.Kind, schema.Name, f.Name, f.IdentityArguments), null, to, Resolve(fp, f.Kind, use.Location), false, use.Location, why);
                if (profile.Privileges.TryGetValue(ProfileTarget.Types, out var tp))
                    foreach (var t in GrantableTypes(schema).Where(t => !exceptObjects.Any(e => e.IsMatch(t.Name))))
                        foreach (var to in use.To)
                            AddAcl(new StateObject(t.Kind, schema.Name, t.Name), null, to, Resolve(tp, t.Kind, use.Location), false, use.Location, why);

                if (use.FutureObjects) Future(use, profile, schema);
            }
        }

        // Array types and the row types of relations take no GRANT of their own.
        private IEnumerable<TypeInfo> GrantableTypes(Schema schema) => _typesBySchema[schema.Oid];

        // Sequences follow tables: USAGE on exactly the sequences the relation's column defaults call (all columns,
        // or the one column a column grant names); identity sequences are drawn without a privilege check.
        private void SequencesOf(Relation table, string? column, string? grantee, SpecLocation at, string why)
        {
            foreach (var (s, number) in _sequencesByTable[table.Oid])
            {
                var col = table.ColumnByNumber(number);
                if (col is null || (column is not null && col.Name != column)) continue;
                if (snapshot.RelationByOid(s.Oid) is not { } rel) continue;
                var obj = new StateObject(ObjectKind.Sequence, snapshot.SchemaName(rel.Schema), rel.Name);
                AddAcl(obj, null, grantee, Privilege.Usage, false, at,
                    $"{why}: INSERT on {snapshot.SchemaName(table.Schema)}.{table.Name}, whose default of {col.Name} calls this sequence");
            }
        }

        // The roles that really create objects in a schema: owners of objects there and the schema owner, leaving out
        // superusers, pg_* and managed-service roles; plus those the spec lists.
        private SortedSet<string> Creators(Schema schema, ImmutableArray<string> listed, SpecLocation at)
        {
            var owners = new SortedSet<uint>();
            foreach (var r in _relationsBySchema[schema.Oid]) owners.Add(r.Owner);
            foreach (var f in _functionsBySchema[schema.Oid]) owners.Add(f.Owner);
            foreach (var t in GrantableTypes(schema)) owners.Add(t.Owner);
            var objectOwners = owners.ToHashSet();
            owners.Add(schema.Owner);
            var result = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var oid in owners)
                if (snapshot.RoleByOid(oid) is { } role && !IsProtected(role)) result.Add(role.Name);
            foreach (var name in listed)
            {
                result.Add(name);
                var role = snapshot.RoleByName(name);
                if (objectOwners.Count > 0 && (role is null || !objectOwners.Contains(role.Oid)))
                    Warn(at, $"creator {name} owns nothing in schema {schema.Name}, where objects are created by "
                        + string.Join(", ", objectOwners.Select(snapshot.RoleName).Order(StringComparer.Ordinal))
                        + ": default privileges are set for those too");
            }
            return result;
        }

        private void Future(ProfileUse use, ProfileSpec profile, Schema schema)
        {
            var why = $"profile {profile.Name}, future objects";
            var tables = profile.Privileges.TryGetValue(ProfileTarget.Tables, out var tp) ? Resolve(tp, ObjectKind.Table, use.Location) : Privilege.None;
            var sequences = profile.Privileges.TryGetValue(ProfileTarget.Sequences, out var sp) ? Resolve(sp, ObjectKind.Sequence, use.Location) : Privilege.None;
            // A future table's serial sequence follows it: USAGE on the creator's future sequences.
            if ((tables & Privilege.Insert) != 0) sequences |= Privilege.Usage;
            var functions = profile.Privileges.TryGetValue(ProfileTarget.Functions, out var fp) ? Resolve(fp, ObjectKind.Function, use.Location) : Privilege.None;
            var types = profile.Privileges.TryGetValue(ProfileTarget.Types, out var typ) ? Resolve(typ, ObjectKind.Type, use.Location) : Privilege.None;
            foreach (var creator in Creators(schema, use.Creators, use.Location))
            {
                _named.Add(creator);
                foreach (var to in use.To)
                {
                    AddDefault(creator, schema.Name, DefaultObjectType.Tables, to, tables, false, use.Location, why);
                    AddDefault(creator, schema.Name, DefaultObjectType.Sequences, to, sequences, false, use.Location,
                        (tables & Privilege.Insert) != 0 && (sequences & ~Privilege.Usage) == 0 ? why + " (the serial sequences of future tables)" : why);
                    AddDefault(creator, schema.Name, DefaultObjectType.Functions, to, functions, false, use.Location, why);
                    AddDefault(creator, schema.Name, DefaultObjectType.Types, to, types, false, use.Location, why);
                }
            }
        }

        private void AddDefault(string creator, string? schema, DefaultObjectType on, string? grantee, Privilege privileges, bool grantable, SpecLocation at, string reason)
        {
            if (privileges == Privilege.None) return;
            if (grantee is null && grantable) throw new SpecException(at, "PUBLIC cannot hold a grant option (expected with_grant_option: false for PUBLIC)");
            _defaultScope.Add((creator, schema, on));
            if (grantee is null) _publicDefaultScope.Add((creator, schema, on));
            if (grantee == creator) return;
            foreach (var bit in Privileges.Split(privileges))
            {
                var key = (creator, schema, on, grantee, bit);
                if (_defaults.TryGetValue(key, out var had) && (had.Fact.Grantable || !grantable)) continue;
                _defaults[key] = (new DefaultAclFact(creator, schema, on, grantee, bit, grantable), $"{at}: {reason}");
            }
        }

        private void Grant(GrantSpec g)
        {
            var kind = SpecVocabulary.Kind(g.On);
            var word = SpecVocabulary.ObjectKinds.First(p => p.Value == g.On).Key;
            if (kind is ObjectKind.ForeignDataWrapper or ObjectKind.ForeignServer or ObjectKind.LargeObject)
            {
                Warn(g.Location, $"grants on {word} are not part of the grant state yet: not expanded");
                return;
            }
            if (kind == ObjectKind.Language)
            {
                foreach (var name in g.Names)
                {
                    var glob = Glob(name);
                    var matched = snapshot.Languages.Where(l => glob.IsMatch(l.Name)).ToList();
                    if (matched.Count == 0) Warn(g.Location, $"languages \"{name}\" match no language");
                    foreach (var l in matched)
                        foreach (var to in g.To)
                            AddAcl(new StateObject(ObjectKind.Language, null, l.Name), null, to, Resolve(g.Privileges, kind, g.Location), g.WithGrantOption, g.Location, "grant");
                }
                return;
            }
            foreach (var schema in MatchSchemas([g.Schema!], [], g.Location))
            {
                foreach (var name in g.Names)
                {
                    var glob = Glob(name);
                    var found = false;
                    if (SpecVocabulary.IsRelation(g.On) || g.On == SpecObjectKind.Sequences)
                    {
                        foreach (var r in _relationsBySchema[schema.Oid].Where(r => r.Kind == kind && glob.IsMatch(r.Name)))
                        {
                            found = true;
                            var obj = new StateObject(kind, schema.Name, r.Name);
                            if (g.Columns.IsEmpty)
                            {
                                var privileges = Resolve(g.Privileges, kind, g.Location);
                                foreach (var to in g.To)
                                {
                                    AddAcl(obj, null, to, privileges, g.WithGrantOption, g.Location, "grant");
                                    if ((privileges & Privilege.Insert) != 0) SequencesOf(r, null, to, g.Location, "grant");
                                }
                                continue;
                            }
                            var columnPrivileges = Resolve(g.Privileges, ObjectKind.Column, g.Location);
                            _objects.Add(obj);
                            foreach (var column in g.Columns)
                            {
                                if (r.Columns.All(c => c.Name != column))
                                {
                                    Warn(g.Location, $"{obj} has no column {column}: skipped");
                                    continue;
                                }
                                foreach (var to in g.To)
                                {
                                    AddAcl(obj, column, to, columnPrivileges, g.WithGrantOption, g.Location, "column grant");
                                    if ((columnPrivileges & Privilege.Insert) != 0) SequencesOf(r, column, to, g.Location, "column grant");
                                }
                            }
                        }
                    }
                    else if (SpecVocabulary.IsRoutine(g.On))
                    {
                        foreach (var f in _functionsBySchema[schema.Oid].Where(f => f.Kind == kind && glob.IsMatch(f.Name)
                            && (g.Arguments is null || f.IdentityArguments == g.Arguments)))
                        {
                            found = true;
                            foreach (var to in g.To)
                                AddAcl(new StateObject(kind, schema.Name, f.Name, f.IdentityArguments), null, to, Resolve(g.Privileges, kind, g.Location), g.WithGrantOption, g.Location, "grant");
                        }
                    }
                    else
                    {
                        foreach (var t in GrantableTypes(schema).Where(t => t.Kind == kind && glob.IsMatch(t.Name)))
                        {
                            found = true;
                            foreach (var to in g.To)
                                AddAcl(new StateObject(kind, schema.Name, t.Name), null, to, Resolve(g.Privileges, kind, g.Location), g.WithGrantOption, g.Location, "grant");
                        }
                    }
                    if (!found)
                        Warn(g.Location, IsGlob(name) ? $"{word} \"{name}\" match nothing in schema {schema.Name}"
                            : $"{SpecVocabulary.Article(kind)[(SpecVocabulary.Article(kind).IndexOf(' ', StringComparison.Ordinal) + 1)..]} {schema.Name}.{name} does not exist: skipped");
                }
            }
        }

        private void Default(DefaultPrivilegeSpec d)
        {
            if (d.On == DefaultObjectType.LargeObjects && _major < 18)
                throw new SpecException(d.Location, $"default privileges on large objects need PostgreSQL 18 or later (this server is {_major})");
            var kind = GrantState.DefaultKind(d.On);
            var privileges = Resolve(d.Privileges, kind, d.Location);
            if (d.Schema is not null && snapshot.Schemas.All(s => s.Name != d.Schema))
            {
                Warn(d.Location, $"schema {d.Schema} does not exist in database {snapshot.CurrentDatabase}: skipped");
                return;
            }
            foreach (var creator in d.Creators)
                foreach (var to in d.To)
                    AddDefault(creator, d.Schema, d.On, to, privileges, d.WithGrantOption, d.Location, "default privileges");
        }

        private void Membership(MembershipSpec m)
        {
            var v16 = _major >= 16;
            if (!v16 && (m.Set is not null || m.Inherit is not null))
                throw new SpecException(m.Location, $"the {(m.Set is not null ? "SET" : "INHERIT")} option of a membership needs PostgreSQL 16 or later (this server is {_major})",
                    "on 13-15 a member inherits according to its own INHERIT attribute and may always SET ROLE");
            var live = _live.Memberships.Where(f => f.Role == m.Role && f.Member == m.Member).ToList();
            var grantor = m.Grantor
                ?? live.FirstOrDefault(f => f.Admin == m.Admin)?.Grantor
                ?? live.FirstOrDefault()?.Grantor
                ?? _live.BootstrapSuperuser
                ?? throw new SpecException(m.Location, "the membership needs a grantor (expected grantor: a role) in a cluster whose bootstrap superuser is not readable");
            bool? inherit = null, set = null;
            if (v16)
            {
                var memberInherit = spec.Roles.FirstOrDefault(r => r.Name == m.Member)?.Inherit ?? snapshot.RoleByName(m.Member)?.Inherit ?? true;
                inherit = m.Inherit ?? memberInherit;
                set = m.Set ?? true;
            }
            var fact = new MembershipFact(m.Role, m.Member, grantor, m.Admin, inherit, set);
            _memberships[(m.Role, m.Member, grantor)] = (fact, $"{m.Location}: membership");
        }
    }
}
