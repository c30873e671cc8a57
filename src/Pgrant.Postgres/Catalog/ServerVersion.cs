using System.Globalization;
using Npgsql;
using Pgrant.Core.Catalog;

namespace Pgrant.Postgres.Catalog;

/// <summary>
/// The version of the server behind one physical connection. Not <see cref="NpgsqlConnection.PostgreSqlVersion"/>:
/// Npgsql learns that once per connection string (pooled or not) and keeps it for the life of the
/// process, so another server answering later on the same host:port inherits the first one's version.
/// The server_version ParameterStatus, which the server sends at every startup, is per connection.
/// </summary>
internal static class ServerVersion
{
    /// <summary>The connected server's version: from its startup report, else (no report) one small query.</summary>
    public static async Task<PgVersion> OfAsync(NpgsqlConnection openConnection, CancellationToken ct)
    {
        if (openConnection.PostgresParameters.TryGetValue("server_version", out var reported) && Parse(reported) is { } version)
            return version;
        // Something between us and the server (a pooler, a proxy) did not pass the report on: ask.
        await using var ask = new NpgsqlCommand("SELECT current_setting('server_version_num')::int", openConnection);
        return new PgVersion((int)(await ask.ExecuteScalarAsync(ct).ConfigureAwait(false))!);
    }

    /// <summary>
    /// Reads server_version text: "15.18", "18.4", "15.18 (Debian 15.18-1.pgdg120+1)", "17beta1", "18devel".
    /// Null when it does not start with a major version number.
    /// </summary>
    public static PgVersion? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var span = text.AsSpan();
        var majorLength = LeadingDigits(span);
        if (majorLength == 0 || !int.TryParse(span[..majorLength], NumberStyles.None, CultureInfo.InvariantCulture, out var major)) return null;
        // 10 and later number minors after the dot; a pre-release (beta, rc, devel) has none yet.
        var minor = 0;
        var rest = span[majorLength..];
        if (rest.StartsWith(".") && LeadingDigits(rest[1..]) is > 0 and var minorLength)
            int.TryParse(rest.Slice(1, minorLength), NumberStyles.None, CultureInfo.InvariantCulture, out minor);
        return new PgVersion(major * 10000 + minor);
    }

    private static int LeadingDigits(ReadOnlySpan<char> text)
    {
        var n = 0;
        while (n < text.Length && n < 6 && char.IsAsciiDigit(text[n])) n++;
        return n;
    }
}
