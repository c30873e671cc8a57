using System.Collections.Immutable;
using Pgrant.Core.Acl;

namespace Pgrant.Core.Catalog;

/// <summary>A role (pg_roles). Predefined roles are the pg_* roles created by initdb (OID below 16384).</summary>
/// <param name="Oid">The role's OID.</param>
/// <param name="Name">rolname.</param>
/// <param name="IsSuperuser">rolsuper: every privilege check passes for it.</param>
/// <param name="CanLogin">rolcanlogin: a user, not only a group.</param>
/// <param name="Inherit">rolinherit; on 13–15 it decides whether the role's memberships pass privileges to it.</param>
/// <param name="CreateRole">rolcreaterole: may create, alter and drop roles.</param>
/// <param name="CreateDb">rolcreatedb: may create databases.</param>
/// <param name="BypassRls">rolbypassrls: row-level security policies do not apply to it.</param>
/// <param name="IsPredefined">A pg_* role created by initdb.</param>
public sealed record Role(
    uint Oid,
    string Name,
    bool IsSuperuser,
    bool CanLogin,
    bool Inherit,
    bool CreateRole,
    bool CreateDb,
    bool BypassRls,
    bool IsPredefined);

/// <summary>
/// One row of pg_auth_members: <see cref="Member"/> is a member of <see cref="Group"/>.
/// <see cref="InheritOption"/> and <see cref="SetOption"/> exist per grant only on 16+; on 13–15
/// they are null: inheritance then follows the member's rolinherit attribute and SET is always allowed.
/// </summary>
/// <param name="Group">The role granted (roleid).</param>
/// <param name="Member">The role it is granted to.</param>
/// <param name="Grantor">The role that granted it.</param>
/// <param name="AdminOption">WITH ADMIN OPTION: the member may grant the group to others.</param>
/// <param name="InheritOption">16+: the member inherits the group's privileges through this grant; null on 13–15.</param>
/// <param name="SetOption">16+: the member may SET ROLE to the group through this grant; null on 13–15.</param>
public sealed record Membership(
    uint Group,
    uint Member,
    uint Grantor,
    bool AdminOption,
    bool? InheritOption,
    bool? SetOption);

/// <summary>Anything with an owner and an ACL.</summary>
public interface ISecurable
{
    /// <summary>What the object is; decides which privileges it can hold and its built-in default ACL.</summary>
    ObjectKind Kind { get; }

    /// <summary>The object's OID in its catalog.</summary>
    uint Oid { get; }

    /// <summary>The OID of the owning role: it holds every privilege unless revoked, and may always grant them.</summary>
    uint Owner { get; }

    /// <summary>The ACL the server evaluates: the catalog's, or the built-in default when the catalog holds NULL.</summary>
    AclList Acl { get; }
}

/// <summary>A database of the cluster (pg_database).</summary>
/// <param name="Oid">The database's OID.</param>
/// <param name="Name">datname.</param>
/// <param name="Owner">datdba: the owning role's OID.</param>
/// <param name="Acl">datacl: CONNECT, CREATE and TEMPORARY grants.</param>
/// <param name="AllowConnections">datallowconn: false means nobody may connect, whatever the ACL says.</param>
/// <param name="IsTemplate">datistemplate: may be cloned by any role with CREATEDB.</param>
public sealed record Database(uint Oid, string Name, uint Owner, AclList Acl, bool AllowConnections, bool IsTemplate) : ISecurable
{
    /// <summary>Always <see cref="ObjectKind.Database"/>.</summary>
    public ObjectKind Kind => ObjectKind.Database;
}

