namespace Pgrant.Core.Acl;

/// <summary>
/// The words people and psql use for object kinds: "materialized view", "foreign table",
/// "partitioned table" (psql's \dp Type column) and the SQL keywords (GRANT … ON SEQUENCE).
/// </summary>
public static class KindWords
{
    /// <summary>The kind in lower-case words, as psql and the server's messages print it.</summary>
    public static string Singular(ObjectKind kind) => kind switch
    {
        ObjectKind.MaterializedView => "materialized view",
        ObjectKind.ForeignTable => "foreign table",
        ObjectKind.PartitionedTable => "partitioned table",
        ObjectKind.LargeObject => "large object",
        ObjectKind.ForeignDataWrapper => "foreign-data wrapper",
        ObjectKind.ForeignServer => "foreign server",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The kind's plural in lower-case words ("tables", "materialized views", "schemas").</summary>
    public static string Plural(ObjectKind kind) => Singular(kind) switch
    {
        "schema" => "schemas",
        var s when s.EndsWith('y') => s[..^1] + "ies",
        var s => s + "s",
    };

    /// <summary>
    /// Reads a kind word: "table", "sequence", "materialized view", "matview", "foreign table",
    /// "partitioned table", "function", "procedure", "routine", "fdw", "server", "parameter", …
    /// Case, '-', '_' and repeated spaces are ignored. Null when unknown.
    /// </summary>
    public static ObjectKind? Parse(string text)
    {
        var t = string.Join(' ', text.Trim().ToLowerInvariant().Replace('_', ' ').Replace('-', ' ')
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return t switch
        {
            "database" or "db" => ObjectKind.Database,
            "schema" or "namespace" => ObjectKind.Schema,
            "table" or "relation" => ObjectKind.Table,
            "view" => ObjectKind.View,
            "materialized view" or "matview" => ObjectKind.MaterializedView,
            "foreign table" => ObjectKind.ForeignTable,
            "partitioned table" => ObjectKind.PartitionedTable,
            "sequence" => ObjectKind.Sequence,
            "column" => ObjectKind.Column,
            "function" or "routine" => ObjectKind.Function,
            "procedure" => ObjectKind.Procedure,
            "aggregate" => ObjectKind.Aggregate,
            "type" => ObjectKind.Type,
            "domain" => ObjectKind.Domain,
            "language" => ObjectKind.Language,
            "large object" => ObjectKind.LargeObject,
            "tablespace" => ObjectKind.Tablespace,
            "foreign data wrapper" or "fdw" => ObjectKind.ForeignDataWrapper,
            "foreign server" or "server" => ObjectKind.ForeignServer,
            "parameter" => ObjectKind.Parameter,
            _ => null,
        };
    }

    /// <summary>The words <see cref="Parse"/> accepts, for help text.</summary>
    public const string Accepted =
        "table, view, materialized view, foreign table, partitioned table, sequence, column, schema, database, " +
        "function, procedure, aggregate, type, domain, language, large object, tablespace, fdw, server, parameter";
}
