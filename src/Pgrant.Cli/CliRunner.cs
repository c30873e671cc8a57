using System.CommandLine;
using Pgrant.Core;

namespace Pgrant.Cli;

/// <summary>
/// Runs the parsed command and turns every failure into one line on stderr (plus a hint) and an
/// exit code. Stack traces only with --verbose.
/// </summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl+C: cancel cooperatively so clusters are stopped and transactions rolled back.
            e.Cancel = true;
            cancel.Cancel();
        };
        var parse = root.Parse(args);
        var verbose = parse.GetValue(GlobalOptions.Verbose);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"pgrant: {Bounded(error.Message)}");
            Console.Error.WriteLine("hint: run `pgrant --help` (or `pgrant COMMAND --help`) for usage.");
            return ExitCodes.UsageOrConnection;
        }
        try
        {
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(config, cancel.Token);
        }
        catch (PgrantException e)
        {
            Report(e.Message, Hint(e), verbose ? e : null);
            return ExitCodes.For(e);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("pgrant: cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            Report($"unexpected error: {Redaction.Redact(e.Message)}", "this is a bug in pgrant; rerun with --verbose for details.", verbose ? e : null);
            return ExitCodes.Internal;
        }
    }

    /// <summary>The hint in the CLI's words: where the library says what to name, the CLI names its flag.</summary>
    private static string? Hint(PgrantException e) => e switch
    {
        AmbiguousObjectException => "qualify the name with its schema, give the argument types, or pass --kind",
        _ => e.Hint,
    };

    /// <summary>A parse error quotes the argument it did not expect; a pasted log must not come back whole.</summary>
    private static string Bounded(string message) =>
        message.Length <= MaxEcho ? message : string.Concat(message.AsSpan(0, MaxEcho), "…");

    private const int MaxEcho = 200;

    private static void Report(string message, string? hint, Exception? detail)
    {
        Console.Error.WriteLine($"pgrant: {Redaction.Redact(message)}");
        if (!string.IsNullOrEmpty(hint)) Console.Error.WriteLine($"hint: {Redaction.Redact(hint)}");
        if (detail is not null) Console.Error.WriteLine(Redaction.Redact(detail.ToString()));
    }
}
