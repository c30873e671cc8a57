using System.CommandLine;
using Pgrant.Cli.Output;
using Pgrant.Cli.Rendering;
using Pgrant.Core;
using Pgrant.Core.Diagnosis;
using Pgrant.Postgres;
using Pgrant.Postgres.Connections;
using Spectre.Console;

namespace Pgrant.Cli.Commands;

/// <summary>
/// `pgrant explain MESSAGE [--role R] [--statement SQL] [connection] [--format] [--apply [--yes] [--allow-broad]]`:
/// finds the permission error in MESSAGE, reads one catalog snapshot, diagnoses, renders, and
/// (only with --apply and consent) runs the fix in one transaction.
/// </summary>
internal static class ExplainCommand
{
    private static readonly Argument<string> Message = new("MESSAGE")
    {
        Description = "The error: a bare message, a psql ERROR: line, a server log excerpt, or a driver's output; - reads stdin.",
    };

    private static readonly Option<string?> Role = new("--role", "-r")
    {
        Description = "The role that hit the error (default: the connected user).",
        HelpName = "ROLE",
    };

    private static readonly Option<string?> Statement = new("--statement", "-s")
    {
        Description = "The statement that failed, for the exact privileges it needs (RETURNING, WHERE, …).",
        HelpName = "SQL",
    };

    private static readonly Option<bool> Offline = new("--offline")
    {
        Description = "Do not connect: only decode the message.",
    };

    private static readonly Option<bool> Apply = new("--apply")
    {
        Description = "Run the least-privilege fix in one transaction (after showing it and asking).",
    };

    private static readonly Option<bool> AllowBroad = new("--allow-broad")
    {
        Description = "With --apply: when the only fix is broad (membership in an owner, a role attribute that reaches everything), apply it anyway.",
    };

    private static readonly Option<bool> Yes = new("--yes", "-y")
    {
        Description = "With --apply: do not ask (for scripts).",
    };

    private static readonly Option<OutputFormat> Format = OutputOptions.CreateFormat();

