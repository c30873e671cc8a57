namespace Pgrant.Core.Diagnosis;

/// <summary>The shapes of permission error the server reports, independent of the words used.</summary>
public enum PermissionErrorKind
{
    /// <summary>"permission denied for &lt;object word&gt; &lt;name&gt;" (SQLSTATE 42501).</summary>
    PermissionDenied,
    /// <summary>"must be owner of &lt;object word&gt; &lt;name&gt;".</summary>
    MustBeOwner,
    /// <summary>FATAL "permission denied for database "x"" with DETAIL "User does not have CONNECT privilege."</summary>
    DatabaseConnect,
    /// <summary>"permission denied to create temporary tables in database "x"".</summary>
    TemporaryTables,
    /// <summary>"permission denied to set role "x"" (SET ROLE) or 16+ "must be able to SET ROLE "x"".</summary>
    SetRole,
    /// <summary>≤15 "must be member of role "x"".</summary>
    MemberOfRole,
    /// <summary>"new row violates row-level security policy for table "t"".</summary>
    RowLevelSecurity,
    /// <summary>
    /// The command needs a role attribute no GRANT gives: CREATEDB ("permission denied to create database"),
    /// CREATEROLE (create, alter, drop, rename a role; on 16+ with the ADMIN option on it), REPLICATION, BYPASSRLS.
    /// </summary>
    RoleAttribute,
    /// <summary>Only a superuser may do it ("must be superuser to …", "permission denied to create event trigger …").</summary>
    Superuser,
    /// <summary>
    /// The command needs the privileges of a predefined role: COPY to or from a server file or program
    /// (pg_read_server_files, pg_write_server_files, pg_execute_server_program), signalling other sessions
    /// (pg_signal_backend), CHECKPOINT (pg_checkpoint, 15+), reading settings (pg_read_all_settings),
    /// CREATE SUBSCRIPTION (pg_create_subscription, 16+).
    /// </summary>
    PredefinedRole,
    /// <summary>Setting a parameter or ALTER SYSTEM: superuser, or on 15+ GRANT SET / ALTER SYSTEM ON PARAMETER.</summary>
    Parameter,
    /// <summary>CREATE or ALTER EXTENSION … UPDATE: trusted extensions need CREATE on the database; others a superuser.</summary>
    Extension,
    /// <summary>Granting or revoking membership in a role, or granting as another role: the ADMIN option (or privileges of the grantor on 16+).</summary>
    RoleAdmin,
    /// <summary>Acting on what another role owns or grants (DROP OWNED, REASSIGN OWNED, ALTER DEFAULT PRIVILEGES FOR ROLE): the privileges of that role.</summary>
    RoleObjects,
    /// <summary>VACUUM, ANALYZE or CLUSTER skipped a table (a warning on 16+): the owner, the database owner, or MAINTAIN / pg_maintain on 17+.</summary>
    Maintenance,
}

/// <summary>
/// A permission error found in whatever the user pasted. <see cref="ObjectWord"/> is the server's
/// object word ("table", "sequence", "materialized view" …) or null where the form has none;
/// <see cref="ObjectName"/> is the name as printed (unqualified; unquoted unless the form quotes it).
/// </summary>
/// <param name="Kind">The shape of the error.</param>
/// <param name="Message">The error message as found.</param>
/// <param name="ObjectWord">The server's word for the object's kind, or null.</param>
/// <param name="ObjectName">The object, role or database the message names.</param>
/// <param name="Severity">ERROR or FATAL when the text said, else null.</param>
/// <param name="Detail">The DETAIL line that followed, or null.</param>
/// <param name="Statement">The STATEMENT line that followed (the failing SQL), or null.</param>
public sealed record PermissionError(
    PermissionErrorKind Kind,
    string Message,
    string? ObjectWord,
    string ObjectName,
    string? Severity,
    string? Detail,
    string? Statement)
{
    /// <summary>The SQLSTATE, when the text carried it (e.g. 42501).</summary>
    public string? SqlState { get; init; }

    /// <summary>The HINT line that followed, or null.</summary>
    public string? Hint { get; init; }

    /// <summary>The CONTEXT lines that followed (innermost first, as the server prints them), or empty.</summary>
    public System.Collections.Immutable.ImmutableArray<string> Context { get; init; } = [];

    /// <summary>The language the server wrote the message in: "en", or a PostgreSQL catalog code such as "de" or "zh_CN".</summary>
    public string Language { get; init; } = "en";

    /// <summary>The server's English message format the message was read as (its msgid), or null when not read from a known form.</summary>
    public string? MessageId { get; init; }

    /// <summary>The ObjectKind the object word names, when it names one pgrant models.</summary>
    public Acl.ObjectKind? ObjectKind => ObjectWord is null ? null : ObjectWords.ToKind(ObjectWord);
}

/// <summary>Object words as the server prints them in 42501 messages (aclcheck_error) and ObjectKinds.</summary>
internal static class ObjectWords
{
    // Longest first, so "materialized view" wins over "view" and "foreign table" over "table".
    /// <summary>Every object word the server may print, longest first (a longer word must win over its tail).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "foreign-data wrapper", "materialized view", "foreign server", "foreign table", "large object",
        "text search configuration", "text search dictionary", "event trigger", "operator class", "operator family",
        "statistics object", "publication", "subscription", "conversion", "collation", "extension",
        "tablespace", "parameter", "procedure", "aggregate", "function", "sequence", "database", "language",
        "operator", "routine", "relation", "schema", "column", "domain", "index", "table", "type", "view",
    ];

    /// <summary>The kind an object word names, or null for a kind pgrant does not model (index, operator …).</summary>
    public static Acl.ObjectKind? ToKind(string word) => word switch
    {
        "table" or "relation" => Acl.ObjectKind.Table,
        "view" => Acl.ObjectKind.View,
        "materialized view" => Acl.ObjectKind.MaterializedView,
        "foreign table" => Acl.ObjectKind.ForeignTable,
        "sequence" => Acl.ObjectKind.Sequence,
        "schema" => Acl.ObjectKind.Schema,
        "database" => Acl.ObjectKind.Database,
        "function" or "routine" => Acl.ObjectKind.Function,
        "procedure" => Acl.ObjectKind.Procedure,
        "aggregate" => Acl.ObjectKind.Aggregate,
        "type" => Acl.ObjectKind.Type,
        "domain" => Acl.ObjectKind.Domain,
        "language" => Acl.ObjectKind.Language,
        "large object" => Acl.ObjectKind.LargeObject,
        "column" => Acl.ObjectKind.Column,
        "tablespace" => Acl.ObjectKind.Tablespace,
        "foreign server" => Acl.ObjectKind.ForeignServer,
        "foreign-data wrapper" => Acl.ObjectKind.ForeignDataWrapper,
        "parameter" => Acl.ObjectKind.Parameter,
        _ => null,
    };
}
