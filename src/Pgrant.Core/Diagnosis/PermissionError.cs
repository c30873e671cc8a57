namespace Pgrant.Core.Diagnosis;

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
