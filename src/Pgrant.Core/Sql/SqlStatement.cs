using Pgrant.Core.Acl;

namespace Pgrant.Core.Sql;

/// <summary>
/// A statement pgrant may emit, as a value: what it does (the record's fields) and why it exists
/// (<see cref="Reason"/>). Two statements that do the same thing are equal whatever their reasons,
/// so plans de-duplicate and merge them by value. <see cref="SqlWriter"/> is the one place that
/// turns them into SQL text.
/// </summary>
public abstract record SqlStatement
{
    /// <summary>A statement with its reason.</summary>
    protected SqlStatement(string reason) => Reason = reason;

    /// <summary>Why the statement exists, in plain words (which finding or need it serves).</summary>
    public string Reason { get; init; }

    /// <summary>The reason is not part of the value: equal statements do the same thing.</summary>
    public virtual bool Equals(SqlStatement? other) => other is not null && EqualityContract == other.EqualityContract;

    /// <inheritdoc/>
    public override int GetHashCode() => EqualityContract.GetHashCode();

    /// <summary>The SQL text, as <see cref="SqlWriter.Text"/> writes it.</summary>
    public sealed override string ToString() => SqlWriter.Text(this);
}

/// <summary>
/// <c>GRANT privileges [(columns)] ON kind objects TO grantees [WITH GRANT OPTION]</c>, run as
/// <see cref="Grantor"/> (SET ROLE) when the grant must be recorded as that role's: object grants take
/// the current role as grantor (GRANTED BY must name it), and a superuser's or an owner member's grants
/// are recorded as the owner's. <see cref="Columns"/> non-empty makes it a column grant (one object).
/// </summary>
/// <param name="Privileges">The privileges granted.</param>
/// <param name="Objects">The objects, all of one kind.</param>
/// <param name="Grantees">The roles (or PUBLIC) they are granted to.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
/// <param name="Columns">The columns, for a column grant on one object; empty for the whole objects.</param>
/// <param name="WithGrantOption">The grantees may grant the privileges on.</param>
/// <param name="Grantor">The role to SET ROLE to before granting, or null to grant as the connected role.</param>
public sealed record GrantPrivileges(
    Privilege Privileges,
    ValueList<SqlObject> Objects,
    ValueList<Grantee> Grantees,
    string Reason,
    ValueList<string> Columns = default,
    bool WithGrantOption = false,
    string? Grantor = null) : SqlStatement(Reason)
{
    /// <summary>One privilege set on one object to one grantee.</summary>
    public GrantPrivileges(Privilege privileges, SqlObject on, Grantee to, string reason)
        : this(privileges, [on], [to], reason) { }
}

/// <summary>
/// <c>REVOKE [GRANT OPTION FOR] privileges [(columns)] ON kind objects FROM grantees [CASCADE]</c>, run as
/// <see cref="Grantor"/> (SET ROLE): a REVOKE removes only what the current role granted (a superuser's
/// counts as the owner's).
/// </summary>
/// <param name="Privileges">The privileges revoked.</param>
/// <param name="Objects">The objects, all of one kind.</param>
/// <param name="Grantees">The roles (or PUBLIC) they are revoked from.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
/// <param name="Columns">The columns, for a column revoke on one object; empty for the whole objects.</param>
/// <param name="GrantOptionOnly">Revoke only the grant option, keeping the privileges.</param>
/// <param name="Cascade">Also revoke what the grantees granted on through the option.</param>
/// <param name="Grantor">The role to SET ROLE to before revoking (whose grants are removed), or null for the connected role.</param>
public sealed record RevokePrivileges(
    Privilege Privileges,
    ValueList<SqlObject> Objects,
    ValueList<Grantee> Grantees,
    string Reason,
    ValueList<string> Columns = default,
    bool GrantOptionOnly = false,
    bool Cascade = false,
    string? Grantor = null) : SqlStatement(Reason);

/// <summary>
/// The options of a role membership: 13–15 know only ADMIN; 16+ also INHERIT and SET per grant.
/// Null leaves an option to the server's default (or, re-granting, as it is).
/// </summary>
/// <param name="Admin">ADMIN: the member may grant the role to others.</param>
/// <param name="Inherit">INHERIT (16+): the member has the role's privileges without SET ROLE.</param>
/// <param name="Set">SET (16+): the member may SET ROLE to it.</param>
public sealed record MembershipOptions(bool? Admin = null, bool? Inherit = null, bool? Set = null)
{
    /// <summary>No option named.</summary>
    public static readonly MembershipOptions None = new();

