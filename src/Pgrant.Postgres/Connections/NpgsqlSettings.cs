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
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = options.Host,
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
            // A CLI opens few connections; no pool keeps sessions (and their password) alive behind its back.
            Pooling = false,
            // Npgsql otherwise loads every type of pg_type on first connect: a schema-per-tenant database
            // with 100,000 tables has 200,000+ (each table's row type and its array), which cost ~2 s
            // before the first query. pgrant reads only built-in types (text, oid, bool, int2/4/8, arrays of those; "char" is cast to int).
            ServerCompatibilityMode = ServerCompatibilityMode.NoTypeLoading,
        };
        // pgrant has already looked for the password the libpq way (including the permission check on
        // the password file); stop Npgsql from reading ~/.pgpass or PGPASSFILE a second time on its own.
        if (options.Password is null && !OperatingSystem.IsWindows()) builder.Passfile = "/dev/null";

        foreach (var (keyword, value) in options.Parameters)
            Apply(builder, keyword, value);
        return builder;
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
