using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Sql;

namespace Pgrant.Spec;

/// <summary>Where something was written in a spec: file, line and column (1-based), printed <c>spec.yaml:12:5</c>.</summary>
public sealed record SpecLocation(string File, int Line, int Column)
{
    /// <summary><c>file:line:column</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>
/// Privileges as a spec names them: single privileges, or ALL, kept as ALL until a server major says what it
/// means (<see cref="Resolve"/>: MAINTAIN joins the table privileges on 17+).
/// </summary>
public readonly record struct SpecPrivileges(Privilege Bits, bool All)
{
    /// <summary>The privileges on a kind of object on a server major.</summary>
    public Privilege Resolve(ObjectKind kind, int major) => All ? Privileges.All(kind, major) : Bits;

    /// <summary><c>ALL</c>, or the privilege names in the server's order.</summary>
    public override string ToString() => All ? "ALL" : string.Join(", ", Privileges.Split(Bits).Select(Privileges.SqlName));
}

/// <summary>
/// The password of a role, by reference only: the name of the environment variable that holds it when the role
/// is created. The value is never read by the loader, never kept in the model, never printed.
/// </summary>
public sealed record PasswordReference(string Environment)
{
    /// <summary><c>password from $NAME</c>: never the value.</summary>
    public override string ToString() => $"password from ${Environment}";
}

/// <summary>A role and the attributes the spec declares (null: not declared, the server's or current value stays).</summary>
public sealed record RoleSpec(string Name, SpecLocation Location)
{
    /// <summary>LOGIN.</summary>
    public bool? Login { get; init; }
    /// <summary>SUPERUSER.</summary>
    public bool? Superuser { get; init; }
    /// <summary>CREATEDB.</summary>
    public bool? CreateDb { get; init; }
    /// <summary>CREATEROLE.</summary>
    public bool? CreateRole { get; init; }
    /// <summary>REPLICATION.</summary>
    public bool? Replication { get; init; }
    /// <summary>BYPASSRLS.</summary>
    public bool? BypassRls { get; init; }
    /// <summary>INHERIT.</summary>
    public bool? Inherit { get; init; }
    /// <summary>CONNECTION LIMIT (-1: none).</summary>
    public int? ConnectionLimit { get; init; }
    /// <summary>VALID UNTIL, as the server reads a timestamp (<c>2027-01-01</c>, <c>infinity</c>).</summary>
    public string? ValidUntil { get; init; }
    /// <summary>COMMENT ON ROLE.</summary>
    public string? Comment { get; init; }
    /// <summary>Where the password comes from when the role is created (never the value).</summary>
    public PasswordReference? Password { get; init; }
    /// <summary>ALTER ROLE … SET parameter = value, in every database.</summary>
    public ImmutableSortedDictionary<string, string> Config { get; init; } = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
    /// <summary>ALTER ROLE … IN DATABASE d SET parameter = value, by database.</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> DatabaseConfig { get; init; } =
        ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>>.Empty.WithComparers(StringComparer.Ordinal);
}

/// <summary>
/// <see cref="Member"/> is a member of <see cref="Role"/>. <see cref="Inherit"/> and <see cref="Set"/> exist on
/// 16+ only (null: the server's default); <see cref="Grantor"/> null: whoever applies (the bootstrap superuser
/// when a superuser does).
/// </summary>
public sealed record MembershipSpec(string Role, string Member, bool Admin, bool? Inherit, bool? Set, string? Grantor, SpecLocation Location);

/// <summary>Privileges on one object for some grantees (null: PUBLIC).</summary>
public sealed record AclGrantSpec(ImmutableArray<string?> To, SpecPrivileges Privileges, bool WithGrantOption, SpecLocation Location);

/// <summary>A database: its owner and its ACL grants (CONNECT, CREATE, TEMPORARY).</summary>
public sealed record DatabaseSpec(string Name, string? Owner, ImmutableArray<AclGrantSpec> Grants, SpecLocation Location);

/// <summary>A schema: its owner and its ACL grants (USAGE, CREATE). A schema named here is in the managed scope.</summary>
public sealed record SchemaSpec(string Name, string? Owner, ImmutableArray<AclGrantSpec> Grants, SpecLocation Location);

/// <summary>The kinds of object a <see cref="GrantSpec"/> may name (the <c>on:</c> key).</summary>
public enum SpecObjectKind
{
    /// <summary><c>tables</c>: ordinary tables.</summary>
    Tables,
    /// <summary><c>views</c>.</summary>
    Views,
    /// <summary><c>materialized_views</c>.</summary>
    MaterializedViews,
    /// <summary><c>partitioned_tables</c>.</summary>
    PartitionedTables,
    /// <summary><c>foreign_tables</c>.</summary>
    ForeignTables,
    /// <summary><c>sequences</c>.</summary>
    Sequences,
    /// <summary><c>functions</c>.</summary>
    Functions,
    /// <summary><c>procedures</c>.</summary>
    Procedures,
    /// <summary><c>aggregates</c>.</summary>
    Aggregates,
    /// <summary><c>types</c>.</summary>
    Types,
    /// <summary><c>domains</c>.</summary>
    Domains,
    /// <summary><c>languages</c>.</summary>
    Languages,
    /// <summary><c>foreign_data_wrappers</c>.</summary>
    ForeignDataWrappers,
    /// <summary><c>foreign_servers</c>.</summary>
    ForeignServers,
    /// <summary><c>large_objects</c>.</summary>
    LargeObjects,
}

/// <summary>
/// Privileges on objects of one kind: in <see cref="Schema"/> (a name or a glob) for schema objects, named by
/// <see cref="Names"/> (names or globs; <c>*</c> for all), on their <see cref="Columns"/> when set (relations);
/// routines of <see cref="Arguments"/> only when set (identity arguments as the server prints them); large
/// objects by <see cref="Oids"/>.
/// </summary>
public sealed record GrantSpec(
    SpecObjectKind On,
    string? Schema,
    ImmutableArray<string> Names,
    ImmutableArray<string> Columns,
    string? Arguments,
    ImmutableArray<uint> Oids,
    ImmutableArray<string?> To,
    SpecPrivileges Privileges,
    bool WithGrantOption,
    SpecLocation Location);

/// <summary>
/// ALTER DEFAULT PRIVILEGES FOR ROLE each of <see cref="Creators"/> [IN SCHEMA <see cref="Schema"/>] GRANT
/// <see cref="Privileges"/> ON <see cref="On"/> TO <see cref="To"/> (null grantee: PUBLIC).
/// </summary>
public sealed record DefaultPrivilegeSpec(
    ImmutableArray<string> Creators,
    string? Schema,
    DefaultObjectType On,
    ImmutableArray<string?> To,
    SpecPrivileges Privileges,
    bool WithGrantOption,
    SpecLocation Location);

/// <summary>What a profile grants on a schema and on each kind of object in it.</summary>
public enum ProfileTarget
{
    /// <summary><c>schema</c>: the schema itself (USAGE, CREATE).</summary>
    Schema,
    /// <summary><c>tables</c>.</summary>
    Tables,
    /// <summary><c>views</c>.</summary>
    Views,
    /// <summary><c>materialized_views</c>.</summary>
    MaterializedViews,
    /// <summary><c>partitioned_tables</c>.</summary>
    PartitionedTables,
    /// <summary><c>foreign_tables</c>.</summary>
    ForeignTables,
    /// <summary><c>sequences</c>: every sequence (beyond those that follow tables).</summary>
    Sequences,
    /// <summary><c>functions</c>: functions, procedures and aggregates.</summary>
    Functions,
    /// <summary><c>types</c>: types and domains.</summary>
    Types,
}

/// <summary>
/// A named bundle of privileges per <see cref="ProfileTarget"/>. Built in: <see cref="ReadOnly"/> and
/// <see cref="ReadWrite"/>; a spec defines its own under <c>profiles:</c>.
/// </summary>
public sealed record ProfileSpec(string Name, ImmutableSortedDictionary<ProfileTarget, SpecPrivileges> Privileges, SpecLocation? Location)
{
    /// <summary><c>readonly</c>: USAGE on the schema, SELECT on tables, views, materialized views, partitioned and foreign tables.</summary>
    public static ProfileSpec ReadOnly { get; } = new("readonly", ImmutableSortedDictionary.CreateRange(new Dictionary<ProfileTarget, SpecPrivileges>
    {
        [ProfileTarget.Schema] = new(Privilege.Usage, false),
        [ProfileTarget.Tables] = new(Privilege.Select, false),
        [ProfileTarget.Views] = new(Privilege.Select, false),
        [ProfileTarget.MaterializedViews] = new(Privilege.Select, false),
        [ProfileTarget.PartitionedTables] = new(Privilege.Select, false),
        [ProfileTarget.ForeignTables] = new(Privilege.Select, false),
    }), null);

