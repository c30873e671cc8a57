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
    /// <summary>A line of the password file (<see cref="ConnectionOptions.PassFile"/>).</summary>
    PassFile,
}

/// <summary>
/// A fully resolved connection target: one host, port, role and database, with libpq's defaults
/// already applied. Immutable; <see cref="ToString"/> and <see cref="ToDisplayString"/> never include
/// the password, and neither does anything pgrant prints.
/// </summary>
public sealed record ConnectionOptions
{
    public const int DefaultPort = 5432;
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Host name, IP address (IPv6 without brackets), or a unix socket directory (starts with '/').</summary>
    public required string Host { get; init; }
    public int Port { get; init; } = DefaultPort;
    public required string User { get; init; }
    public required string Database { get; init; }
    /// <summary>Never printed; excluded from <see cref="ToString"/>.</summary>
    public string? Password { get; init; }
    public PasswordSource PasswordSource { get; init; } = PasswordSource.None;
    public SslMode SslMode { get; init; } = SslMode.Prefer;
    /// <summary>The password file consulted (or that would be), for hints; null when none applies.</summary>
    public string? PassFile { get; init; }
    /// <summary>The line of <see cref="PassFile"/> the password came from, when it did.</summary>
    public int? PassFileLine { get; init; }
    public string ApplicationName { get; init; } = "pgrant";
    /// <summary>How long to wait for the server; <see cref="Timeout.InfiniteTimeSpan"/> waits forever (libpq's 0).</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultConnectTimeout;
    /// <summary>Other libpq options by libpq keyword (options, sslrootcert, channel_binding, …).</summary>
    public ImmutableSortedDictionary<string, string> Parameters { get; init; } =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>True when <see cref="Host"/> names a unix socket directory (or a Linux abstract socket, '@…').</summary>
    public bool IsUnixSocket => Host.StartsWith('/') || Host.StartsWith('@');

    /// <summary>Where the server is, as libpq words it: `127.0.0.1:5432`, `[::1]:5432` or `socket "/dir/.s.PGSQL.5432"`.</summary>
    public string ServerDescription => IsUnixSocket
        ? $"socket \"{Path.Combine(Host, $".s.PGSQL.{Port}")}\""
        : $"{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";

    /// <summary>A postgres:// URI without the password, e.g. `postgres://sdc@127.0.0.1:5432/sdc`.</summary>
    public string ToDisplayString()
    {
        var text = new StringBuilder("postgres://");
        text.Append(Encode(User)).Append('@');
        text.Append(Host.Contains(':') && !IsUnixSocket ? $"[{Host}]" : Encode(Host));
        text.Append(':').Append(Port.ToString(CultureInfo.InvariantCulture));
        text.Append('/').Append(Encode(Database));
        if (SslMode != SslMode.Prefer) text.Append("?sslmode=").Append(SslModes.ToLibpq(SslMode));
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
