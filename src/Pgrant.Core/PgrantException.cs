namespace Pgrant.Core;

/// <summary>
/// A failure meant for the person at the terminal: one clear line, an optional hint, and the
/// process exit code. Everything that can go wrong for a user-visible reason is one of these;
/// anything else is a bug and is shown in full only with --verbose.
/// </summary>
public class PgrantException(string message, string? hint = null, int exitCode = ExitCodes.UsageOrConnection, Exception? inner = null)
    : Exception(message, inner)
{
    public string? Hint { get; } = hint;
    public int ExitCode { get; } = exitCode;
}

/// <summary>Process exit codes, shared by every command.</summary>
public static class ExitCodes
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
}
