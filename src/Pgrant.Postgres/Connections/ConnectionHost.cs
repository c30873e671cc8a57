using System.Globalization;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// One server of a connection target: a host name, an IP address (IPv6 without brackets) or a unix
/// socket directory (starts with '/', or '@' for a Linux abstract socket), and its port.
/// </summary>
/// <param name="Host">The host name, IP address or socket directory.</param>
/// <param name="Port">The TCP port; for a socket, the number in its file name (.s.PGSQL.port).</param>
public sealed record ConnectionHost(string Host, int Port)
{
    /// <summary>True when <see cref="Host"/> names a unix socket directory (or a Linux abstract socket, '@…').</summary>
    public bool IsUnixSocket => Host.StartsWith('/') || Host.StartsWith('@');

    /// <summary>Where the server is, as libpq words it: `127.0.0.1:5432`, `[::1]:5432` or `socket "/dir/.s.PGSQL.5432"`.</summary>
    public string Description => IsUnixSocket
        ? $"socket \"{Path.Combine(Host, $".s.PGSQL.{Port}")}\""
        : $"{(Host.Contains(':') ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>This host in Npgsql's multi-host Host list: `name:port`, `[v6]:port`, `/dir:port`.</summary>
    internal string ToNpgsqlHost() =>
        $"{(Host.Contains(':') && !IsUnixSocket ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The <see cref="Description"/>.</summary>
    public override string ToString() => Description;
}