/// <summary>
/// A schema (pg_namespace; pg_toast and temporary schemas are not read). <see cref="IsSystem"/> marks
/// pg_catalog and information_schema: they are read because their ACLs and relations can be the
/// subject of a "permission denied", but audits normally skip them.
/// </summary>
/// <param name="Oid">The schema's OID.</param>
/// <param name="Name">nspname.</param>
/// <param name="Owner">nspowner: the owning role's OID.</param>
/// <param name="Acl">nspacl: USAGE and CREATE grants.</param>
/// <param name="IsSystem">pg_catalog or information_schema.</param>
public sealed record Schema(uint Oid, string Name, uint Owner, AclList Acl, bool IsSystem = false) : ISecurable
{
    /// <summary>Always <see cref="ObjectKind.Schema"/>.</summary>
    public ObjectKind Kind => ObjectKind.Schema;
}

/// <summary>
/// A column (pg_attribute, attnum &gt; 0, not dropped). Its ACL is the column-level one: empty when NULL.
/// <see cref="HasDefaultExpression"/> is atthasdef: a DEFAULT or a generation expression exists (its text
/// is not read: deparsing 100,000s of defaults dominated the catalog read, and only its presence is
/// used; which sequences a default calls comes from pg_depend, <see cref="Sequence.UsedByDefaults"/>).
/// </summary>
/// <param name="Number">attnum, from 1.</param>
/// <param name="Name">attname.</param>
/// <param name="TypeName">The type as format_type prints it (<c>integer</c>, <c>character varying(20)</c>).</param>
/// <param name="NotNull">attnotnull: an INSERT must give it a value unless it has a default.</param>
/// <param name="HasDefaultExpression">atthasdef: a DEFAULT or generation expression exists.</param>
/// <param name="Identity">attidentity: '\0' none, 'a' GENERATED ALWAYS, 'd' GENERATED BY DEFAULT.</param>
/// <param name="Generated">attgenerated: '\0' none, 's' stored, 'v' virtual (18+).</param>
/// <param name="Acl">attacl: the column's own grants; empty when NULL.</param>
public sealed record Column(
    short Number,
    string Name,
    string TypeName,
    bool NotNull,
    bool HasDefaultExpression,
    char Identity,      // '\0' none, 'a' ALWAYS, 'd' BY DEFAULT
    char Generated,     // '\0' none, 's' stored, 'v' virtual (18+)
    AclList Acl)
{
    /// <summary>An identity column: its values come from its own sequence.</summary>
    public bool IsIdentity => Identity != '\0';

    /// <summary>An INSERT that leaves the column out still gives it a value (a default, an identity or a generation expression).</summary>
    public bool HasDefault => HasDefaultExpression || IsIdentity || Generated != '\0';

    /// <summary>A system column (attnum &lt; 0: ctid, xmin, cmin, xmax, cmax, tableoid); see <see cref="SystemColumns"/>.</summary>
    public bool IsSystem => Number < 0;
}

/// <summary>
/// The system columns every table, partitioned table, materialized view and foreign table has (a view has
/// none; a sequence has them too, but pgrant reads no column of a sequence), with the attnum the server gives
/// them on 13–18 (the same on each; <c>oid</c> stopped being one in 12). They carry column privileges like any column — <c>GRANT SELECT (tableoid) ON t</c>
/// stores an attacl, and has_column_privilege judges the table's ACL first, then that one (checked on 13–18).
/// The catalog read keeps only the system columns whose attacl is not NULL (<see cref="Relation.SystemColumnGrants"/>);
/// the others are these shared definitions, with an empty ACL.
/// </summary>
public static class SystemColumns
{
    /// <summary>The six system columns in attnum order (-1 ctid … -6 tableoid), each with an empty ACL.</summary>
    public static ImmutableArray<Column> Definitions { get; } =
    [
        Define(-1, "ctid", "tid"),
        Define(-2, "xmin", "xid"),
        Define(-3, "cmin", "cid"),
        Define(-4, "xmax", "xid"),
        Define(-5, "cmax", "cid"),
        Define(-6, "tableoid", "oid"),
    ];

    /// <summary>
    /// Whether pgrant answers for the system columns of a relation of <paramref name="kind"/>: tables, partitioned
    /// tables, materialized views and foreign tables (a view has none; a sequence's columns are not read).
    /// </summary>
    public static bool ExistFor(ObjectKind kind) => kind is ObjectKind.Table or ObjectKind.PartitionedTable
        or ObjectKind.MaterializedView or ObjectKind.ForeignTable;