    public static Command Create()
    {
        var command = new Command("explain", "Diagnose a PostgreSQL permission error against a live database: the missing privilege, why, and the least-privilege fix.");
        command.Arguments.Add(Message);
        command.Options.Add(Role);
        command.Options.Add(Statement);
        var connection = ConnectionArguments.AddTo(command);
        command.Options.Add(Format);
        command.Options.Add(Offline);
        command.Options.Add(Apply);
        command.Options.Add(AllowBroad);
        command.Options.Add(Yes);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var message = parse.GetRequiredValue(Message);
            if (message == "-") message = await Console.In.ReadToEndAsync(ct);
            var error = PermissionErrorParser.Parse(message);
            var statement = parse.GetValue(Statement);
            var format = parse.GetValue(Format);
            var console = ConsoleFactory.Create(output);
            var wantsServer = !parse.GetValue(Offline) && (HasConnectionInput(connection, parse) || parse.GetValue(Apply));
            if (!wantsServer)
                return OfflineReport(console, output, format, error, statement);

            await using var session = connection.Session(parse);
            ExplainResult result;
            try
            {
                result = await session.ExplainAsync(error, parse.GetValue(Role), statement, ct);
            }
            catch (RoleNotFoundException e)
            {
                throw new PgrantException(e.Message, "pass the role that hit the error with --role (role names are case-sensitive)", e);
            }
            var diagnosis = result.Diagnosis;
            if (format == OutputFormat.Json) output.WriteLine(DiagnosisRenderer.Json(error, diagnosis));
            else DiagnosisRenderer.Text(console, error, diagnosis);

            if (!parse.GetValue(Apply)) return diagnosis.Unresolved ? ExitCodes.Findings : ExitCodes.Ok;
            return await ApplyFixAsync(console, session, result, parse.GetValue(Yes), parse.GetValue(AllowBroad), ct);
        });
        return command;
    }

    /// <summary>Connect only when the user named a server (options or PG* variables), like psql would be pointed at one.</summary>
    private static bool HasConnectionInput(ConnectionArguments connection, ParseResult parse)
    {
        var request = connection.ToRequest(parse);
        if (request.Host is not null || request.Port is not null || request.User is not null || request.Database is not null) return true;
        if (request.PasswordPrompt == PasswordPromptMode.Always) return true;
        return ServerVariables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));
    }

    private static readonly string[] ServerVariables = ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"];

    private static int OfflineReport(IAnsiConsole console, TextWriter output, OutputFormat format, PermissionError error, string? statement)
    {
        var decoded = OfflineDiagnosis.Decode(error, statement);
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(output, decoded);
            return ExitCodes.Ok;
        }
        console.MarkupLine($"[bold red]{Markup.Escape(error.Message)}[/]");
        console.MarkupLine($"[bold]kind[/]     {Markup.Escape(decoded.Kind)}");
        console.MarkupLine($"[bold]object[/]   {Markup.Escape(decoded.Object)}");
        console.MarkupLine($"[bold]likely[/]   {Markup.Escape(decoded.Likely)}");
        console.MarkupLine($"[dim]{Markup.Escape(decoded.Next)}[/]");
        return ExitCodes.Ok;
    }

    private static async Task<int> ApplyFixAsync(IAnsiConsole console, PgrantSession session, ExplainResult result, bool yes, bool allowBroad, CancellationToken ct)
    {
        var diagnosis = result.Diagnosis;
        var statements = diagnosis.Fix;
        switch (result.Gate)
        {
            case ApplyGate.BroadOnly when !allowBroad:
                console.MarkupLine("[red]The only fix is broad (see \"broad option\" above); nothing was changed.[/]");
                console.MarkupLine("Pass --allow-broad to apply it anyway.");
                return ExitCodes.Findings;
            case ApplyGate.BroadOnly:
                if (!diagnosis.Broad!.CanRun.Any(f => f.Name == result.Snapshot.CurrentUser))
                {
                    console.MarkupLine($"[red]{Markup.Escape(result.Snapshot.CurrentUser)} may not run this; nothing was changed.[/]");
                    if (!diagnosis.Broad.CanRun.IsEmpty)
                        console.MarkupLine($"Connect as one of: {Markup.Escape(string.Join(", ", diagnosis.Broad.CanRun))}");
                    return ExitCodes.Findings;
                }
                statements = diagnosis.Broad.Statements;
                break;
            case ApplyGate.ServerDisagrees:
                console.MarkupLine("[red]The server still denies the statement with this fix applied (see \"verified\" above); nothing was changed.[/]");
                return ExitCodes.Findings;
            case ApplyGate.NothingToApply:
                console.MarkupLine("[green]Nothing to apply.[/]");
                return diagnosis.AlreadyAllowed ? ExitCodes.Ok : ExitCodes.Findings;
            case ApplyGate.NotPermitted:
                console.MarkupLine($"[red]{Markup.Escape(result.Snapshot.CurrentUser)} may not grant this; nothing was changed.[/]");
                if (!diagnosis.CanFix.IsEmpty)
                    console.MarkupLine($"Connect as one of: {Markup.Escape(string.Join(", ", diagnosis.CanFix))}");
                return ExitCodes.Findings;
        }
        if (!yes)
        {
            if (Console.IsInputRedirected || Console.IsOutputRedirected)
                throw new PgrantException("refusing to apply without confirmation: no terminal to ask on", "pass --yes to apply from a script");
            if (!AnsiConsole.Confirm($"Apply {statements.Length} {(result.Gate == ApplyGate.BroadOnly ? "BROAD " : "")}statement(s) as {Markup.Escape(result.Snapshot.CurrentUser)} in one transaction?", defaultValue: false))
            {
                console.MarkupLine("Nothing was changed.");
                return ExitCodes.Findings;
            }
        }
        await session.ApplyFixAsync(result, allowBroad, ct: ct);
        console.MarkupLine($"[green]Applied {statements.Length} statement(s) in one transaction.[/]");
        return ExitCodes.Ok;
    }
}
