using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Pgrant.Core.Rules;

namespace Pgrant.Cli.Rendering;

/// <summary>The JSON contract of `pgrant check`: {"findings": [...], "summary": {...}}.</summary>
internal static class FindingsJson
{
    /// <summary>The document; findings are enumerated (and their fixes written) as the serializer reaches them.</summary>
    public static object Document(AuditResult result, ImmutableArray<string> notes) => new CheckJson(
        result.Findings.Select(f => new FindingJson(f.Rule.Id, f.Rule.Name, Word(f.Severity), f.Database, f.Schema, f.Object, f.ObjectKind, f.Role, f.Message, f.Fix)),
        new SummaryJson(result.Count(Severity.Error), result.Count(Severity.Warning), result.Count(Severity.Info), result.Findings.Length,
            [.. result.RulesRun.Select(r => r.Id)], [.. notes.Concat(result.Unreadable)]));

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
        string? Role, string Message, ImmutableArray<string> Fix);

    private sealed record SummaryJson(int Errors, int Warnings, int Info, int Total,
        [property: JsonPropertyName("rules_run")] List<string> RulesRun,
        [property: JsonPropertyName("not_read")] List<string> NotRead);
}