    /// <summary>The definition of the system column named exactly <paramref name="name"/>, or null.</summary>
    public static Column? Named(string name)
    {
        foreach (var c in Definitions)
            if (c.Name == name) return c;
        return null;
    }

    private static Column Define(short number, string name, string type) =>
        new(number, name, type, NotNull: true, HasDefaultExpression: false, Identity: '\0', Generated: '\0', AclList.Empty);
}

/// <summary>
/// A relation of any relkind: table, partitioned table, view, materialized view, foreign table,
/// sequence (<see cref="Kind"/> tells). Columns are empty for sequences.
/// </summary>
/// <param name="Oid">The relation's OID (pg_class).</param>
/// <param name="Schema">relnamespace: the OID of its schema.</param>
/// <param name="Name">relname.</param>
/// <param name="Kind">relkind as a kind: table, partitioned table, view, materialized view, foreign table or sequence.</param>
/// <param name="Owner">relowner: the owning role's OID.</param>
/// <param name="Acl">relacl: the relation's own grants.</param>
/// <param name="RowSecurity">relrowsecurity: row-level security is enabled (ENABLE ROW LEVEL SECURITY).</param>
/// <param name="ForceRowSecurity">relforcerowsecurity: the policies apply to the owner too.</param>
/// <param name="SecurityInvoker">A view with security_invoker (15+): its base relations are checked as the querying role, not the owner.</param>
/// <param name="Columns">The columns in attnum order.</param>
public sealed record Relation(
    uint Oid,
    uint Schema,
    string Name,
    ObjectKind Kind,
    uint Owner,
    AclList Acl,
    bool RowSecurity,
    bool ForceRowSecurity,
    bool SecurityInvoker,
    ImmutableArray<Column> Columns) : ISecurable
{
    /// <summary>
    /// Views and materialized views: what their query reads, from the pg_depend rows of their _RETURN
    /// rule (deptype 'n', the view itself left out), sorted. A column number &gt; 0 is a column the query
    /// names; 0 is the relation as a whole — the server records it only when no column of that relation
    /// is named (count(*), a whole-row reference). Sequences named in nextval('…') constants appear too.
    /// Empty for every other relkind.
    /// </summary>
    public ImmutableArray<ColumnRef> ViewReferences { get; init; } = [];

    /// <summary>The distinct relations of <see cref="ViewReferences"/>, in OID order.</summary>
    public IEnumerable<uint> ViewBaseRelations => ViewReferences.Select(r => r.Relation).Distinct();

    /// <summary>Row-level security policies on this table (pg_policy), by name.</summary>
    public ImmutableArray<Policy> Policies { get; init; } = [];

    /// <summary>
    /// The system columns (attnum &lt; 0) whose own ACL is not NULL: <c>GRANT SELECT (ctid) ON t</c> is legal and
    /// stored like a column grant. In attnum order, descending (-1 first). <see cref="Columns"/> holds only the
    /// user columns; <see cref="SystemColumn"/> answers for every system column.
    /// </summary>
    public ImmutableArray<Column> SystemColumnGrants { get; init; } = [];

    /// <summary>
    /// The system column named exactly <paramref name="name"/> with its ACL (empty when it has no grant of its own),
    /// or null when there is no such system column or the relation has none (a view).
    /// </summary>
    public Column? SystemColumn(string name)
    {
        if (!SystemColumns.ExistFor(Kind)) return null;
        foreach (var c in SystemColumnGrants)
            if (c.Name == name) return c;
        return SystemColumns.Named(name);
    }

    /// <summary>Every system column of the relation with its ACL (none for a view), in attnum order (-1 first).</summary>
    public IEnumerable<Column> AllSystemColumns =>
        SystemColumns.ExistFor(Kind) ? SystemColumns.Definitions.Select(d => SystemColumn(d.Name)!) : [];

    /// <summary>Whether any column (other than attnum <paramref name="except"/>) has its own ACL entries.</summary>
    public bool HasColumnAcls(short? except = null)
    {
        foreach (var c in Columns)
            if (c.Number != except && !c.Acl.Entries.IsEmpty) return true;
        return false;
    }

    /// <summary>The column with attnum <paramref name="number"/>, or null (columns are in attnum order).</summary>
    public Column? ColumnByNumber(short number)
    {
        foreach (var c in Columns)
            if (c.Number == number) return c;
        return null;
    }
}

