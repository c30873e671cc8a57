using System.Collections.Immutable;
using Pgrant.Core;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// libpq connection keywords: which ones pgrant honours, which libpq knows but pgrant refuses
/// (so the user is told instead of silently connecting somewhere else), and the PG* environment
/// variable behind each.
/// </summary>
internal static class ConnectionKeywords
{
    public const string Host = "host";
    public const string Port = "port";
    public const string DbName = "dbname";
    public const string User = "user";
    public const string Password = "password";
    public const string PassFile = "passfile";
    public const string SslMode = "sslmode";
    public const string ApplicationName = "application_name";
    public const string FallbackApplicationName = "fallback_application_name";
    public const string ConnectTimeout = "connect_timeout";

    /// <summary>Keywords that become <see cref="ConnectionOptions.Parameters"/> and map onto Npgsql settings.</summary>
    public static readonly ImmutableArray<string> Extra =
    [
        "options", "client_encoding", "sslrootcert", "sslcert", "sslkey", "sslpassword",
        "sslnegotiation", "gssencmode", "krbsrvname", "channel_binding", "require_auth",
    ];

    /// <summary>Extra keywords whose values are secrets and must never be displayed.</summary>
    public static readonly ImmutableHashSet<string> Secret = ["password", "sslpassword"];

    private static readonly ImmutableArray<string> SupportedInOrder =
        [Host, Port, DbName, User, Password, PassFile, SslMode, ApplicationName, FallbackApplicationName, ConnectTimeout, .. Extra];

    private static readonly ImmutableHashSet<string> Supported = SupportedInOrder.ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>libpq (13–18) keywords that pgrant does not implement; named so the refusal is clear.</summary>
    private static readonly ImmutableHashSet<string> Unsupported = ImmutableHashSet.Create(StringComparer.Ordinal,
        "hostaddr", "service", "servicefile", "target_session_attrs", "load_balance_hosts", "keepalives",
        "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication",
        "requiressl", "sslcompression", "sslcrl", "sslcrldir", "sslsni", "sslcertmode", "sslkeylogfile",
        "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "min_protocol_version",
        "max_protocol_version", "gsslib", "gssdelegation", "scram_client_key", "scram_server_key",
        "oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope", "authtype", "tty");

    /// <summary>PG* environment variables, in libpq's naming, for the keywords pgrant honours.</summary>
    public static readonly ImmutableArray<(string Variable, string Keyword)> Environment =
    [
        ("PGHOST", Host), ("PGPORT", Port), ("PGDATABASE", DbName), ("PGUSER", User),
        ("PGPASSWORD", Password), ("PGPASSFILE", PassFile), ("PGSSLMODE", SslMode),
        ("PGAPPNAME", ApplicationName), ("PGCONNECT_TIMEOUT", ConnectTimeout), ("PGOPTIONS", "options"),
        ("PGCLIENTENCODING", "client_encoding"), ("PGSSLROOTCERT", "sslrootcert"), ("PGSSLCERT", "sslcert"),
        ("PGSSLKEY", "sslkey"), ("PGSSLNEGOTIATION", "sslnegotiation"), ("PGGSSENCMODE", "gssencmode"),
        ("PGKRBSRVNAME", "krbsrvname"), ("PGCHANNELBINDING", "channel_binding"), ("PGREQUIREAUTH", "require_auth"),
    ];

    /// <summary>Variables libpq reads for keywords pgrant refuses: set ones are reported as ignored.</summary>
    public static readonly ImmutableArray<(string Variable, string Keyword)> IgnoredEnvironment =
    [
        ("PGHOSTADDR", "hostaddr"), ("PGSERVICE", "service"), ("PGSERVICEFILE", "servicefile"),
        ("PGTARGETSESSIONATTRS", "target_session_attrs"), ("PGLOADBALANCEHOSTS", "load_balance_hosts"),
        ("PGREQUIRESSL", "requiressl"), ("PGSSLCRL", "sslcrl"), ("PGSSLCRLDIR", "sslcrldir"), ("PGSSLSNI", "sslsni"),
        ("PGSSLCERTMODE", "sslcertmode"), ("PGREQUIREPEER", "requirepeer"), ("PGGSSLIB", "gsslib"),
        ("PGSSLMINPROTOCOLVERSION", "ssl_min_protocol_version"), ("PGSSLMAXPROTOCOLVERSION", "ssl_max_protocol_version"),
    ];

    /// <summary>Throws the libpq-style error for a keyword pgrant cannot honour.</summary>
    public static void Validate(string keyword, string origin)
    {
        if (Supported.Contains(keyword)) return;
        var hint = "pgrant understands these libpq options: " + string.Join(", ", SupportedInOrder) + ".";
        if (Unsupported.Contains(keyword))
            throw new PgrantException($"connection option \"{keyword}\" in {origin} is not supported by pgrant", hint);
        throw new PgrantException($"invalid connection option \"{keyword}\" in {origin}", hint);
    }
}
