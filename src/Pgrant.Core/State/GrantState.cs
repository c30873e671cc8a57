using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.State;

/// <summary>
/// Which part of a catalog a <see cref="GrantState"/> holds. <see cref="Roles"/> decides by role name,
/// <see cref="Objects"/> by object (null: everything). An object and its ACL facts are held when the object
/// passes, and of those the facts whose grantee is PUBLIC or passes <see cref="Roles"/> (grantors are not
/// filtered: an object's facts name its owner and the roles that granted on it); a default-ACL fact when its
/// creator and grantee (or PUBLIC) pass and its schema, if any, passes as an object; a membership when its
/// role and member pass (on 16+ a superuser's grants name the bootstrap superuser as grantor).
/// </summary>
public sealed record GrantStateFilter(Func<string, bool>? Roles = null, Func<StateObject, bool>? Objects = null)
{
    /// <summary>Everything.</summary>
    public static GrantStateFilter All { get; } = new();

    internal bool Role(string? name) => name is null || Roles is null || Roles(name);

    internal bool Object(StateObject obj) => Objects is null || Objects(obj);
}

/// <summary>
/// The privileges of a database and its cluster as sets of facts keyed by names: every ACL bit of every
/// object (<see cref="Acl"/>, NULL ACLs expanded to their built-in default), every default-ACL bit
/// (<see cref="DefaultAcl"/>, a missing global entry expanded to the built-in default), every role membership
/// (<see cref="Memberships"/>), and the owner of every object (<see cref="Owners"/>). Two states are equal
/// when these are; <see cref="Version"/>, <see cref="Database"/> and <see cref="BootstrapSuperuser"/> describe
/// where a state was read and are not compared. Sets are sorted, so a state prints the same way every time
/// (<see cref="Lines"/>).
/// </summary>
public sealed class GrantState : IEquatable<GrantState>
{
    /// <summary>A state of the given facts.</summary>
    public GrantState(
        PgVersion version,
        string database,
        string? bootstrapSuperuser,
        IEnumerable<KeyValuePair<StateObject, string>> owners,
        IEnumerable<AclFact> acl,
        IEnumerable<DefaultAclFact> defaultAcl,
        IEnumerable<MembershipFact> memberships)
    {
        ArgumentNullException.ThrowIfNull(database);
        Version = version;
        Database = database;
        BootstrapSuperuser = bootstrapSuperuser;
        Owners = ImmutableSortedDictionary.CreateRange(Comparer<StateObject>.Default, owners);
        Acl = ImmutableSortedSet.CreateRange(acl);
        DefaultAcl = ImmutableSortedSet.CreateRange(defaultAcl);
        Memberships = ImmutableSortedSet.CreateRange(memberships);
        foreach (var fact in Acl)
        {
            if (!Owners.ContainsKey(fact.Object))
                throw new ArgumentException($"{fact}: the state has no owner for {fact.Object}", nameof(acl));
            if (fact.Grantee is null && fact.Grantable)
                throw new ArgumentException($"{fact}: grant options cannot be granted to PUBLIC", nameof(acl));
        }
    }

    /// <summary>The server version the state was read from (memberships follow its rules).</summary>
    public PgVersion Version { get; }

    /// <summary>The name of the database the state was read from (<see cref="StateObject.CurrentDatabase"/>).</summary>
    public string Database { get; }

    /// <summary>The bootstrap superuser (OID 10): on 16+ the recorded grantor of every superuser's role grant, needing no ADMIN option.</summary>
    public string? BootstrapSuperuser { get; }

    /// <summary>Every object the state holds, with its owner.</summary>
    public ImmutableSortedDictionary<StateObject, string> Owners { get; }

    /// <summary>Object and column ACLs, one fact per privilege bit.</summary>
    public ImmutableSortedSet<AclFact> Acl { get; }

    /// <summary>Default ACLs (pg_default_acl), one fact per privilege bit.</summary>
    public ImmutableSortedSet<DefaultAclFact> DefaultAcl { get; }

    /// <summary>Role memberships (pg_auth_members).</summary>
    public ImmutableSortedSet<MembershipFact> Memberships { get; }

    /// <summary>The default-ACL object types of a major: large objects from 18.</summary>
    public static ImmutableArray<DefaultObjectType> DefaultObjectTypes(int major) => major >= 18
        ? [DefaultObjectType.Tables, DefaultObjectType.Sequences, DefaultObjectType.Functions, DefaultObjectType.Types, DefaultObjectType.Schemas, DefaultObjectType.LargeObjects]
        : [DefaultObjectType.Tables, DefaultObjectType.Sequences, DefaultObjectType.Functions, DefaultObjectType.Types, DefaultObjectType.Schemas];