/// <summary>
/// A row-level security policy (pg_policy). <see cref="Command"/> is polcmd: r SELECT, a INSERT,
/// w UPDATE, d DELETE, * ALL. <see cref="Roles"/> are the roles it applies to (0 is PUBLIC); it
/// applies to a role that has the privileges of one of them.
/// </summary>
/// <param name="Name">polname.</param>
/// <param name="Command">polcmd: 'r', 'a', 'w', 'd' or '*'.</param>
/// <param name="Permissive">polpermissive: permissive policies are OR-ed; restrictive ones (false) must all pass too.</param>
/// <param name="Roles">polroles: the role OIDs it applies to, 0 for PUBLIC.</param>
public sealed record Policy(string Name, char Command, bool Permissive, ImmutableArray<uint> Roles);

/// <summary>A table column whose default (or identity) draws from a sequence.</summary>
/// <param name="Relation">The table's OID.</param>
/// <param name="Column">The column's attnum; 0 means the relation as a whole.</param>
public readonly record struct ColumnRef(uint Relation, short Column);

/// <summary>
/// Sequence facts beyond its relation row. <see cref="LastValue"/> is null when unreadable
/// or never called. <see cref="UsedByDefaults"/> lists columns whose DEFAULT calls nextval()
/// on this sequence (from pg_depend of pg_attrdef), <see cref="OwnedBy"/> the OWNED BY column
/// (deptype 'a') or identity column (deptype 'i').
/// <see cref="LastValueRead"/> is false when the reader did not read last_value/is_called (no SELECT
/// or USAGE, too many sequences to lock in one transaction, unlogged on a standby); LastValue and
/// IsCalled then carry no information and <see cref="CatalogSnapshot.Unreadable"/> says why.
/// </summary>
/// <param name="Oid">The sequence's OID; its <see cref="Relation"/> has the same.</param>
/// <param name="DataType">seqtypid as format_type prints it: smallint, integer or bigint.</param>
/// <param name="Start">seqstart: START WITH.</param>
/// <param name="Increment">seqincrement: INCREMENT BY.</param>
/// <param name="Min">seqmin: MINVALUE.</param>
/// <param name="Max">seqmax: MAXVALUE.</param>
/// <param name="Cycle">seqcycle: wraps around instead of failing when exhausted.</param>
/// <param name="LastValue">The last value handed out (pg_sequence_last_value), or null.</param>
/// <param name="IsCalled">Whether nextval() has been called since the last setval or restart.</param>
/// <param name="OwnedBy">The column that owns the sequence (OWNED BY, serial or identity), or null.</param>
/// <param name="IsIdentity">The sequence belongs to an identity column.</param>
/// <param name="UsedByDefaults">The columns whose DEFAULT calls nextval() on it.</param>
/// <param name="LastValueRead">Whether <paramref name="LastValue"/> and <paramref name="IsCalled"/> were read.</param>
public sealed record Sequence(
    uint Oid,
    string DataType,
    long Start,
    long Increment,
    long Min,
    long Max,
    bool Cycle,
    long? LastValue,
    bool IsCalled,
    ColumnRef? OwnedBy,
    bool IsIdentity,
    ImmutableArray<ColumnRef> UsedByDefaults,
    bool LastValueRead = true);

