using System.Collections.Immutable;
using Pgrant.Core.Acl;

namespace Pgrant.Core.Catalog;

/// <summary>A role (pg_roles). Predefined roles are the pg_* roles created by initdb (OID below 16384).</summary>
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
    ObjectKind Kind { get; }
    uint Oid { get; }
    uint Owner { get; }
    AclList Acl { get; }
}

public sealed record Database(uint Oid, string Name, uint Owner, AclList Acl, bool AllowConnections, bool IsTemplate) : ISecurable
{
    public ObjectKind Kind => ObjectKind.Database;
}

/// <summary>
/// A schema (pg_namespace; pg_toast and temporary schemas are not read). <see cref="IsSystem"/> marks
/// pg_catalog and information_schema: they are read because their ACLs and relations can be the
/// subject of a "permission denied", but audits normally skip them.
/// </summary>
public sealed record Schema(uint Oid, string Name, uint Owner, AclList Acl, bool IsSystem = false) : ISecurable
{
    public ObjectKind Kind => ObjectKind.Schema;
}

/// <summary>
/// A column (pg_attribute, attnum &gt; 0, not dropped). Its ACL is the column-level one: empty when NULL.
/// <see cref="HasDefaultExpression"/> is atthasdef: a DEFAULT or a generation expression exists (its text
/// is not read: deparsing 100,000s of defaults dominated the catalog read, and only its presence is
/// used; which sequences a default calls comes from pg_depend, <see cref="Sequence.UsedByDefaults"/>).
/// </summary>
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
    public bool IsIdentity => Identity != '\0';
    public bool HasDefault => HasDefaultExpression || IsIdentity || Generated != '\0';
}

/// <summary>
/// A relation of any relkind: table, partitioned table, view, materialized view, foreign table,
/// sequence (<see cref="Kind"/> tells). Columns are empty for sequences.
/// </summary>
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
public sealed record Policy(string Name, char Command, bool Permissive, ImmutableArray<uint> Roles);

/// <summary>A table column whose default (or identity) draws from a sequence.</summary>
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
public sealed record TypeInfo(uint Oid, uint Schema, string Name, ObjectKind Kind /* Type or Domain */, uint Owner, AclList Acl, uint RangeType = 0) : ISecurable;

public sealed record Language(uint Oid, string Name, uint Owner, AclList Acl, bool Trusted) : ISecurable
{
    public ObjectKind Kind => ObjectKind.Language;
}

/// <summary>
/// pg_default_acl: objects later created by <see cref="Role"/> (in <see cref="Schema"/>, or
/// anywhere when 0) get <see cref="Acl"/>. <see cref="ObjectType"/> is defaclobjtype:
/// r tables, S sequences, f functions, T types, n schemas, L large objects (18+).
/// </summary>
public sealed record DefaultAcl(uint Role, uint Schema, char ObjectType, AclList Acl);

/// <summary>
/// One row of pg_db_role_setting: parameters a session of <see cref="Role"/> (0: every role) in
/// <see cref="Database"/> (0: every database) starts with, as "name=value" texts (ALTER ROLE … SET,
/// ALTER DATABASE … SET).
/// </summary>
public sealed record RoleSetting(uint Role, uint Database, ImmutableArray<string> Config);