    /// <summary>
    /// The facts of a snapshot: the current database, schemas, relations of every kind and their columns,
    /// routines, types and domains, languages; default ACLs; memberships — limited by <paramref name="filter"/>.
    /// </summary>
    public static GrantState Of(CatalogSnapshot snapshot, GrantStateFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        filter ??= GrantStateFilter.All;
        var major = snapshot.Version.Major;
        var owners = new List<KeyValuePair<StateObject, string>>();
        var acl = new List<AclFact>();

        void Add(ISecurable obj, Relation? relation = null)
        {
            var key = StateObject.Of(snapshot, obj);
            if (!filter.Object(key)) return;
            owners.Add(new(key, snapshot.RoleName(obj.Owner)));
            AddEntries(key, null, obj.Acl);
            if (relation is not null)
                foreach (var column in relation.Columns)
                    AddEntries(key, column.Name, column.Acl);
        }

        void AddEntries(StateObject key, string? column, AclList list)
        {
            foreach (var entry in list.Entries)
            {
                var grantee = entry.IsPublic ? null : snapshot.RoleName(entry.Grantee);
                if (!filter.Role(grantee)) continue;
                var grantor = snapshot.RoleName(entry.Grantor);
                foreach (var bit in Privileges.Split(entry.Privileges))
                    acl.Add(new AclFact(key, column, grantee, bit, (entry.Grantable & bit) != 0, grantor));
            }
        }

        if (snapshot.CurrentDatabaseInfo is { } database) Add(database);
        foreach (var s in snapshot.Schemas) Add(s);
        foreach (var r in snapshot.Relations) Add(r, r);
        foreach (var f in snapshot.Functions) Add(f);
        foreach (var t in snapshot.Types) Add(t);
        foreach (var l in snapshot.Languages) Add(l);

        var defaults = new List<DefaultAclFact>();
        var globals = new HashSet<(uint, DefaultObjectType)>();
        foreach (var d in snapshot.DefaultAcls)
        {
            var creator = snapshot.RoleName(d.Role);
            var type = SqlWriter.DefaultObjectTypeOf(d.ObjectType);
            if (d.Schema == 0) globals.Add((d.Role, type));
            if (!filter.Role(creator)) continue;
            string? schema = null;
            if (d.Schema != 0)
            {
                schema = snapshot.SchemaName(d.Schema);
                if (!filter.Object(new StateObject(ObjectKind.Schema, null, schema))) continue;
            }
            AddDefaults(defaults, filter, creator, schema, type, d.Acl.Entries, snapshot);
        }
        // A creator without a global entry for a type has the built-in default (acldefault) for it.
        foreach (var role in snapshot.Roles)
        {
            if (!filter.Role(role.Name)) continue;
            foreach (var type in DefaultObjectTypes(major))
                if (!globals.Contains((role.Oid, type)))
                    AddDefaults(defaults, filter, role.Name, null, type, Privileges.Default(DefaultKind(type), role.Oid, major).Entries, snapshot);
        }

        var memberships = new List<MembershipFact>();
        foreach (var m in snapshot.Memberships)
        {
            var role = snapshot.RoleName(m.Group);
            var member = snapshot.RoleName(m.Member);
            if (!filter.Role(role) || !filter.Role(member)) continue;
            memberships.Add(new MembershipFact(role, member, snapshot.RoleName(m.Grantor), m.AdminOption, m.InheritOption, m.SetOption));
        }

        return new GrantState(snapshot.Version, snapshot.CurrentDatabase, snapshot.RoleByOid(10)?.Name, owners, acl, defaults, memberships);
    }

    private static void AddDefaults(List<DefaultAclFact> into, GrantStateFilter filter, string creator, string? schema, DefaultObjectType type,
        ImmutableArray<AclEntry> entries, CatalogSnapshot snapshot)
    {
        foreach (var entry in entries)
        {
            var grantee = entry.IsPublic ? null : snapshot.RoleName(entry.Grantee);
            if (!filter.Role(grantee)) continue;
            foreach (var bit in Privileges.Split(entry.Privileges))
                into.Add(new DefaultAclFact(creator, schema, type, grantee, bit, (entry.Grantable & bit) != 0));
        }
    }

    /// <summary>The object kind whose acldefault a default-ACL object type starts from.</summary>
    public static ObjectKind DefaultKind(DefaultObjectType type) => type switch
    {
        DefaultObjectType.Tables => ObjectKind.Table,
        DefaultObjectType.Sequences => ObjectKind.Sequence,
        DefaultObjectType.Functions => ObjectKind.Function,
        DefaultObjectType.Types => ObjectKind.Type,
        DefaultObjectType.Schemas => ObjectKind.Schema,
        DefaultObjectType.LargeObjects => ObjectKind.LargeObject,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The state as text, one line per owner and fact, in a fixed order (for printing and comparing).</summary>
    public IEnumerable<string> Lines()
    {
        foreach (var (obj, owner) in Owners) yield return $"{obj}: owner {SqlNames.Ident(owner)}";
        foreach (var f in Acl) yield return f.ToString();
        foreach (var f in DefaultAcl) yield return f.ToString();
        foreach (var f in Memberships) yield return f.ToString();
    }

    /// <summary>The lines of <see cref="Lines"/>, joined.</summary>
    public override string ToString() => string.Join("\n", Lines());

    /// <summary>Same owners and facts (version, database name and bootstrap superuser are not compared).</summary>
    public bool Equals(GrantState? other) =>
        other is not null
        && Owners.Count == other.Owners.Count && Owners.All(o => other.Owners.TryGetValue(o.Key, out var owner) && owner == o.Value)
        && Acl.SetEquals(other.Acl)
        && DefaultAcl.SetEquals(other.DefaultAcl)
        && Memberships.SetEquals(other.Memberships);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is GrantState other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Owners.Count);
        hash.Add(Acl.Count);
        hash.Add(DefaultAcl.Count);
        hash.Add(Memberships.Count);
        foreach (var f in Acl) hash.Add(f);
        foreach (var f in Memberships) hash.Add(f);
        return hash.ToHashCode();
    }

    /// <summary>Same owners and facts.</summary>
    public static bool operator ==(GrantState? left, GrantState? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Different owners or facts.</summary>
    public static bool operator !=(GrantState? left, GrantState? right) => !(left == right);
}
