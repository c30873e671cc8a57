using Npgsql;
using Pgrant.Core;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// Maps resolved options onto Npgsql settings, property by property (never by concatenating a
/// connection string, so no value can inject another key).
/// </summary>
internal static class NpgsqlSettings
{
    public static NpgsqlConnectionStringBuilder Build(ConnectionOptions options)
    {
        var hosts = options.Hosts;
        var builder = new NpgsqlConnectionStringBuilder
        {
            // Several hosts are Npgsql's multi-host list, each with its own port (host:port,[v6]:port,/dir:port).
            Host = hosts.Length == 1 ? options.Host : string.Join(',', hosts.Select(h => h.ToNpgsqlHost())),
            Port = options.Port,
            Username = options.User,
            Database = options.Database,
            Password = options.Password,
            SslMode = options.SslMode,
            ApplicationName = options.ApplicationName,
            Timeout = TimeoutSeconds(options.ConnectTimeout),
            // An open connection must not hand the password back through ConnectionString.
            PersistSecurityInfo = false,
            // The server's DETAIL (e.g. "User does not have CONNECT privilege.") is part of the diagnosis.
            IncludeErrorDetail = true,
            // After Ctrl+C the server's answer to the cancel request is awaited this long before Npgsql gives the
            // connection up: its default (2 s) broke connections on a busy 2-core machine (measured in the
            // cancellation test), leaving a transaction to roll back that could no longer be reached.
            CancellationTimeout = 10_000,
            // A CLI opens few connections; no pool keeps sessions (and their password) alive behind its back.
            Pooling = false,
        };
        if (hosts.Length > 1)
        {
            // Always explicit, so Npgsql never reads PGTARGETSESSIONATTRS behind pgrant's back. (With one
            // host Npgsql refuses anything but any; PgConnector checks the session itself, as libpq does.)
            builder.TargetSessionAttributes = SessionAttributes.ToLibpq(options.TargetSessionAttributes);
            builder.LoadBalanceHosts = options.LoadBalanceHosts;
            // libpq remembers nothing about a host between connections: every attempt tries every host.
            builder.HostRecheckSeconds = 0;
        }
        // pgrant has already looked for the password the libpq way (including the permission check on
        // the password file); stop Npgsql from reading ~/.pgpass or PGPASSFILE a second time on its own.
        // With several hosts the file is read per host through the data source's password provider.
        if (options.Password is null && !UsesPassFilePerHost(options) && !OperatingSystem.IsWindows()) builder.Passfile = "/dev/null";

        foreach (var (keyword, value) in options.Parameters)
            Apply(builder, keyword, value);
        if (builder.SslNegotiation == SslNegotiation.Direct && options.SslMode is not (SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull))
            throw new PgrantException($"weak sslmode \"{SslModes.ToLibpq(options.SslMode)}\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", or \"verify-full\")",
                "direct TLS negotiation needs sslmode=require or stricter.");
        return builder;
    }

    /// <summary>
    /// Several hosts and no password given: libpq looks each host up in the password file, so the
    /// data source asks <see cref="PassFilePassword"/> whenever a server wants a password.
    /// </summary>
    public static bool UsesPassFilePerHost(ConnectionOptions options) =>
        options.Password is null && options.Hosts.Length > 1 && options.PasswordSource == PasswordSource.PassFile && options.PassFile is not null;

    /// <summary>
    /// The password file's answer for the host Npgsql is connecting to; none is libpq's "no password
    /// supplied", never a password meant for another host.
    /// </summary>
    public static string PassFilePassword(ConnectionOptions options, NpgsqlConnectionStringBuilder host)
    {
        // Npgsql keeps the brackets of an IPv6 host from its host:port list; the password file has none.
        var name = host.Host is ['[', .. var inner, ']'] ? inner : host.Host ?? "";
        var found = Connections.PassFile.Lookup(options.PassFile!, name, host.Port, host.Database ?? options.Database, host.Username ?? options.User);
        return found.Password is { Length: > 0 } password ? password : throw new NoPassFileEntryException();
    }

    private static void Apply(NpgsqlConnectionStringBuilder builder, string keyword, string value)
    {
        switch (keyword)
        {
            case "options": builder.Options = value; break;
            case "client_encoding": builder.ClientEncoding = value; break;
            case "sslrootcert": builder.RootCertificate = value; break;
            case "sslcert": builder.SslCertificate = value; break;
            case "sslkey": builder.SslKey = value; break;
            case "sslpassword": builder.SslPassword = value; break;
            case "krbsrvname": builder.KerberosServiceName = value; break;
            case "require_auth": builder.RequireAuth = RequireAuth(value); break;
            case "sslnegotiation":
                builder.SslNegotiation = value switch
                {
                    "postgres" => SslNegotiation.Postgres,
                    "direct" => SslNegotiation.Direct,
                    _ => throw Invalid(keyword, value, "postgres, direct"),
                };
                break;
            case "gssencmode":
                builder.GssEncryptionMode = value switch
                {
                    "disable" => GssEncryptionMode.Disable,
                    "prefer" => GssEncryptionMode.Prefer,
                    "require" => GssEncryptionMode.Require,
                    _ => throw Invalid(keyword, value, "disable, prefer, require"),
                };
                break;
            case "channel_binding":
                builder.ChannelBinding = value switch
                {
                    "disable" => ChannelBinding.Disable,
                    "prefer" => ChannelBinding.Prefer,
                    "require" => ChannelBinding.Require,
                    _ => throw Invalid(keyword, value, "disable, prefer, require"),
                };
                break;
            default:
                throw new PgrantException($"connection option \"{keyword}\" is not supported by pgrant");
        }
    }

    /// <summary>libpq's method names (password, md5, gss, sspi, scram-sha-256, none, each maybe with '!') in Npgsql's spelling.</summary>
    private static string RequireAuth(string value)
    {
        var methods = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (methods.Length > 1 && methods.Any(m => m.StartsWith('!')) && !methods.All(m => m.StartsWith('!')))
            throw new PgrantException($"invalid require_auth value: \"{value}\"", "negative (!method) and positive methods cannot be mixed.");
        return string.Join(',', methods.Select(method =>
        {
            var negated = method.StartsWith('!');
            var name = negated ? method[1..] : method;
            var npgsql = name switch
            {
                "password" => "Password",
                "md5" => "MD5",
                "gss" => "GSS",
                "sspi" => "SSPI",
                "scram-sha-256" => "ScramSHA256",
                "none" => "None",
                _ => throw Invalid("require_auth", value, "password, md5, gss, sspi, scram-sha-256, none (comma-separated, optionally each with !)"),
            };
            return negated ? "!" + npgsql : npgsql;
        }));
    }

    private static PgrantException Invalid(string keyword, string value, string allowed) =>
        new($"invalid {keyword} value: \"{value}\"", $"{keyword} is one of {allowed}.");

    /// <summary>Npgsql counts whole seconds, 0 = wait forever, at most 1024.</summary>
    private static int TimeoutSeconds(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? 0 : (int)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, 1024);
}

/// <summary>No line of the password file matches a host of a multi-host target (libpq: no password supplied).</summary>
internal sealed class NoPassFileEntryException() : Exception("no password supplied");
