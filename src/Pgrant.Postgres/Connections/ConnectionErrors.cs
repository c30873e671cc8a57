using Pgrant.Core.Sql;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using Pgrant.Core.Planning;

namespace Pgrant.Postgres.Connections;

/// <summary>Translates Npgsql/socket failures into pgrant's one-line messages with hints.</summary>
internal static class ConnectionErrors
{
    public static ConnectionFailedException Translate(ConnectionOptions options, Exception error)
    {
        var failure = Classify(options, error);
        // Belt and braces: no driver message may carry the password onwards.
        return new ConnectionFailedException(failure.Failure, Scrub(failure.Message, options), Scrub(failure.Hint, options), error)
        {
            SqlState = failure.SqlState,
        };
    }

    private sealed record Outcome(ConnectionFailure Failure, string Message, string? Hint, string? SqlState = null);

    private static Outcome Classify(ConnectionOptions o, Exception error)
    {
        if (Find<PostgresException>(error) is { } server) return FromServer(o, server);

        var where = o.ServerDescription;
        var reachHint = o.IsUnixSocket
            ? "is the server running locally and accepting connections on that socket? check -h (socket directory) and -p, or PGHOST/PGPORT."
            : "is the server running on that host and accepting TCP/IP connections? check -h and -p (or PGHOST/PGPORT), and firewalls.";
        if (Find<SocketException>(error) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData =>
                    new(ConnectionFailure.Unreachable, $"could not translate host name \"{o.Host}\" to address: {Lower(socket.Message)}",
                        "check the host name given with -h (or PGHOST, or in the -d URI)."),
                // .NET reports a missing socket file (ENOENT) as AddressNotAvailable; say what libpq says.
                SocketError.AddressNotAvailable when o.IsUnixSocket =>
                    new(ConnectionFailure.Unreachable, $"could not connect to server {Where(o)}: no such file or directory", reachHint),
                SocketError.ConnectionRefused =>
                    new(ConnectionFailure.Unreachable, $"could not connect to server {Where(o)}: connection refused", reachHint),
                SocketError.TimedOut =>
                    new(ConnectionFailure.Unreachable, $"could not connect to server {Where(o)}: timed out", reachHint),
                _ => new(ConnectionFailure.Unreachable, $"could not connect to server {Where(o)}: {Lower(socket.Message)}", reachHint),
            };
        }
        if (Find<TimeoutException>(error) is not null)
            return new(ConnectionFailure.Unreachable,
                $"could not connect to server {Where(o)}: no answer within {Seconds(o.ConnectTimeout)}",
                reachHint + " A slow server may need a longer connect_timeout (PGCONNECT_TIMEOUT).");

        var message = error.Message;
        if (message.StartsWith("No password has been provided", StringComparison.Ordinal))
            return new(ConnectionFailure.NoPassword,
                $"the server at {where} requires a password for user \"{o.User}\" but none was supplied",
                $"set PGPASSWORD, add a line to {PassFileName(o)} (host:port:database:user:password, mode 0600), or put it in a -d postgres:// URI.");
        if (message.Contains("No SSL enabled connection", StringComparison.Ordinal))
            message = "server does not support SSL, but SSL was required";
        if (message.Contains("SSL", StringComparison.OrdinalIgnoreCase) || Find<System.Security.Authentication.AuthenticationException>(error) is not null)
            return new(ConnectionFailure.Ssl, $"could not connect to server {Where(o)}: {Lower(message)}",
                $"sslmode is {SslModes.ToLibpq(o.SslMode)}; use sslmode=disable/prefer for servers without TLS, or fix the certificates.");
        return new(ConnectionFailure.Unreachable, $"could not connect to server {Where(o)}: {Lower(message)}", reachHint);
    }

    private static Outcome FromServer(ConnectionOptions o, PostgresException e)
    {
        var text = e.Detail is { Length: > 0 } detail ? $"{e.MessageText} ({detail})" : e.MessageText;
        var line = $"connection to {o.ToDisplayString()} failed: {text}";
        return e.SqlState switch
        {
            PostgresErrorCodes.InvalidPassword => new(ConnectionFailure.BadPassword, line, BadPasswordHint(o), e.SqlState),
            PostgresErrorCodes.InvalidAuthorizationSpecification when e.MessageText.Contains("pg_hba.conf", StringComparison.Ordinal) =>
                new(ConnectionFailure.RejectedByHba, line,
                    "the server's pg_hba.conf does not let this role connect from here to this database; a superuser must add a matching line and reload.",
                    e.SqlState),
            PostgresErrorCodes.InvalidAuthorizationSpecification when e.MessageText.EndsWith("does not exist", StringComparison.Ordinal) =>
                new(ConnectionFailure.RoleDoesNotExist, line,
                    "check the user name given with -U (or PGUSER, or in the -d URI); it defaults to your OS user name.", e.SqlState),
            PostgresErrorCodes.InvalidAuthorizationSpecification =>
                new(ConnectionFailure.NotAuthorized, line,
                    $"the role may lack LOGIN; a superuser can run ALTER ROLE {SqlNames.Ident(o.User)} LOGIN.", e.SqlState),
            PostgresErrorCodes.InvalidCatalogName =>
                new(ConnectionFailure.DatabaseDoesNotExist, line,
                    "check the database given with -d (or PGDATABASE, or in the URI); it defaults to the user name. `psql -l` lists databases.",
                    e.SqlState),
            PostgresErrorCodes.InsufficientPrivilege =>
                new(ConnectionFailure.NotAuthorized, line,
                    $"the database owner or a superuser can run: GRANT CONNECT ON DATABASE {SqlNames.Ident(o.Database)} TO {SqlNames.Ident(o.User)};",
                    e.SqlState),
            _ => new(ConnectionFailure.ServerRefused, $"{line} [SQLSTATE {e.SqlState}]", null, e.SqlState),
        };
    }

    private static string BadPasswordHint(ConnectionOptions o) => o.PasswordSource switch
    {
        PasswordSource.PassFile => $"the password came from {o.PassFile} line {o.PassFileLine}; correct that line or set PGPASSWORD.",
        PasswordSource.Environment => "the password came from PGPASSWORD; correct it, or unset it to use the password file.",
        PasswordSource.Explicit => "the password came from the -d connection string or URI; correct it there.",
        _ => "check the password (PGPASSWORD, the password file, or the -d URI).",
    };

    private static string Where(ConnectionOptions o) => o.IsUnixSocket ? $"on {o.ServerDescription}" : $"at {o.ServerDescription}";

    private static string PassFileName(ConnectionOptions o) => o.PassFile ?? "~/.pgpass";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static string Lower(string message) =>
        message.Length > 1 && char.IsUpper(message[0]) && !char.IsUpper(message[1])
            ? char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.')
            : message.TrimEnd('.');

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }

    /// <summary>Replaces the password if a message ever contains it (too short a password would mangle words).</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    internal static string? Scrub(string? text, ConnectionOptions o) =>
        text is null || o.Password is not { Length: >= 3 } password ? text : text.Replace(password, "***", StringComparison.Ordinal);
}
