using System.Collections.Immutable;
using Pgrant.Core.Rules;
using Spectre.Console;

namespace Pgrant.Cli.Rendering;

/// <summary>
/// Findings as text: grouped by severity, one Spectre table per group with the fix under each
/// finding. Large groups are summarised per rule beyond <see cref="MaxRowsPerGroup"/> rows, so a
/// 100,000-object audit prints in milliseconds; JSON and SARIF always carry every finding.
/// </summary>
internal static class FindingsRenderer
{
    public const int MaxRowsPerGroup = 200;

    public static void Text(IAnsiConsole console, AuditResult result, ImmutableArray<string> notes)
    {
        if (result.Findings.IsEmpty)
            console.MarkupLine($"[green]No findings[/] ({result.RulesRun.Length} rules).");
        foreach (var group in result.Findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key))
        {
            var (style, title) = group.Key switch
            {
                Severity.Error => ("red", "Errors"),
                Severity.Warning => ("yellow", "Warnings"),
                _ => ("blue", "Info"),
            };
            var items = group.ToList();
            console.MarkupLine($"\n[bold {style}]{title} ({items.Count})[/]");
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("rule");
            table.AddColumn("object");
            table.AddColumn("role");
            table.AddColumn("finding and fix");
            foreach (var f in items.Take(MaxRowsPerGroup))
            {
                var fix = f.Fix.IsEmpty ? "" : "\n[green]" + Markup.Escape(string.Join("\n", f.Fix)) + "[/]";
                table.AddRow(
                    new Markup($"[{style}]{f.Rule.Id}[/]\n[dim]{Markup.Escape(f.Rule.Name)}[/]"),
                    new Markup(Markup.Escape(Location(f))),
                    new Markup(Markup.Escape(f.Role ?? "")),
                    new Markup(Markup.Escape(f.Message) + fix));
            }
            console.Write(table);
            if (items.Count > MaxRowsPerGroup)
            {
                console.MarkupLine($"[dim]… and {items.Count - MaxRowsPerGroup} more:[/]");
                foreach (var rule in items.Skip(MaxRowsPerGroup).GroupBy(f => f.Rule.Id).OrderBy(g => g.Key))
                    console.MarkupLine($"[dim]  {rule.Key}: {rule.Count()} more (use --format json or --fix-script for all)[/]");
            }
        }
        console.MarkupLine($"\n{Summary(result)}");
        foreach (var note in notes.Concat(result.Unreadable))
            console.MarkupLine($"[dim]not read: {Markup.Escape(note)}[/]");
    }

    public static string Location(Finding f) =>
        f.Object is null ? f.Database : $"{f.Database}: {f.ObjectKind} {f.Object}";

    public static string Summary(AuditResult result) =>
        $"{result.Count(Severity.Error)} error(s), {result.Count(Severity.Warning)} warning(s), {result.Count(Severity.Info)} info; {result.RulesRun.Length} rules run.";
}
