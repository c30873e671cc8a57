using Pgrant.Core;
using Pgrant.Postgres.Apply;

namespace Pgrant.Cli;

/// <summary>Process exit codes, shared by every command; exceptions are mapped to them here and nowhere else.</summary>
internal static class ExitCodes
{
    /// <summary>Success; for check-like commands: nothing found at the threshold; for `can`: yes.</summary>
    public const int Ok = 0;
    /// <summary>The command ran and found something (findings, `can` says no, a fix was refused).</summary>
    public const int Findings = 1;
    /// <summary>Bad input, usage error, unreachable server, authentication failure.</summary>
    public const int UsageOrConnection = 2;
    /// <summary>A write was attempted and rolled back.</summary>
    public const int ApplyFailed = 3;
    /// <summary>An unexpected internal error (a bug).</summary>
    public const int Internal = 70;
    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code for a failure that reached the command line.</summary>
    public static int For(PgrantException e) => e switch
    {
        ApplyFailedException => ApplyFailed,
        UnexpectedServerDataException => Internal,
        _ => UsageOrConnection,
    };
}
