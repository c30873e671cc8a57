using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using Pgrant.Cli.Output;
using Pgrant.Cli.Rendering;
using Pgrant.Core;
using Pgrant.Core.Rules;
using Pgrant.Postgres;

namespace Pgrant.Cli.Commands;

/// <summary>
/// `pgrant check`: read the snapshot (per database), run the rules, render text / JSON / SARIF,
/// optionally write a fix script. Never writes to a database.
/// </summary>
internal static class CheckCommand
{
    private static readonly Option<string[]> Roles = new("--role", "-r") { Description = "Audit only these roles (repeatable). Default: every non-superuser login role.", HelpName = "ROLE", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string[]> Schemas = new("--schema", "-n") { Description = "Audit only objects in these schemas (repeatable).", HelpName = "SCHEMA" };
    private static readonly Option<bool> AllDatabases = new("--all-databases", "-a") { Description = "Audit every database the login can connect to." };
    private static readonly Option<string> Format = new("--format", "-f") { Description = "text, json or sarif.", DefaultValueFactory = _ => "text", HelpName = "FORMAT" };
    private static readonly Option<string> FailOn = new("--fail-on") { Description = "Exit 1 when a finding is at or above: info, warning, error (default).", DefaultValueFactory = _ => "error", HelpName = "SEVERITY" };
    private static readonly Option<string?> FixScriptFile = new("--fix-script") { Description = "Write every fix as one ordered, commented SQL script to FILE (- for stdout).", HelpName = "FILE" };
    private static readonly Option<string[]> Rules = new("--rules") { Description = "Run only these rules (IDs or names, comma separated).", HelpName = "RULES" };
    private static readonly Option<string[]> ExcludeRules = new("--exclude-rules") { Description = "Skip these rules.", HelpName = "RULES" };
    private static readonly Option<bool> Timings = new("--timings") { Description = "Print the time of each phase (read, analyse, render) on stderr." };

    public static Command Create()
    {
        var command = new Command("check", "Audit a database for latent permission errors and risky grants (rules PGR001–PGR018).");
        var connection = ConnectionArguments.AddTo(command);
        foreach (var o in (Option[])[Roles, Schemas, AllDatabases, Format, FailOn, FixScriptFile, Rules, ExcludeRules, Timings]) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var format = parse.GetValue(Format)!.ToLowerInvariant();
            if (format is not ("text" or "json" or "sarif"))
                throw new PgrantException($"unknown --format '{format}'", "use text, json or sarif");
            var threshold = ParseSeverity(parse.GetValue(FailOn)!);
            var rules = Auditor.Select(parse.GetValue(Rules) ?? [], parse.GetValue(ExcludeRules) ?? []);
            var scope = new AuditScope([.. parse.GetValue(Roles) ?? []], [.. parse.GetValue(Schemas) ?? []]);
            await using var session = connection.Session(parse);
            var clock = new PhaseClock();
            var showProgress = parse.GetValue(AllDatabases) && ReferenceEquals(output, Console.Out) && !Console.IsErrorRedirected;
            var progress = showProgress
                ? new SynchronousProgress<AuditProgress>(p => Console.Error.Write($"\rauditing database {p.Index}/{p.Count}: {p.Database}".PadRight(60)))
                : null;
            var result = await session.AuditAsync(scope, rules, parse.GetValue(AllDatabases), progress, ct);
            if (showProgress) Console.Error.Write("\r".PadRight(61) + "\r");
            clock.Add("read", result.ReadTime);
            clock.Add("analyse", result.AnalyseTime);

            clock.Start("render");
            switch (format)
            {
                case "json": JsonOutput.Write(output, FindingsJson.Document(result)); output.WriteLine(); break;
                case "sarif": JsonOutput.Write(output, FindingsSarif.Document(result, typeof(CheckCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0")); output.WriteLine(); break;
                default: FindingsRenderer.Text(ConsoleFactory.Create(output), result); break;
            }
            var script = parse.GetValue(FixScriptFile);
            if (script is not null)
            {
                var text = FixScript.Write(result.Findings, "pgrant check");
                if (script == "-") output.Write(text);
                else await File.WriteAllTextAsync(script, text, ct);
            }
            clock.Stop();
            if (parse.GetValue(Timings))
            {
                Console.Error.WriteLine(clock.Report());
                if (!result.RuleTimes.IsEmpty)
                    Console.Error.WriteLine("slowest rules: " + string.Join(", ", result.RulesRun.Zip(result.RuleTimes)
                        .OrderByDescending(r => r.Second).Take(5).Select(r => $"{r.First.Id} {r.Second.TotalMilliseconds:0} ms")));
            }
            return result.AnyAtOrAbove(threshold) ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    private static Severity ParseSeverity(string text) => text.ToLowerInvariant() switch
    {
        "info" => Severity.Info,
        "warning" => Severity.Warning,
        "error" => Severity.Error,
        _ => throw new PgrantException($"unknown --fail-on '{text}'", "use info, warning or error"),
    };
}

/// <summary>Wall time per named phase, for --timings.</summary>
internal sealed class PhaseClock
{
    private readonly Dictionary<string, TimeSpan> _totals = new(StringComparer.Ordinal);
    private readonly Stopwatch _watch = new();
    private string? _current;

    public void Start(string phase)
    {
        Stop();
        _current = phase;
        _watch.Restart();
    }

    /// <summary>Adds time measured elsewhere (e.g. by the session) to a phase.</summary>
    public void Add(string phase, TimeSpan time) => _totals[phase] = _totals.GetValueOrDefault(phase) + time;

    public void Stop()
    {
        if (_current is null) return;
        _totals[_current] = _totals.GetValueOrDefault(_current) + _watch.Elapsed;
        _current = null;
    }

    /// <summary>The phases, then what the runtime spent on garbage collection over the whole process.</summary>
    public string Report() => "timings: " + string.Join(", ", _totals.Select(kv => $"{kv.Key} {kv.Value.TotalMilliseconds:0.0} ms")) +
        $"; GC pauses {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms in {GC.CollectionCount(0)} collections " +
        $"({GC.CollectionCount(1)} gen1, {GC.CollectionCount(2)} gen2), {GC.GetTotalAllocatedBytes() / 1048576} MB allocated";
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, in order (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