/// <summary>
/// A function, procedure or aggregate (pg_proc). The system routines are read only when their ACL is
/// not the default: only those can deny EXECUTE.
/// </summary>
/// <param name="Oid">The routine's OID.</param>
/// <param name="Schema">pronamespace: the OID of its schema.</param>
/// <param name="Name">proname.</param>
/// <param name="IdentityArguments">The argument types that tell overloads apart, as pg_get_function_identity_arguments prints them.</param>
/// <param name="Kind"><see cref="ObjectKind.Function"/>, <see cref="ObjectKind.Procedure"/> or <see cref="ObjectKind.Aggregate"/>.</param>
/// <param name="Owner">proowner: the owning role's OID.</param>
/// <param name="Acl">proacl: EXECUTE grants (PUBLIC holds EXECUTE by default).</param>
/// <param name="SecurityDefiner">prosecdef: it runs with its owner's privileges, not the caller's.</param>
/// <param name="Config">proconfig: the settings it runs with (SET search_path = …), as "name=value".</param>
/// <param name="Language">The name of its language (sql, plpgsql, c …).</param>
public sealed record Function(
    uint Oid,
    uint Schema,
    string Name,
    string IdentityArguments,
    ObjectKind Kind,            // Function, Procedure, Aggregate
    uint Owner,
    AclList Acl,
    bool SecurityDefiner,
    ImmutableArray<string> Config,
    string Language) : ISecurable;

/// <summary>
/// A type or domain. <see cref="RangeType"/> is set for a multirange on 17+: there the server
/// (pg_type_aclmask) judges it by its range type's ACL and owner; 0 for every other type, and on
/// 14–16, where a multirange has an ACL and owner of its own.
/// </summary>
/// <param name="Oid">The type's OID.</param>
/// <param name="Schema">typnamespace: the OID of its schema.</param>
/// <param name="Name">typname.</param>
/// <param name="Kind"><see cref="ObjectKind.Type"/> or <see cref="ObjectKind.Domain"/>.</param>
/// <param name="Owner">typowner: the owning role's OID.</param>
/// <param name="Acl">typacl: USAGE grants (PUBLIC holds USAGE by default).</param>
/// <param name="RangeType">A multirange's range type on 17+, else 0.</param>
public sealed record TypeInfo(uint Oid, uint Schema, string Name, ObjectKind Kind /* Type or Domain */, uint Owner, AclList Acl, uint RangeType = 0) : ISecurable
{
    /// <summary>
    /// A true array type's element type (typelem), else 0. The server (pg_type_aclmask) keeps no privileges for a
    /// true array — GRANT on one fails with "cannot set privileges of array types" — and judges its element type
    /// instead: 13 counts a type with typelem and typlen -1 as a true array, 14+ one whose typsubscript is
    /// array_subscript_handler (so <c>point</c>, with a typelem but fixed length, keeps its own).
    /// </summary>
    public uint ElementType { get; init; }

    /// <summary>
    /// The relation whose implicit row type this is (typrelid of a table, view, materialized view, foreign or
    /// partitioned table, or 13's sequences), else 0; a standalone composite type has 0 here. A row type has
    /// an ACL of its own (GRANT USAGE ON TYPE t is legal) and follows its table's owner (checked on 13–18).
    /// </summary>
    public uint RowTypeOf { get; init; }

    /// <summary>The type's array type (typarray), or 0: how <c>name[]</c> finds its array type.</summary>
    public uint ArrayType { get; init; }
}

/// <summary>
/// A large object (pg_largeobject_metadata, readable by every role). Large objects belong to the database;
/// a database may hold millions, so the catalog reader reads only the ones a scope names
/// (<see cref="CatalogScope.LargeObjects"/>).
/// </summary>
/// <param name="Oid">The large object's OID, its only name.</param>
/// <param name="Owner">lomowner: the owning role's OID.</param>
/// <param name="Acl">lomacl: SELECT and UPDATE grants (nothing for PUBLIC by default).</param>
public sealed record LargeObject(uint Oid, uint Owner, AclList Acl) : ISecurable
{
    /// <summary>Always <see cref="ObjectKind.LargeObject"/>.</summary>
    public ObjectKind Kind => ObjectKind.LargeObject;
}