    /// <summary>True when INHERIT or SET is named (16+ syntax).</summary>
    public bool NeedsOptionSyntax => Inherit is not null || Set is not null || Admin == false;
}

/// <summary><c>GRANT role TO member [WITH options] [GRANTED BY grantor]</c>.</summary>
/// <param name="Role">The role granted.</param>
/// <param name="Member">The role that becomes its member.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
/// <param name="Options">The membership's options; null for none named.</param>
/// <param name="GrantedBy">The grantor to record (GRANTED BY), or null for the connected role.</param>
public sealed record GrantRole(string Role, string Member, string Reason, MembershipOptions? Options = null, string? GrantedBy = null)
    : SqlStatement(Reason);

/// <summary>Which option of a membership <see cref="RevokeRole"/> takes away, keeping the membership.</summary>
public enum MembershipOption
{
    /// <summary>ADMIN OPTION: the member may no longer grant the role.</summary>
    Admin,
    /// <summary>16+: the member no longer inherits the role's privileges.</summary>
    Inherit,
    /// <summary>16+: the member may no longer SET ROLE to it.</summary>
    Set,
}

/// <summary><c>REVOKE [option OPTION FOR] role FROM member [GRANTED BY grantor] [CASCADE]</c>.</summary>
/// <param name="Role">The role whose membership is revoked.</param>
/// <param name="Member">The member it is revoked from.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
/// <param name="OptionOnly">Revoke only this option, keeping the membership; null revokes the membership.</param>
/// <param name="GrantedBy">The grantor whose grant is revoked (GRANTED BY), or null for the connected role's.</param>
/// <param name="Cascade">Also revoke what depends on the ADMIN option.</param>
public sealed record RevokeRole(string Role, string Member, string Reason, MembershipOption? OptionOnly = null, string? GrantedBy = null, bool Cascade = false)
    : SqlStatement(Reason);

/// <summary>The object types of ALTER DEFAULT PRIVILEGES, by pg_default_acl.defaclobjtype.</summary>
public enum DefaultObjectType
{
    /// <summary>'r': tables (and views, materialized views, foreign tables).</summary>
    Tables,
    /// <summary>'S': sequences.</summary>
    Sequences,
    /// <summary>'f': functions and procedures (routines).</summary>
    Functions,
    /// <summary>'T': types and domains.</summary>
    Types,
    /// <summary>'n': schemas (global only: no IN SCHEMA).</summary>
    Schemas,
    /// <summary>'L': large objects (18+; global only).</summary>
    LargeObjects,
}

/// <summary>
/// <c>ALTER DEFAULT PRIVILEGES FOR ROLE creator [IN SCHEMA s] GRANT privileges ON type TO grantees [WITH GRANT OPTION]</c>:
/// what objects <see cref="Creator"/> creates later get. Global when <see cref="Schema"/> is null.
/// </summary>
/// <param name="Creator">The role whose future objects get the privileges.</param>
/// <param name="Schema">The schema the objects are created in, or null for anywhere.</param>
/// <param name="On">The type of object.</param>
/// <param name="Privileges">The privileges new objects grant.</param>
/// <param name="Grantees">The roles (or PUBLIC) they are granted to.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
/// <param name="WithGrantOption">The grantees may grant them on.</param>
public sealed record GrantDefaultPrivileges(
    string Creator,
    string? Schema,
    DefaultObjectType On,
    Privilege Privileges,
    ValueList<Grantee> Grantees,
    string Reason,
    bool WithGrantOption = false) : SqlStatement(Reason);

/// <summary><c>ALTER DEFAULT PRIVILEGES FOR ROLE creator [IN SCHEMA s] REVOKE [GRANT OPTION FOR] privileges ON type FROM grantees</c>.</summary>
/// <param name="Creator">The role whose future objects are concerned.</param>
/// <param name="Schema">The schema, or null for the global defaults.</param>
/// <param name="On">The type of object.</param>
/// <param name="Privileges">The privileges new objects no longer grant.</param>
/// <param name="Grantees">The roles (or PUBLIC) concerned.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
/// <param name="GrantOptionOnly">Revoke only the grant option.</param>
public sealed record RevokeDefaultPrivileges(
    string Creator,
    string? Schema,
    DefaultObjectType On,
    Privilege Privileges,
    ValueList<Grantee> Grantees,
    string Reason,
    bool GrantOptionOnly = false) : SqlStatement(Reason);

