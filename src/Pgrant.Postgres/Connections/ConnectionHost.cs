using System.Globalization;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// One server of a connection target: a host name, an IP address (IPv6 without brackets) or a unix
/// socket directory (starts with '/', or '@' for a Linux abstract socket), and its port.
/// </summary>
public sealed record ConnectionHost(string Host, int Port)
{
    public bool IsUnixSocket => Host.StartsWith('/') || Host.StartsWith('@');

    /// <summary>Where the server is, as libpq words it: `127.0.0.1:5432`, `[::1]:5432` or `socket "/dir/.s.PGSQL.5432"`.</summary>
    public string Description => IsUnixSocket
        ? $"socket \"{Path.Combine(Host, $".s.PGSQL.{Port}")}\""
        : $"{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>This host in Npgsql's multi-host Host list: `name:port`, `[v6]:port`, `/dir:port`.</summary>
    internal string ToNpgsqlHost() =>
        $"{(Host.Contains(':') && !IsUnixSocket ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => Description;
}
