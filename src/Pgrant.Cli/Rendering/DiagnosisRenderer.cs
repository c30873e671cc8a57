using System.Text.Json;
using System.Text.Json.Serialization;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Sql;
using Spectre.Console;

namespace Pgrant.Cli.Rendering;

/// <summary>Shows a <see cref="Diagnosis"/> as text (the shared report, coloured) or as the JSON contract of `pgrant explain`.</summary>
internal static class DiagnosisRenderer
{
    /// <summary>How the CLI words a hint: as its flags.</summary>
    public static string HintWords(DiagnosisHint hint) => hint switch
    {
        DiagnosisHint.OtherRole => "if another role hit the error, name it with --role",
        DiagnosisHint.Statement => "pass the failing statement with --statement for the exact privileges it needs",
        _ => hint.ToString(),
    };

    public static void Text(IAnsiConsole console, PermissionError error, Diagnosis d)
    {
        // Plain label column rather than a Spectre grid: a grid pads every row to the widest cell,
        // which leaves trailing blanks in piped output.
        foreach (var line in DiagnosisReport.Lines(error, d, HintWords))
        {
            var style = line.Style switch
            {
                ReportStyle.Error => "bold red",
                ReportStyle.Missing => "yellow",
                ReportStyle.Good => "green",
                ReportStyle.Heading => "bold",
                ReportStyle.Fix => "green",
                ReportStyle.Durable => "cyan",
                ReportStyle.Dim => "dim",
                _ => "",
            };
            var text = style.Length == 0 ? Markup.Escape(line.Text) : $"[{style}]{Markup.Escape(line.Text)}[/]";
            console.MarkupLine(line.Label is null ? text : $"[bold]{Markup.Escape(DiagnosisReport.LabelColumn(line.Label))}[/] {text}");
        }
    }

    public static string Json(PermissionError error, Diagnosis d) =>
        JsonSerializer.Serialize(new DiagnosisJson(
            d.KindWord, d.Object, d.Role,
            [.. d.Missing.Select(m => new MissingJson(m.Name, m.KindWord, m.Object, m.Reason))],
            d.Cause, [.. d.Fix.Select(SqlWriter.Standalone)], [.. d.DurableFix.Select(SqlWriter.Standalone)], [.. d.CanFix.Select(f => f.Name)],
            d.Attempted, error.Message, d.AlreadyAllowed, [.. d.Candidates],
            [.. d.Notes.Select(n => new NoteJson(Word(n.Kind), n.Text, n.Example is null ? null : SqlWriter.Standalone(n.Example)))],
            [.. d.Hints.Select(HintWords)],
            [.. d.Alternatives.Select(a => new AlternativeJson(a.Title, [.. a.Statements.Select(SqlWriter.Standalone)], a.Effect))],
            d.Broad is null ? null : new BroadJson([.. d.Broad.Statements.Select(SqlWriter.Standalone)], d.Broad.HandsOver, [.. d.Broad.CanRun.Select(f => f.Name)]),
            d.SuperuserOnly)
        {
            WouldHit = d.WouldHit.IsEmpty ? null : [.. d.WouldHit],
            StatementAnalysis = d.StatementAnalysis.Length == 0 ? null : d.StatementAnalysis,
            Verification = d.Verification is not { } v ? null : new VerificationJson(v.Status switch
            {
                VerificationStatus.Verified => "verified",
                VerificationStatus.Failed => "failed",
                _ => "not_verified",
            }, v.Detail, [.. v.Checked], [.. v.NotChecked]),
        }, Options);

    private sealed record VerificationJson(string Status, string Detail, List<string> Checked,
        [property: JsonPropertyName("not_checked")] List<string> NotChecked);

    private static string Word(NoteKind kind) => kind switch
    {
        NoteKind.Advice => "advice",
        NoteKind.Caution => "caution",
        _ => "info",
    };

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private sealed record MissingJson(string Privilege, string Kind, string Object, string Reason);

    private sealed record NoteJson(string Kind, string Text,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Example);

    private sealed record AlternativeJson(string Title, List<string> Statements, string Effect);

    private sealed record BroadJson(List<string> Statements,
        [property: JsonPropertyName("hands_over")] string HandsOver,
        [property: JsonPropertyName("can_run")] List<string> CanRun);

    // The contract's keys first, in the order (kind, object, role, missing, cause, fix,
    // durable_fix, can_fix); the extras after them, so a reader of the raw text sees the contract first.
    private sealed record DiagnosisJson(
        string Kind, string Object, string Role,
        List<MissingJson> Missing, string Cause, List<string> Fix,
        [property: JsonPropertyName("durable_fix")] List<string> DurableFix,
        [property: JsonPropertyName("can_fix")] List<string> CanFix,
        string Attempted, string Message,
        [property: JsonPropertyName("already_allowed")] bool AlreadyAllowed,
        List<string> Candidates, List<NoteJson> Notes, List<string> Hints,
        List<AlternativeJson> Alternatives,
        [property: JsonPropertyName("broad_fix")] BroadJson? BroadFix,
        [property: JsonPropertyName("superuser_only")] bool SuperuserOnly)
    {
        /// <summary>How the statement's needs were found (the server's analysis, or why not).</summary>
        [JsonPropertyName("statement_analysis"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? StatementAnalysis { get; init; }

        /// <summary>No role named and the connected role may do it: the login roles that would hit the error.</summary>
        [JsonPropertyName("would_hit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public List<string>? WouldHit { get; init; }

        /// <summary>The server's verdict on the fix: verified, failed (its message) or not_verified (why), with what it checked.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public VerificationJson? Verification { get; init; }
    }
}
