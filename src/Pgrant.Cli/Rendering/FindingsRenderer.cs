using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Rules;
using Pgrant.Core.Sql;
using Spectre.Console;

namespace Pgrant.Cli.Rendering;

/// <summary>
/// Findings as text, the way linters print them: grouped by severity, one block per finding — the rule,
/// where, for which role, the message, and the fix SQL indented under it. Errors and warnings are listed
/// up to <see cref="MaxRowsPerGroup"/>, info findings up to <see cref="MaxInfoRows"/>; beyond that a count
/// per rule (JSON, SARIF and --fix-script always carry every finding).
/// </summary>
/// <remarks>
/// Blocks are written straight to the console's writer, with ANSI colours only when the console has
/// them: laying findings out in a Spectre table measured every character of every cell and took over a
/// second for 300 findings at 100,000 tables. Control characters from object names are shown as U+FFFD,
/// so a hostile name cannot move the cursor or recolour a terminal.
/// </remarks>
internal static class FindingsRenderer
{
    public const int MaxRowsPerGroup = 200;
    public const int MaxInfoRows = 20;

    public static void Text(IAnsiConsole console, AuditResult result)
    {
        var ansi = console.Profile.Capabilities.Ansi;
        var writer = console.Profile.Out.Writer;
        if (result.Findings.IsEmpty)
            console.MarkupLine($"[green]No findings[/] ({result.RulesRun.Length} rules).");
        // Findings arrive ordered, most severe first: each severity is one run of the array.
        var findings = result.Findings;
        for (var start = 0; start < findings.Length;)
        {
            var severity = findings[start].Severity;
            var end = start;
            while (end < findings.Length && findings[end].Severity == severity) end++;
            var (color, title) = severity switch
            {
                Severity.Error => (Ansi.Red, "Errors"),
                Severity.Warning => (Ansi.Yellow, "Warnings"),
                _ => (Ansi.Blue, "Info"),
            };
            var limit = severity == Severity.Info ? MaxInfoRows : MaxRowsPerGroup;
            var text = new StringBuilder();
            text.Append('\n').Append(Paint(ansi, Ansi.Bold + color, $"{title} ({Number(end - start)})")).Append('\n');
            for (var i = start; i < end && i < start + limit; i++)
                Block(text, findings[i], ansi, color);
            if (end - start > limit)
            {
                var rest = findings.AsSpan(start + limit, end - start - limit);
                var perRule = new SortedDictionary<string, int>(StringComparer.Ordinal);
                foreach (var f in rest) perRule[f.Rule.Id] = perRule.GetValueOrDefault(f.Rule.Id) + 1;
                text.Append('\n').Append(Paint(ansi, Ansi.Dim,
                    $"… and {Number(rest.Length)} more: {string.Join(", ", perRule.Select(kv => $"{kv.Key} {Number(kv.Value)}"))} " +
                    "(--format json or --fix-script lists every finding)")).Append('\n');
            }
            writer.Write(text.ToString());
            start = end;
        }
        writer.Flush();
        console.MarkupLine($"\n{Summary(result)}");
        foreach (var note in result.Unreadable)
            console.MarkupLine($"[dim]not read: {Markup.Escape(note)}[/]");
    }

    private static void Block(StringBuilder text, Finding f, bool ansi, string color)
    {
        text.Append('\n')
            .Append(Paint(ansi, color, f.Rule.Id)).Append(' ').Append(Paint(ansi, Ansi.Dim, f.Rule.Name))
            .Append("  ").Append(Clean(Location(f)));
        if (f.Role is not null) text.Append("  role ").Append(Clean(f.Role));
        text.Append('\n');
        Indented(text, f.Message, "  ", null, ansi);
        foreach (var statement in f.Fix)
            foreach (var line in SqlWriter.Lines(statement))
                Indented(text, line, "    ", Ansi.Green, ansi);
        foreach (var note in f.Notes)
            foreach (var line in DiagnosisReport.NoteLines(note))
                Indented(text, line.Text, "    ", line.Style == ReportStyle.Durable ? Ansi.Cyan : Ansi.Dim, ansi);
    }

    // A text that may hold line breaks (a name can), each line indented under the block's header.
    private static void Indented(StringBuilder text, string value, string indent, string? color, bool ansi)
    {
        foreach (var line in value.Split('\n'))
            text.Append(indent).Append(color is null ? Clean(line) : Paint(ansi, color, Clean(line))).Append('\n');
    }

    private static string Paint(bool ansi, string code, string value) => ansi ? code + value + Ansi.Reset : value;

    /// <summary>Control characters (ESC, CR, …) from names become U+FFFD; tabs stay.</summary>
    private static string Clean(string value)
    {
        if (!value.AsSpan().ContainsAnyInRange('\0', '\u001f') && !value.Contains('\u007f', StringComparison.Ordinal)) return value;
        return string.Create(value.Length, value, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
                span[i] = s[i] != '\t' && (s[i] < ' ' || s[i] == '\u007f') ? '\uFFFD' : s[i];
        });
    }

    private static string Number(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Location(Finding f) =>
        f.Object is null ? f.Database : $"{f.Database}: {f.ObjectKindWord} {f.Object}";

    public static string Summary(AuditResult result) =>
        $"{result.Count(Severity.Error)} error(s), {result.Count(Severity.Warning)} warning(s), {result.Count(Severity.Info)} info; {result.RulesRun.Length} rules run.";

    private static class Ansi
    {
        public const string Reset = "\u001b[0m", Bold = "\u001b[1m", Dim = "\u001b[2m";
        public const string Red = "\u001b[31m", Green = "\u001b[32m", Yellow = "\u001b[33m", Blue = "\u001b[34m", Cyan = "\u001b[36m";
    }
}