/// <summary>Role attributes to set; null leaves one as it is. Written in the order CREATE ROLE documents them.</summary>
/// <param name="Superuser">SUPERUSER: bypasses every privilege check.</param>
/// <param name="CreateDb">CREATEDB: may create databases.</param>
/// <param name="CreateRole">CREATEROLE: may create and manage roles.</param>
/// <param name="Inherit">INHERIT: on 13–15, whether memberships pass privileges; from 16, the default for new grants.</param>
/// <param name="Login">LOGIN: may connect.</param>
/// <param name="Replication">REPLICATION: may stream replication and take base backups.</param>
/// <param name="BypassRls">BYPASSRLS: row-level security policies do not apply.</param>
/// <param name="ConnectionLimit">CONNECTION LIMIT: concurrent connections allowed, -1 for no limit.</param>
public sealed record RoleAttributes(
    bool? Superuser = null,
    bool? CreateDb = null,
    bool? CreateRole = null,
    bool? Inherit = null,
    bool? Login = null,
    bool? Replication = null,
    bool? BypassRls = null,
    int? ConnectionLimit = null)
{
    /// <summary>No attribute named.</summary>
    public static readonly RoleAttributes None = new();
}

/// <summary><c>CREATE ROLE name [attributes]</c>.</summary>
/// <param name="Role">The new role's name.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
/// <param name="Attributes">Its attributes; null for the defaults (NOLOGIN …).</param>
public sealed record CreateRole(string Role, string Reason, RoleAttributes? Attributes = null) : SqlStatement(Reason);

/// <summary><c>ALTER ROLE name attributes</c>.</summary>
/// <param name="Role">The role changed.</param>
/// <param name="Attributes">The attributes to set.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record AlterRoleAttributes(string Role, RoleAttributes Attributes, string Reason) : SqlStatement(Reason);

/// <summary>
/// <c>ALTER ROLE name [IN DATABASE d] SET parameter = values</c>, or <c>RESET parameter</c> when
/// <see cref="Values"/> is null. A list parameter (search_path) takes several values.
/// </summary>
/// <param name="Role">The role whose sessions start with the setting.</param>
/// <param name="Database">Only in this database, or null for every database.</param>
/// <param name="Parameter">The configuration parameter (search_path …).</param>
/// <param name="Values">The value or values; null to RESET.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record SetRoleParameter(string Role, string? Database, string Parameter, ValueList<string>? Values, string Reason)
    : SqlStatement(Reason);

/// <summary><c>ALTER FUNCTION|PROCEDURE routine SET parameter = values</c> (RESET when <see cref="Values"/> is null).</summary>
/// <param name="Routine">The function or procedure.</param>
/// <param name="Parameter">The configuration parameter (search_path …) it runs with.</param>
/// <param name="Values">The value or values; null to RESET.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record SetRoutineParameter(SqlObject Routine, string Parameter, ValueList<string>? Values, string Reason)
    : SqlStatement(Reason);

/// <summary><c>ALTER kind object OWNER TO role</c>.</summary>
/// <param name="Object">The object whose owner changes.</param>
/// <param name="NewOwner">The role that becomes its owner.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record AlterOwner(SqlObject Object, string NewOwner, string Reason) : SqlStatement(Reason);

/// <summary><c>ALTER kind object RENAME TO name</c>.</summary>
/// <param name="Object">The object renamed.</param>
/// <param name="NewName">Its new name, unquoted.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record RenameObject(SqlObject Object, string NewName, string Reason) : SqlStatement(Reason);

/// <summary>The settings of the sequence a serial column's default calls, kept by the identity that replaces it.</summary>
/// <param name="Increment">INCREMENT BY.</param>
/// <param name="Min">MINVALUE.</param>
/// <param name="Max">MAXVALUE.</param>
/// <param name="Cycle">CYCLE: wraps around at the end.</param>
public sealed record SequenceSettings(long Increment, long Min, long Max, bool Cycle);

/// <summary>
/// Converts a serial column to an identity column that continues exactly where the sequence would have:
/// the table is locked, the default dropped, the old sequence detached (OWNED BY NONE, so
/// pg_get_serial_sequence finds only the new one) and renamed aside, the identity added with the same
/// settings and set from one more nextval() of the old sequence (so the next value is unchanged), and
/// the old sequence dropped (with its grants). One unit: it must run inside one transaction
/// (<see cref="SqlWriter.NeedsTransaction"/>).
/// </summary>
/// <param name="Table">The table.</param>
/// <param name="Column">The serial column.</param>
/// <param name="Sequence">The sequence its default calls, dropped at the end.</param>
/// <param name="Settings">The sequence's settings, kept by the identity.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record SerialToIdentity(SqlObject Table, string Column, SqlObject Sequence, SequenceSettings Settings, string Reason)
    : SqlStatement(Reason);

