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
public sealed record MembershipOptions(bool? Admin = null, bool? Inherit = null, bool? Set = null)
{
    /// <summary>No option named.</summary>
    public static readonly MembershipOptions None = new();

    /// <summary>True when INHERIT or SET is named (16+ syntax).</summary>
    public bool NeedsOptionSyntax => Inherit is not null || Set is not null || Admin == false;
}

/// <summary><c>GRANT role TO member [WITH options] [GRANTED BY grantor]</c>.</summary>
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
public sealed record GrantDefaultPrivileges(
    string Creator,
    string? Schema,
    DefaultObjectType On,
    Privilege Privileges,
    ValueList<Grantee> Grantees,
    string Reason,
    bool WithGrantOption = false) : SqlStatement(Reason);

/// <summary><c>ALTER DEFAULT PRIVILEGES FOR ROLE creator [IN SCHEMA s] REVOKE [GRANT OPTION FOR] privileges ON type FROM grantees</c>.</summary>
public sealed record RevokeDefaultPrivileges(
    string Creator,
    string? Schema,
    DefaultObjectType On,
    Privilege Privileges,
    ValueList<Grantee> Grantees,
    string Reason,
    bool GrantOptionOnly = false) : SqlStatement(Reason);

/// <summary>Role attributes to set; null leaves one as it is. Written in the order CREATE ROLE documents them.</summary>
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
public sealed record CreateRole(string Role, string Reason, RoleAttributes? Attributes = null) : SqlStatement(Reason);

/// <summary><c>ALTER ROLE name attributes</c>.</summary>
public sealed record AlterRoleAttributes(string Role, RoleAttributes Attributes, string Reason) : SqlStatement(Reason);

/// <summary>
/// <c>ALTER ROLE name [IN DATABASE d] SET parameter = values</c>, or <c>RESET parameter</c> when
/// <see cref="Values"/> is null. A list parameter (search_path) takes several values.
/// </summary>
public sealed record SetRoleParameter(string Role, string? Database, string Parameter, ValueList<string>? Values, string Reason)
    : SqlStatement(Reason);

/// <summary><c>ALTER FUNCTION|PROCEDURE routine SET parameter = values</c> (RESET when <see cref="Values"/> is null).</summary>
public sealed record SetRoutineParameter(SqlObject Routine, string Parameter, ValueList<string>? Values, string Reason)
    : SqlStatement(Reason);

/// <summary><c>ALTER kind object OWNER TO role</c>.</summary>
public sealed record AlterOwner(SqlObject Object, string NewOwner, string Reason) : SqlStatement(Reason);

/// <summary><c>ALTER kind object RENAME TO name</c>.</summary>
public sealed record RenameObject(SqlObject Object, string NewName, string Reason) : SqlStatement(Reason);

/// <summary>The settings of the sequence a serial column's default calls, kept by the identity that replaces it.</summary>
public sealed record SequenceSettings(long Increment, long Min, long Max, bool Cycle);

/// <summary>
/// Converts a serial column to an identity column that continues exactly where the sequence would have:
/// the table is locked, the default dropped, the old sequence detached (OWNED BY NONE, so
/// pg_get_serial_sequence finds only the new one) and renamed aside, the identity added with the same
/// settings and set from one more nextval() of the old sequence (so the next value is unchanged), and
/// the old sequence dropped (with its grants). One unit: it must run inside one transaction
/// (<see cref="SqlWriter.NeedsTransaction"/>).
/// </summary>
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
public sealed record CreatePolicy(string Name, SqlObject Table, PolicyCommand Command, ValueList<Grantee> Roles, string? Using, string? WithCheck, string Reason)
    : SqlStatement(Reason);

/// <summary><c>ALTER TABLE t ENABLE | DISABLE ROW LEVEL SECURITY</c>.</summary>
public sealed record SetRowLevelSecurity(SqlObject Table, bool Enabled, string Reason) : SqlStatement(Reason);
