using Pgrant.Core.Acl;
using Pgrant.Core.Sql;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace Pgrant.Postgres.Connections;

/// <summary>Translates Npgsql/socket failures into pgrant's one-line messages with hints.</summary>
internal static class ConnectionErrors
{
    public static ConnectionFailedException Translate(ConnectionOptions options, Exception error)
    {
        var failure = options.Hosts.Length > 1 ? ClassifyHosts(options, error) : Classify(options, error);
        return Create(options, failure, error);
    }

    private static ConnectionFailedException Create(ConnectionOptions options, Outcome failure, Exception? error) =>
        // Belt and braces: no driver message may carry the password onwards.
        new(failure.Failure, Scrub(failure.Message, options), Scrub(failure.Hint, options), error) { SqlState = failure.SqlState };

    /// <summary>
    /// libpq's PQconnectionNeedsPassword: a server asked for a password and none was supplied (for
    /// any host tried). A password that was supplied and rejected is not this.
    /// </summary>
    public static bool PasswordNeeded(ConnectionFailedException e) =>
        e.Failure == ConnectionFailure.NoPassword || Attempts(e.InnerException).Any(IsNoPassword);

    /// <summary>No server of <paramref name="tried"/> matched target_session_attrs (each one was reached).</summary>
    public static ConnectionFailedException NoHostMatches(ConnectionOptions o, IEnumerable<ConnectionHost> tried)
    {
        var reason = SessionAttributes.MismatchReason(o.TargetSessionAttributes);
        return Create(o, new Outcome(ConnectionFailure.NoMatchingServer,
            $"no server matched target_session_attrs={SessionAttributes.ToLibpq(o.TargetSessionAttributes)}: " +
            string.Join(", ", tried.Select(h => $"{h.Description} ({reason})")),
            TargetHint(o)), null);
    }

    private static string TargetHint(ConnectionOptions o) =>
        $"target_session_attrs={SessionAttributes.ToLibpq(o.TargetSessionAttributes)} accepts only such servers; list another host, " +
        "or use prefer-standby or any (target_session_attrs in -d, or PGTARGETSESSIONATTRS).";

    private sealed record Outcome(ConnectionFailure Failure, string Message, string? Hint, string? SqlState = null, string? Reason = null);

    /// <summary>
    /// Npgsql tries the hosts in order (from a round-robin start with load balancing) and, when none
    /// will do, throws the server's error when every host gave the same one, "No suitable host was
    /// found." when every host was reached but none matched target_session_attrs, and otherwise one
    /// exception per failed host in the order tried. A host that was reached but did not match adds
    /// no exception, so reasons are paired with hosts only when every host failed and the order is known.
    /// </summary>
    private static Outcome ClassifyHosts(ConnectionOptions o, Exception error)
    {
        var hosts = o.Hosts;
        if (error is PostgresException server) return FromServer(o, server);
        var attempts = Attempts(error).ToList();
        if (attempts.Count == 0)
        {
            var none = NoHostMatches(o, hosts);
            return new Outcome(none.Failure, none.Message, none.Hint);
        }
        // prefer-standby tries every host twice (standbys, then any); the first round says it all.
        if (o.TargetSessionAttributes is TargetSessionAttributes.PreferStandby or TargetSessionAttributes.PreferPrimary && attempts.Count > hosts.Length)
            attempts = attempts.Take(hosts.Length).ToList();
        // In order and complete, each failure belongs to its host and is worded for it.
        var paired = attempts.Count == hosts.Length && !o.LoadBalanceHosts;
        var outcomes = attempts.Select((a, i) => Classify(paired ? o with { Host = hosts[i].Host, Port = hosts[i].Port } : o, a)).ToList();
        var failure = outcomes.Any(x => x.Failure == ConnectionFailure.NoPassword) ? ConnectionFailure.NoPassword
            : outcomes.Select(x => x.Failure).Distinct().Count() == 1 ? outcomes[0].Failure : ConnectionFailure.Unreachable;
        var hint = outcomes.Select(x => x.Hint).Distinct().Count() == 1 ? outcomes[0].Hint
            : "check each host and port (-h/-p, the -d URI or PGHOST/PGPORT); the server log says why a server refused.";
        if (paired)
            return new Outcome(failure,
                "could not connect to any host: " + string.Join(", ", hosts.Zip(outcomes, (h, x) => $"{h.Description} ({x.Reason})")),
                hint);
        var reasons = string.Join("; ", outcomes.Select(x => x.Reason).Distinct());
        if (attempts.Count >= hosts.Length)
            return new Outcome(failure, $"could not connect to any host of {o.ServerDescription}: {reasons}", hint);
        // Hosts that were reached but did not match target_session_attrs add no exception.
        var target = SessionAttributes.ToLibpq(o.TargetSessionAttributes);
        return new Outcome(failure == ConnectionFailure.NoPassword ? failure : ConnectionFailure.NoMatchingServer,
            $"no server matched target_session_attrs={target} among {o.ServerDescription}: " +
            $"{attempts.Count} failed ({reasons}), {hosts.Length - attempts.Count} did not match ({SessionAttributes.MismatchReason(o.TargetSessionAttributes)})",
            TargetHint(o));
    }

