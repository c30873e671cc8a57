using System.Text;
using Pgrant.Core;
using Pgrant.Postgres.Connections;

namespace Pgrant.Cli;

/// <summary>
/// psql's password prompt: the prompt on stderr; on a terminal the password is read with echo off,
/// otherwise one line is read from standard input (as psql does without a terminal). End of input is
/// an error, never a hang or an empty password.
/// </summary>
internal sealed class ConsolePasswordPrompt : IPasswordPrompt
{
    public static ConsolePasswordPrompt Instance { get; } = new();

    private ConsolePasswordPrompt() { }

    public async ValueTask<string?> ReadPasswordAsync(string prompt, CancellationToken ct)
    {
        await Console.Error.WriteAsync(prompt).ConfigureAwait(false);
        var redirected = Console.IsInputRedirected;
        string? password;
        try
        {
            password = redirected
                ? await Console.In.ReadLineAsync(ct).ConfigureAwait(false)
                : await ReadWithoutEchoAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            // psql ends the prompt's line itself, since the Enter key was not echoed (also when interrupted).
            await Console.Error.WriteLineAsync().ConfigureAwait(false);
        }
        return password ?? throw new PgrantException(
            redirected ? "no password supplied: standard input is closed" : "no password supplied: end of input",
            "type the password on a terminal, pipe it on standard input, or set PGPASSWORD or a password file line; -w never asks.");
    }

    /// <summary>Keys without echo until Enter; polled so Ctrl+C (which cancels) is not stuck behind a blocking read.</summary>
    private static async Task<string?> ReadWithoutEchoAsync(CancellationToken ct)
    {
        var text = new StringBuilder();
        while (true)
        {
            while (!Console.KeyAvailable) await Task.Delay(25, ct).ConfigureAwait(false);
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    return text.ToString();
                case ConsoleKey.Backspace:
                    if (text.Length > 0) text.Length--;
                    break;
                default:
                    // Ctrl+D on an empty line is end of input, as on a terminal reading a line.
                    if (key.KeyChar == '\u0004' && text.Length == 0) return null;
                    if (!char.IsControl(key.KeyChar)) text.Append(key.KeyChar);
                    break;
            }
        }
    }
}