/// <summary>A procedural language (pg_language): USAGE on it lets a role create routines in it.</summary>
/// <param name="Oid">The language's OID.</param>
/// <param name="Name">lanname.</param>
/// <param name="Owner">lanowner: the owning role's OID.</param>
/// <param name="Acl">lanacl: USAGE grants.</param>
/// <param name="Trusted">lanpltrusted: ordinary roles may be granted USAGE; an untrusted language is for superusers only.</param>
public sealed record Language(uint Oid, string Name, uint Owner, AclList Acl, bool Trusted) : ISecurable
{
    /// <summary>Always <see cref="ObjectKind.Language"/>.</summary>
    public ObjectKind Kind => ObjectKind.Language;
}

/// <summary>
/// pg_default_acl: objects later created by <see cref="Role"/> (in <see cref="Schema"/>, or
/// anywhere when 0) get <see cref="Acl"/>. <see cref="ObjectType"/> is defaclobjtype:
/// r tables, S sequences, f functions, T types, n schemas, L large objects (18+).
/// </summary>
/// <param name="Role">defaclrole: the creating role the defaults apply to.</param>
/// <param name="Schema">defaclnamespace: the schema's OID, or 0 for every schema.</param>
/// <param name="ObjectType">defaclobjtype: 'r', 'S', 'f', 'T', 'n' or 'L'.</param>
/// <param name="Acl">defaclacl: the ACL new objects get.</param>
public sealed record DefaultAcl(uint Role, uint Schema, char ObjectType, AclList Acl);

/// <summary>
/// One row of pg_db_role_setting: parameters a session of <see cref="Role"/> (0: every role) in
/// <see cref="Database"/> (0: every database) starts with, as "name=value" texts (ALTER ROLE … SET,
/// ALTER DATABASE … SET).
/// </summary>
/// <param name="Role">setrole: the role's OID, or 0 for every role.</param>
/// <param name="Database">setdatabase: the database's OID, or 0 for every database.</param>
/// <param name="Config">setconfig: the settings, as "name=value".</param>
public sealed record RoleSetting(uint Role, uint Database, ImmutableArray<string> Config);

/// <summary>
/// What a role carries in the cluster, from pg_shdepend: the objects it owns (in every database; those of
/// the current database and shared ones described) and the objects whose ACL names it. Membership in the
/// role hands these over, so a diagnosis says so. Objects of the bootstrap superuser are not recorded there.
/// </summary>
/// <param name="Role">The role's OID.</param>
/// <param name="Owned">Objects it owns, in every database.</param>
/// <param name="OwnedHere">Of those, the ones of the current database and shared ones (databases, tablespaces).</param>
/// <param name="Privileged">Objects it does not own whose ACL grants it something, in every database.</param>
/// <param name="Examples">Up to five of the objects it owns here, as pg_describe_object words them ("table public.items").</param>
public sealed record RoleFootprint(uint Role, int Owned, int OwnedHere, int Privileged, ImmutableArray<string> Examples);

/// <summary>
/// A foreign-data wrapper, foreign server or, on 15+, a configuration parameter that has an ACL (pg_parameter_acl; owned by the bootstrap superuser, as acldefault has it).
/// </summary>
/// <param name="Kind">ForeignDataWrapper, ForeignServer or Parameter (large objects are <see cref="LargeObject"/>s).</param>
/// <param name="Oid">The object's OID in its catalog.</param>
/// <param name="Name">Its name; a parameter's name in lower case.</param>
/// <param name="Owner">The owning role's OID.</param>
/// <param name="Acl">Its ACL (the built-in default when the catalog holds NULL).</param>
public sealed record SecurableObject(ObjectKind Kind, uint Oid, string Name, uint Owner, AclList Acl) : ISecurable;
