using Npgsql;
using Pgrant.Core;

namespace Pgrant.Postgres.Connections;

/// <summary>libpq's sslmode spellings to and from Npgsql's <see cref="SslMode"/>.</summary>
internal static class SslModes
{
    public static SslMode Parse(string value) => value switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw new PgrantException($"invalid sslmode value: \"{value}\"",
            "sslmode is one of disable, allow, prefer, require, verify-ca, verify-full."),
    };

    public static string ToLibpq(SslMode mode) => mode switch
    {
        SslMode.Disable => "disable",
        SslMode.Allow => "allow",
        SslMode.Prefer => "prefer",
        SslMode.Require => "require",
        SslMode.VerifyCA => "verify-ca",
        SslMode.VerifyFull => "verify-full",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