    /// <summary>The per-host failures inside Npgsql's multi-host exception, or the exception itself.</summary>
    private static System.Collections.ObjectModel.ReadOnlyCollection<Exception> Attempts(Exception? error)
    {
        if (error is null) return System.Collections.ObjectModel.ReadOnlyCollection<Exception>.Empty;
        if (Find<AggregateException>(error) is { } all) return all.InnerExceptions;
        if (error.Message.StartsWith("No suitable host was found", StringComparison.Ordinal)) return System.Collections.ObjectModel.ReadOnlyCollection<Exception>.Empty;
        return new([error]);
    }

    private static bool IsNoPassword(Exception e) =>
        Find<NoPassFileEntryException>(e) is not null
        || Chain(e).Any(x => x is NpgsqlException && x.Message.StartsWith("No password has been provided", StringComparison.Ordinal));

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

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
                        "check the host name given with -h (or PGHOST, or in the -d URI).", Reason: $"could not translate host name to address: {Lower(socket.Message)}"),
                // .NET reports a missing socket file (ENOENT) as AddressNotAvailable; say what libpq says.
                SocketError.AddressNotAvailable when o.IsUnixSocket || ToUnixSocket(error) =>
                    Unreachable(o, "no such file or directory", reachHint),
                SocketError.ConnectionRefused => Unreachable(o, "connection refused", reachHint),
                SocketError.TimedOut => Unreachable(o, "timed out", reachHint),
                _ => Unreachable(o, Lower(socket.Message), reachHint),
            };
        }
        if (Find<TimeoutException>(error) is not null)
            return Unreachable(o, $"no answer within {Seconds(o.ConnectTimeout)}",
                reachHint + " A slow server may need a longer connect_timeout (PGCONNECT_TIMEOUT).");

        var message = error.Message;
        if (IsNoPassword(error))
            return new(ConnectionFailure.NoPassword,
                $"the server at {where} requires a password for user \"{o.User}\" but none was supplied",
                $"set PGPASSWORD, add a line to {PassFileName(o)} (host:port:database:user:password, mode 0600), put it in a -d postgres:// URI, or use -W to be asked.",
                Reason: "no password supplied");
        if (message.Contains("No SSL enabled connection", StringComparison.Ordinal))
            message = "server does not support SSL, but SSL was required";
        if (message.Contains("SSL", StringComparison.OrdinalIgnoreCase) || Find<System.Security.Authentication.AuthenticationException>(error) is not null)
            return new(ConnectionFailure.Ssl, $"could not connect to server {Where(o)}: {Lower(message)}",
                $"sslmode is {SslModes.ToLibpq(o.SslMode)}; use sslmode=disable/prefer for servers without TLS, or fix the certificates.",
                Reason: Lower(message));
        return Unreachable(o, Lower(message), reachHint);
    }

    /// <summary>Npgsql names the endpoint it failed on: "Failed to connect to /dir/.s.PGSQL.5432".</summary>
    private static bool ToUnixSocket(Exception error) =>
        Chain(error).Any(x => x is NpgsqlException && x.Message.StartsWith("Failed to connect to ", StringComparison.Ordinal)
                              && x.Message.Length > 21 && x.Message[21] is '/' or '@');

    private static Outcome Unreachable(ConnectionOptions o, string reason, string hint) =>
        new(ConnectionFailure.Unreachable, $"could not connect to server {Where(o)}: {reason}", hint, Reason: reason);

    private static Outcome FromServer(ConnectionOptions o, PostgresException e)
    {
        var text = e.Detail is { Length: > 0 } detail ? $"{e.MessageText} ({detail})" : e.MessageText;
        var line = $"connection to {o.ToDisplayString()} failed: {text}";
        Outcome outcome = e.SqlState switch
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
                    $"the role may lack LOGIN; a superuser can run {SqlWriter.Text(new AlterRoleAttributes(o.User, new RoleAttributes(Login: true), "the role must be allowed to log in"))}", e.SqlState),
            PostgresErrorCodes.InvalidCatalogName =>
                new(ConnectionFailure.DatabaseDoesNotExist, line,
                    "check the database given with -d (or PGDATABASE, or in the URI); it defaults to the user name. `psql -l` lists databases.",
                    e.SqlState),
            PostgresErrorCodes.InsufficientPrivilege =>
                new(ConnectionFailure.NotAuthorized, line,
                    $"the database owner or a superuser can run: {SqlWriter.Text(new GrantPrivileges(Privilege.Connect, SqlObject.Bare(ObjectKind.Database, o.Database), o.User, "a session needs CONNECT on its database"))}",
                    e.SqlState),
            _ => new(ConnectionFailure.ServerRefused, $"{line} [SQLSTATE {e.SqlState}]", null, e.SqlState),
        };
        return outcome with { Reason = text };
    }

    private static string BadPasswordHint(ConnectionOptions o) => o.PasswordSource switch
    {
        PasswordSource.PassFile when o.PassFileLine is { } line => $"the password came from {o.PassFile} line {line}; correct that line or set PGPASSWORD.",
        PasswordSource.PassFile => $"the password came from {o.PassFile} (looked up per host); correct the host's line or set PGPASSWORD.",
        PasswordSource.Environment => "the password came from PGPASSWORD; correct it, or unset it to use the password file.",
        PasswordSource.Explicit => "the password came from the -d connection string or URI; correct it there.",
        PasswordSource.ServiceFile => $"the password came from service \"{o.Service}\" in {o.ServiceFile}; correct it there.",
        PasswordSource.Prompt => "the password typed at the prompt was rejected; check it and try again.",
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
