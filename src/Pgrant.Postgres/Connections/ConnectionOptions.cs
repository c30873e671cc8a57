using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Pgrant.Postgres.Connections;

/// <summary>Where the password of a <see cref="ConnectionOptions"/> came from (used in hints, never the value).</summary>
public enum PasswordSource
{
    /// <summary>No password: the server may not ask for one (trust, peer) or the connection will fail.</summary>
    None,
    /// <summary>Given explicitly: in the -d URI or connection string, or by the caller.</summary>
    Explicit,
    /// <summary>The PGPASSWORD environment variable.</summary>
    Environment,
    /// <summary>A line of the password file (<see cref="ConnectionOptions.PassFile"/>); with several hosts, looked up per host.</summary>
    PassFile,
    /// <summary>Typed at a password prompt (-W, or asked because the server wanted one).</summary>
    Prompt,
    /// <summary>A password= line of the service (<see cref="ConnectionOptions.Service"/> in <see cref="ConnectionOptions.ServiceFile"/>).</summary>
    ServiceFile,
}

/// <summary>
/// A fully resolved connection target: one or more hosts (tried in order, as libpq does), a role and
/// a database, with libpq's defaults already applied. Immutable; <see cref="ToString"/> and
/// <see cref="ToDisplayString"/> never include the password, and neither does anything pgrant prints.
/// </summary>
public sealed record ConnectionOptions
{
    /// <summary>The port libpq uses when none is given.</summary>
    public const int DefaultPort = 5432;

    /// <summary>How long to wait for a server when nothing sets connect_timeout: 10 seconds (libpq itself waits forever).</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly ImmutableArray<ConnectionHost> _hosts;

    /// <summary>The first host: a host name, IP address (IPv6 without brackets), or a unix socket directory (starts with '/').</summary>
    public required string Host { get; init; }
    /// <summary>The first host's port.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// Every host, in the order libpq tries them; the first is <see cref="Host"/>:<see cref="Port"/>.
    /// Unset, it is that single host; giving <see cref="Host"/> or <see cref="Port"/> a value that is
    /// not the first host's (e.g. with a `with` expression) makes the target that single host.
    /// </summary>
    public ImmutableArray<ConnectionHost> Hosts
    {
        get => !_hosts.IsDefaultOrEmpty && _hosts[0].Host == Host && _hosts[0].Port == Port ? _hosts : [new ConnectionHost(Host, Port)];
        init => _hosts = value;
    }

    /// <summary>libpq's target_session_attrs (Npgsql's spelling; libpq has no prefer-primary).</summary>
    public TargetSessionAttributes TargetSessionAttributes { get; init; } = TargetSessionAttributes.Any;
    /// <summary>libpq's load_balance_hosts=random: Npgsql starts each connection at the next host, round-robin.</summary>
    public bool LoadBalanceHosts { get; init; }
    /// <summary>When to ask for a password (psql's -W / -w); used by <see cref="PgConnector.ConnectAsync"/>.</summary>
    public PasswordPromptMode PasswordPrompt { get; init; } = PasswordPromptMode.Auto;
    /// <summary>The service whose settings were used (service= or PGSERVICE), for hints; null when none.</summary>
    public string? Service { get; init; }
    /// <summary>The file that defined <see cref="Service"/>.</summary>
    public string? ServiceFile { get; init; }
    /// <summary>The role to connect as (libpq's user).</summary>
    public required string User { get; init; }
    /// <summary>The database to connect to (libpq's dbname).</summary>
    public required string Database { get; init; }
    /// <summary>Never printed; excluded from <see cref="ToString"/>.</summary>
    public string? Password { get; init; }
    /// <summary>Where <see cref="Password"/> came from, for hints when authentication fails.</summary>
    public PasswordSource PasswordSource { get; init; } = PasswordSource.None;
    /// <summary>libpq's sslmode; prefer (try TLS, fall back to plain) unless set.</summary>
    public SslMode SslMode { get; init; } = SslMode.Prefer;
    /// <summary>The password file consulted (or that would be), for hints; null when none applies.</summary>
    public string? PassFile { get; init; }
    /// <summary>The line of <see cref="PassFile"/> the password came from, when it did.</summary>
    public int? PassFileLine { get; init; }
    /// <summary>The application_name the server shows for the session (pg_stat_activity, logs).</summary>
    public string ApplicationName { get; init; } = "pgrant";
    /// <summary>How long to wait for the server; <see cref="Timeout.InfiniteTimeSpan"/> waits forever (libpq's 0).</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;
    /// <summary>Other libpq options by libpq keyword (options, sslrootcert, channel_binding, …).</summary>
    public ImmutableSortedDictionary<string, string> Parameters { get; init; } =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>True when the first host names a unix socket directory (or a Linux abstract socket, '@…').</summary>
    public bool IsUnixSocket => Hosts[0].IsUnixSocket;

    /// <summary>
    /// Where the servers are, as libpq words it: `127.0.0.1:5432`, `[::1]:5432` or
    /// `socket "/dir/.s.PGSQL.5432"`; several hosts are listed in order, comma-separated.
    /// </summary>
    public string ServerDescription => string.Join(", ", Hosts.Select(h => h.Description));

    /// <summary>
    /// A postgres:// URI without the password, e.g. `postgres://sdc@127.0.0.1:5432/sdc` or
    /// `postgres://sdc@db1:5432,db2:5432/sdc?target_session_attrs=read-write`.
    /// </summary>
    public string ToDisplayString()
    {
        var text = new StringBuilder("postgres://");
        text.Append(Encode(User)).Append('@');
        text.AppendJoin(',', Hosts.Select(h =>
            (h.Host.Contains(':') && !h.IsUnixSocket ? $"[{h.Host}]" : Encode(h.Host)) + ":" + h.Port.ToString(CultureInfo.InvariantCulture)));
        text.Append('/').Append(Encode(Database));
        var query = new List<string>();
        if (SslMode != SslMode.Prefer) query.Add("sslmode=" + SslModes.ToLibpq(SslMode));
        if (TargetSessionAttributes != TargetSessionAttributes.Any) query.Add("target_session_attrs=" + SessionAttributes.ToLibpq(TargetSessionAttributes));
        if (LoadBalanceHosts) query.Add("load_balance_hosts=random");
        if (query.Count > 0) text.Append('?').AppendJoin('&', query);
        return text.ToString();
    }

    /// <summary>Records print every property by default; this one must never print the password.</summary>
    public override string ToString() => ToDisplayString();

    /// <summary>
    /// The Npgsql settings for this target. Holds the password (never print it); security info is not
    /// persisted, so an open connection's ConnectionString no longer contains it.
    /// </summary>
    public NpgsqlConnectionStringBuilder ToNpgsqlConnectionStringBuilder() => NpgsqlSettings.Build(this);

    private static string Encode(string value) => Uri.EscapeDataString(value);
}
