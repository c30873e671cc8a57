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
    public const string Service = "service";
    public const string ServiceFile = "servicefile";
    public const string TargetSessionAttrs = "target_session_attrs";
    public const string LoadBalanceHosts = "load_balance_hosts";

    /// <summary>Keywords that become <see cref="ConnectionOptions.Parameters"/> and map onto Npgsql settings.</summary>
    public static readonly ImmutableArray<string> Extra =
    [
        "options", "client_encoding", "sslrootcert", "sslcert", "sslkey", "sslpassword",
        "sslnegotiation", "gssencmode", "krbsrvname", "channel_binding", "require_auth",
    ];

    /// <summary>Extra keywords whose values are secrets and must never be displayed.</summary>
    public static readonly ImmutableHashSet<string> Secret = ["password", "sslpassword"];

    private static readonly ImmutableArray<string> SupportedInOrder =
    [
        Host, Port, DbName, User, Password, PassFile, SslMode, ApplicationName, FallbackApplicationName, ConnectTimeout,
        Service, ServiceFile, TargetSessionAttrs, LoadBalanceHosts, .. Extra,
    ];

    private static readonly ImmutableHashSet<string> Supported = SupportedInOrder.ToImmutableHashSet(StringComparer.Ordinal);

    /// <summary>libpq (13–18) keywords that pgrant does not implement; named so the refusal is clear.</summary>
    private static readonly ImmutableHashSet<string> Unsupported = ImmutableHashSet.Create(StringComparer.Ordinal,
        "hostaddr", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
        "replication", "requiressl", "sslcompression", "sslcrl", "sslcrldir", "sslsni", "sslcertmode", "sslkeylogfile",
        "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "min_protocol_version",
        "max_protocol_version", "gsslib", "gssdelegation", "scram_client_key", "scram_server_key",
        "oauth_issuer", "oauth_client_id", "oauth_client_secret", "oauth_scope", "authtype", "tty");

    /// <summary>
    /// PG* environment variables, in libpq's naming, for the keywords pgrant honours. They fill what
    /// neither the command line nor a service file set. PGSERVICE and PGSERVICEFILE are not here:
    /// they choose the service file, which is read before the environment (see ConnectionResolver).
    /// </summary>
    public static readonly ImmutableArray<(string Variable, string Keyword)> Environment =
    [
        ("PGHOST", Host), ("PGPORT", Port), ("PGDATABASE", DbName), ("PGUSER", User),
        ("PGPASSWORD", Password), ("PGPASSFILE", PassFile), ("PGSSLMODE", SslMode),
        ("PGAPPNAME", ApplicationName), ("PGCONNECT_TIMEOUT", ConnectTimeout), ("PGOPTIONS", "options"),
        ("PGCLIENTENCODING", "client_encoding"), ("PGSSLROOTCERT", "sslrootcert"), ("PGSSLCERT", "sslcert"),
        ("PGSSLKEY", "sslkey"), ("PGSSLNEGOTIATION", "sslnegotiation"), ("PGGSSENCMODE", "gssencmode"),
        ("PGKRBSRVNAME", "krbsrvname"), ("PGCHANNELBINDING", "channel_binding"), ("PGREQUIREAUTH", "require_auth"),
        ("PGTARGETSESSIONATTRS", TargetSessionAttrs), ("PGLOADBALANCEHOSTS", LoadBalanceHosts),
    ];

    /// <summary>
    /// Variables libpq reads for options that change which server is reached or how securely, and
    /// that pgrant cannot honour: a set one is an error, never a silent connection elsewhere.
    /// PGSSLSNI is refused only when it turns SNI off (libpq sends SNI when the value starts with 1).
    /// </summary>
    public static readonly ImmutableArray<(string Variable, string Keyword)> RefusedEnvironment =
    [
        ("PGHOSTADDR", "hostaddr"), ("PGSSLCRL", "sslcrl"), ("PGSSLCRLDIR", "sslcrldir"), ("PGSSLCERTMODE", "sslcertmode"),
        ("PGSSLMINPROTOCOLVERSION", "ssl_min_protocol_version"), ("PGSSLMAXPROTOCOLVERSION", "ssl_max_protocol_version"),
        ("PGGSSLIB", "gsslib"), ("PGREQUIREPEER", "requirepeer"), ("PGSSLSNI", "sslsni"),
    ];

    /// <summary>Whether a set refused variable really asks for something pgrant would not do.</summary>
    public static bool IsRefused(string variable, string value) => variable != "PGSSLSNI" || !value.StartsWith('1');

    /// <summary>
    /// Variables libpq reads for options that cannot change the server reached nor weaken security:
    /// a set one is reported as ignored.
    /// </summary>
    public static readonly ImmutableArray<(string Variable, string Keyword)> IgnoredEnvironment =
    [
        ("PGSSLCOMPRESSION", "sslcompression"), ("PGGSSDELEGATION", "gssdelegation"),
        ("PGMINPROTOCOLVERSION", "min_protocol_version"), ("PGMAXPROTOCOLVERSION", "max_protocol_version"),
    ];

    public static bool IsSupported(string keyword) => Supported.Contains(keyword);

    /// <summary>libpq knows the keyword, but pgrant does not implement it.</summary>
    public static bool IsUnsupported(string keyword) => Unsupported.Contains(keyword);

    public static string SupportedHint => "pgrant understands these libpq options: " + string.Join(", ", SupportedInOrder) + ".";

    /// <summary>Throws the libpq-style error for a keyword pgrant cannot honour.</summary>
    public static void Validate(string keyword, string origin)
    {
        if (Supported.Contains(keyword)) return;
        if (Unsupported.Contains(keyword)) throw NotSupported(keyword, origin);
        throw new PgrantException($"invalid connection option \"{keyword}\" in {origin}", SupportedHint);
    }

    public static PgrantException NotSupported(string keyword, string origin) =>
        new($"connection option \"{keyword}\" in {origin} is not supported by pgrant", SupportedHint);
}
