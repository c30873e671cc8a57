using Pgrant.Core;

namespace Pgrant.Postgres.Apply;

/// <summary>
/// A statement of a plan failed (or the server granted nothing) and the whole transaction was rolled
/// back: nothing was changed. <see cref="Statement"/> is the SQL that failed; <see cref="SqlState"/>
/// the server's code when it answered with an error.
/// </summary>
public sealed class ApplyFailedException(string message, string statement, string? sqlState, string? hint, Exception? inner = null)
    : PgrantException(message, hint, inner)
{
    /// <summary>The SQL text of the statement that failed.</summary>
    public string Statement { get; } = statement;

    /// <summary>The SQLSTATE the server raised, or null (e.g. a grant that granted nothing).</summary>
    public string? SqlState { get; } = sqlState;
}
