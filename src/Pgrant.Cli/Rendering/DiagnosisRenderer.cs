using System.Text.Json;
using System.Text.Json.Serialization;
using Pgrant.Core.Diagnosis;
using Spectre.Console;

namespace Pgrant.Cli.Rendering;

/// <summary>Shows a <see cref="Diagnosis"/> as text (Spectre) or as the JSON contract of `pgrant explain`.</summary>
internal static class DiagnosisRenderer
{
    public static void Text(IAnsiConsole console, PermissionError error, Diagnosis d)
    {
        console.MarkupLine($"[bold red]{Markup.Escape(error.Message)}[/]");
        // Plain label column rather than a Spectre grid: a grid pads every row to the widest cell,
        // which leaves trailing blanks in piped output.
        void Row(string label, string value, string style = "")
        {
            if (string.IsNullOrEmpty(value)) return;
            var text = style.Length == 0 ? Markup.Escape(value) : $"[{style}]{Markup.Escape(value)}[/]";
            console.MarkupLine($"[bold]{label.PadRight(9)}[/] {text}");
        }
        Row("role", d.Role);
        if (!d.Unresolved) Row("object", $"{d.Kind} {d.Object}");
        Row("tried to", d.Attempted);
        foreach (var m in d.Missing)
            Row("missing", $"{m.Privilege} on {m.Kind} {m.Object} ({m.Reason})", "yellow");
        Row("cause", d.Cause);
        if (d.AlreadyAllowed)
            console.MarkupLine("[green]The role holds what it needs now; nothing to fix.[/]");
        if (!d.Candidates.IsEmpty)
        {
            console.MarkupLine("[bold]candidates[/]");
            foreach (var c in d.Candidates) console.MarkupLine($"  {Markup.Escape(c)}");
        }
        Section(console, "fix (least privilege)", d.Fix, "green");
        if (!d.CanFix.IsEmpty)
            console.MarkupLine($"[bold]who can run the fix[/]  {Markup.Escape(string.Join(", ", d.CanFix))}");
        Section(console, "durable fix", d.DurableFix, "cyan");
        foreach (var note in d.Notes) console.MarkupLine($"[dim]note: {Markup.Escape(note)}[/]");
    }

    private static void Section(IAnsiConsole console, string title, IReadOnlyList<string> sql, string style)
    {
        if (sql.Count == 0) return;
        console.MarkupLine($"[bold]{title}[/]");
        foreach (var statement in sql)
            foreach (var line in statement.Split('\n'))
                console.MarkupLine($"  [{style}]{Markup.Escape(line)}[/]");
    }

    public static string Json(PermissionError error, Diagnosis d) =>
        JsonSerializer.Serialize(new DiagnosisJson(
            d.Kind, d.Object, d.Role,
            [.. d.Missing.Select(m => new MissingJson(m.Privilege, m.Kind, m.Object, m.Reason))],
            d.Cause, [.. d.Fix], [.. d.DurableFix], [.. d.CanFix.Select(f => f.Name)],
            d.Attempted, error.Message, d.AlreadyAllowed, [.. d.Candidates], [.. d.Notes]), Options);

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record MissingJson(string Privilege, string Kind, string Object, string Reason);

    // The contract's keys first, in the issue's order (kind, object, role, missing, cause, fix,
    // durable_fix, can_fix); the extras after them, so a reader of the raw text sees the contract first.
    private sealed record DiagnosisJson(
        string Kind, string Object, string Role,
        List<MissingJson> Missing, string Cause, List<string> Fix,
        [property: JsonPropertyName("durable_fix")] List<string> DurableFix,
        [property: JsonPropertyName("can_fix")] List<string> CanFix,
        string Attempted, string Message,
        [property: JsonPropertyName("already_allowed")] bool AlreadyAllowed,
        List<string> Candidates, List<string> Notes);
}