/// <summary>The integer types a key column or sequence can be widened to.</summary>
public enum IntegerType
{
    /// <summary>smallint (2 bytes).</summary>
    SmallInt,
    /// <summary>integer (4 bytes).</summary>
    Integer,
    /// <summary>bigint (8 bytes).</summary>
    BigInt,
}

/// <summary><c>ALTER TABLE t ALTER COLUMN c TYPE type</c>: rewrites the table under an ACCESS EXCLUSIVE lock.</summary>
/// <param name="Table">The table.</param>
/// <param name="Column">The column widened.</param>
/// <param name="Type">Its new type.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record AlterColumnType(SqlObject Table, string Column, IntegerType Type, string Reason) : SqlStatement(Reason);

/// <summary>What <see cref="AlterSequence"/> changes.</summary>
public enum SequenceChange
{
    /// <summary><c>AS bigint</c>: widen the sequence's type (and its default bound).</summary>
    AsBigInt,
    /// <summary><c>NO MAXVALUE</c>: the type's bound instead of an explicit one.</summary>
    NoMaxValue,
    /// <summary><c>NO MINVALUE</c>: the type's bound instead of an explicit one.</summary>
    NoMinValue,
}

/// <summary><c>ALTER SEQUENCE s AS bigint | NO MAXVALUE | NO MINVALUE</c>.</summary>
/// <param name="Sequence">The sequence.</param>
/// <param name="Change">What changes.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record AlterSequence(SqlObject Sequence, SequenceChange Change, string Reason) : SqlStatement(Reason);

/// <summary>The command a row-level security policy applies to.</summary>
public enum PolicyCommand
{
    /// <summary>FOR ALL.</summary>
    All,
    /// <summary>FOR SELECT.</summary>
    Select,
    /// <summary>FOR INSERT.</summary>
    Insert,
    /// <summary>FOR UPDATE.</summary>
    Update,
    /// <summary>FOR DELETE.</summary>
    Delete,
}

/// <summary>
/// <c>CREATE POLICY name ON table FOR command TO roles [USING (expr)] [WITH CHECK (expr)]</c>. The
/// expressions are SQL written by a person: pgrant offers a policy only as an example to complete
/// (<see cref="Note.Example"/>), never as a fix it runs.
/// </summary>
/// <param name="Name">The policy's name.</param>
/// <param name="Table">The table it protects.</param>
/// <param name="Command">The command it applies to.</param>
/// <param name="Roles">The roles (or PUBLIC) it applies to.</param>
/// <param name="Using">The USING expression (which existing rows are visible), or null.</param>
/// <param name="WithCheck">The WITH CHECK expression (which new rows are allowed), or null.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record CreatePolicy(string Name, SqlObject Table, PolicyCommand Command, ValueList<Grantee> Roles, string? Using, string? WithCheck, string Reason)
    : SqlStatement(Reason);

/// <summary><c>ALTER TABLE t ENABLE | DISABLE ROW LEVEL SECURITY</c>.</summary>
/// <param name="Table">The table.</param>
/// <param name="Enabled">ENABLE (true) or DISABLE (false).</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record SetRowLevelSecurity(SqlObject Table, bool Enabled, string Reason) : SqlStatement(Reason);

/// <summary>An owner-only command a <see cref="CreateCommandFunction"/> runs on one relation.</summary>
public enum OwnerCommand
{
    /// <summary>REFRESH MATERIALIZED VIEW.</summary>
    RefreshMaterializedView,
    /// <summary>ANALYZE.</summary>
    Analyze,
    /// <summary>REINDEX TABLE.</summary>
    Reindex,
    /// <summary>CLUSTER (on the index the table was last clustered on).</summary>
    Cluster,
}

/// <summary>
/// <c>CREATE FUNCTION f() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS 'command target'</c>:
/// a function that does exactly one owner-only command on one relation, running as its owner (give it the
/// relation's owner with <see cref="AlterOwner"/>, take EXECUTE from PUBLIC and grant it to the one role). The
/// search_path is pinned and the target written schema-qualified, so the caller cannot redirect it.
/// </summary>
/// <param name="Function">The function to create (schema-qualified, no arguments).</param>
/// <param name="Command">The one command it runs.</param>
/// <param name="Target">The relation it runs it on.</param>
/// <param name="Reason">Why the statement exists, in plain words.</param>
public sealed record CreateCommandFunction(SqlObject Function, OwnerCommand Command, SqlObject Target, string Reason) : SqlStatement(Reason);