    /// <summary>
    /// <c>readwrite</c>: USAGE on the schema; SELECT, INSERT, UPDATE, DELETE on tables, views, partitioned and
    /// foreign tables; SELECT on materialized views. Sequences follow the tables (USAGE on those their defaults call).
    /// </summary>
    public static ProfileSpec ReadWrite { get; } = new("readwrite", ImmutableSortedDictionary.CreateRange(new Dictionary<ProfileTarget, SpecPrivileges>
    {
        [ProfileTarget.Schema] = new(Privilege.Usage, false),
        [ProfileTarget.Tables] = new(Write, false),
        [ProfileTarget.Views] = new(Write, false),
        [ProfileTarget.MaterializedViews] = new(Privilege.Select, false),
        [ProfileTarget.PartitionedTables] = new(Write, false),
        [ProfileTarget.ForeignTables] = new(Write, false),
    }), null);

    /// <summary>The built-in profiles by name.</summary>
    public static ImmutableArray<ProfileSpec> BuiltIn { get; } = [ReadOnly, ReadWrite];

    private const Privilege Write = Privilege.Select | Privilege.Insert | Privilege.Update | Privilege.Delete;
}

/// <summary>
/// A profile applied to roles (<see cref="To"/>) over the schemas that match <see cref="Schemas"/> (names or
/// globs) and none of <see cref="Except"/>, leaving out relations whose name matches <see cref="ExceptObjects"/>.
/// With <see cref="FutureObjects"/>, default privileges for the roles that create objects there, and for
/// <see cref="Creators"/>.
/// </summary>
public sealed record ProfileUse(
    ImmutableArray<string> To,
    string Profile,
    ImmutableArray<string> Schemas,
    ImmutableArray<string> Except,
    ImmutableArray<string> ExceptObjects,
    ImmutableArray<string> Creators,
    bool FutureObjects,
    SpecLocation Location);

/// <summary>A whole spec, as loaded from one file. Immutable; lists keep the order of the file.</summary>
public sealed record AccessSpec(
    string File,
    ImmutableArray<RoleSpec> Roles,
    ImmutableArray<MembershipSpec> Memberships,
    ImmutableArray<DatabaseSpec> Databases,
    ImmutableArray<SchemaSpec> Schemas,
    ImmutableArray<ProfileSpec> Profiles,
    ImmutableArray<ProfileUse> Access,
    ImmutableArray<GrantSpec> Grants,
    ImmutableArray<DefaultPrivilegeSpec> DefaultPrivileges)
{
    /// <summary>A profile by name: one of the spec's, else a built-in one.</summary>
    public ProfileSpec? Profile(string name) =>
        Profiles.FirstOrDefault(p => p.Name == name) ?? ProfileSpec.BuiltIn.FirstOrDefault(p => p.Name == name);
}

/// <summary>Something in a spec that is allowed but probably not meant (a glob that matches nothing …).</summary>
public sealed record SpecWarning(SpecLocation Location, string Message)
{
    /// <summary><c>file:line:column: warning: message</c>.</summary>
    public override string ToString() => $"{Location}: warning: {Message}";
}
