using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Pgrant.Core.Rules;
using Pgrant.Core.Sql;

namespace Pgrant.Cli.Rendering;

/// <summary>The JSON contract of `pgrant check`: {"findings": [...], "summary": {...}}.</summary>
internal static class FindingsJson
{
    /// <summary>The document; findings are enumerated (and their fixes written) as the serializer reaches them.</summary>
    public static object Document(AuditResult result) => new CheckJson(
        result.Findings.Select(f => new FindingJson(f.Rule.Id, f.Rule.Name, Word(f.Severity), f.Database, f.Schema, f.Object, f.ObjectKindWord, f.Role, f.Message,
            FixLines(f), [.. f.Notes.Select(NoteJson.Of)])),
        new SummaryJson(result.Count(Severity.Error), result.Count(Severity.Warning), result.Count(Severity.Info), result.Findings.Length,
            [.. result.RulesRun.Select(r => r.Id)], [.. result.Unreadable]));

    /// <summary>The fix as SQL statements, one per element (a statement run as its grantor is three: SET ROLE, it, RESET ROLE).</summary>
    public static List<string> FixLines(Finding f) => [.. f.Fix.SelectMany(s => SqlWriter.Lines(s))];

    public static string Word(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };

    private sealed record CheckJson(IEnumerable<FindingJson> Findings, SummaryJson Summary);

    private sealed record FindingJson(
        string Rule,
        [property: JsonPropertyName("rule_name")] string RuleName,
        string Severity, string Database, string? Schema, string? Object,
        [property: JsonPropertyName("object_kind")] string? ObjectKind,
        string? Role, string Message, List<string> Fix, List<NoteJson> Notes);

    private sealed record SummaryJson(int Errors, int Warnings, int Info, int Total,
        [property: JsonPropertyName("rules_run")] List<string> RulesRun,
        [property: JsonPropertyName("not_read")] List<string> NotRead);

}

/// <summary>A note as JSON: {"kind": "advice"|"caution"|"info", "text", "example"?}.</summary>
internal sealed record NoteJson(string Kind, string Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Example)
{
    public static NoteJson Of(Note n) => new(n.Kind switch
    {
        NoteKind.Advice => "advice",
        NoteKind.Caution => "caution",
        _ => "info",
    }, n.Text, n.Example is null ? null : SqlWriter.Standalone(n.Example));
}
