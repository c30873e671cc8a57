using Npgsql;
using Pgrant.Core;

namespace Pgrant.Postgres.Connections;

/// <summary>libpq's target_session_attrs and load_balance_hosts spellings to and from Npgsql's.</summary>
internal static class SessionAttributes
{
    /// <summary>libpq 14+ values; Npgsql's prefer-primary is not one, so it is refused as libpq would.</summary>
    public static TargetSessionAttributes Parse(string value) => value switch
    {
        "any" => TargetSessionAttributes.Any,
        "read-write" => TargetSessionAttributes.ReadWrite,
        "read-only" => TargetSessionAttributes.ReadOnly,
        "primary" => TargetSessionAttributes.Primary,
        "standby" => TargetSessionAttributes.Standby,
        "prefer-standby" => TargetSessionAttributes.PreferStandby,
        _ => throw new PgrantException($"invalid target_session_attrs value: \"{value}\"",
            "target_session_attrs is one of any, read-write, read-only, primary, standby, prefer-standby."),
    };

    public static string ToLibpq(TargetSessionAttributes value) => value switch
    {
        TargetSessionAttributes.Any => "any",
        TargetSessionAttributes.ReadWrite => "read-write",
        TargetSessionAttributes.ReadOnly => "read-only",
        TargetSessionAttributes.Primary => "primary",
        TargetSessionAttributes.Standby => "standby",
        TargetSessionAttributes.PreferStandby => "prefer-standby",
        TargetSessionAttributes.PreferPrimary => "prefer-primary",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary>load_balance_hosts: disable (the default) or random.</summary>
    public static bool ParseLoadBalance(string value) => value switch
    {
        "disable" => false,
        "random" => true,
        _ => throw new PgrantException($"invalid load_balance_hosts value: \"{value}\"", "load_balance_hosts is disable or random."),
    };

    /// <summary>
    /// libpq's words for a server that does not match (fe-connect.c): read-write and read-only look
    /// at whether the session is read-only, primary and standby at hot standby.
    /// </summary>
    public static string MismatchReason(TargetSessionAttributes wanted) => wanted switch
    {
        TargetSessionAttributes.ReadWrite => "session is read-only",
        TargetSessionAttributes.ReadOnly => "session is not read-only",
        TargetSessionAttributes.Primary => "server is in hot standby mode",
        TargetSessionAttributes.Standby => "server is not in hot standby mode",
        _ => "server does not match target_session_attrs",
    };

    /// <summary>Whether a server in that state is acceptable (prefer-standby takes any server in the end).</summary>
    public static bool Accepts(TargetSessionAttributes wanted, bool inHotStandby, bool readOnly) => wanted switch
    {
        TargetSessionAttributes.ReadWrite => !readOnly,
        TargetSessionAttributes.ReadOnly => readOnly,
        TargetSessionAttributes.Primary => !inHotStandby,
        TargetSessionAttributes.Standby => inHotStandby,
        _ => true,
    };
}
