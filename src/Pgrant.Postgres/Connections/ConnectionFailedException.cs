using Pgrant.Core;

namespace Pgrant.Postgres.Connections;

/// <summary>Why a connection attempt failed, for callers that react differently (tests, demo, retries).</summary>
public enum ConnectionFailure
{
    /// <summary>Refused, timed out, unknown host, missing socket: nothing answered.</summary>
    Unreachable,
    /// <summary>The server rejected the password (28P01).</summary>
    BadPassword,
    /// <summary>The server asked for a password and none was found anywhere.</summary>
    NoPassword,
    /// <summary>The role does not exist (28000).</summary>
    RoleDoesNotExist,
    /// <summary>pg_hba.conf has no line for this host, role and database, or rejects it (28000).</summary>
    RejectedByHba,
    /// <summary>The database does not exist (3D000).</summary>
    DatabaseDoesNotExist,
    /// <summary>The role lacks CONNECT on the database, or may not log in (42501 / 28000).</summary>
    NotAuthorized,
    /// <summary>TLS could not be negotiated as sslmode demands.</summary>
    Ssl,
    /// <summary>The server refused for another reason (too many connections, starting up, …).</summary>
    ServerRefused,
    /// <summary>Every server was reached, but none matched target_session_attrs (e.g. standby, and only primaries answered).</summary>
    NoMatchingServer,
}

/// <summary>A connection failure as one line plus hint; exit code 2. Never contains the password.</summary>
public sealed class ConnectionFailedException(ConnectionFailure failure, string message, string? hint, Exception? inner = null)
    : PgrantException(message, hint, inner)
{
    /// <summary>Why the attempt failed (unreachable, bad password, no such database …), so a caller can react without reading the message.</summary>
    public ConnectionFailure Failure { get; } = failure;

    /// <summary>The SQLSTATE when the server answered with an error, else null.</summary>
    public string? SqlState { get; init; }
}
