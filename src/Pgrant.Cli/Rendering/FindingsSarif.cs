using System.Text.Json.Serialization;
using Pgrant.Core.Acl;
using Pgrant.Core.Rules;

namespace Pgrant.Cli.Rendering;

/// <summary>
/// SARIF 2.1.0: one run, every rule a reportingDescriptor whose helpUri is its docs page, every
/// finding a result with logical locations database → schema → object.
/// </summary>
internal static class FindingsSarif
{
    public const string DefaultDocsBase = "https://github.com/pgrant/pgrant/blob/main/";

    public static object Document(AuditResult result, string toolVersion, string docsBase = DefaultDocsBase)
    {
        var rules = result.RulesRun.ToList();
        var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i);
        return new SarifLog(
            "https://json.schemastore.org/sarif-2.1.0.json", "2.1.0",
            [new Run(
                new Tool(new Driver("pgrant", toolVersion, docsBase,
                    [.. rules.Select(r => new ReportingDescriptor(r.Id, r.Name, new Text(r.Title), new Text(r.Description),
                        docsBase + r.DocsPath, new Configuration(Level(r.Severity))))])),
                result.Findings.Select(f => new Result(f.Rule.Id, index[f.Rule.Id], Level(f.Severity), new Text(f.Message),
                    [new Location(Locations(f))], new Properties(f.Database, f.Schema, f.Object, f.ObjectKindWord, f.Role, FindingsJson.FixLines(f)))))]);
    }

    private static List<LogicalLocation> Locations(Finding f)
    {
        var list = new List<LogicalLocation> { new(f.Database, f.Database, "module") };
        if (f.Schema is not null && f.ObjectKind != ObjectKind.Schema) list.Add(new(f.Schema, $"{f.Database}/{f.Schema}", "namespace"));
        if (f.Object is not null) list.Add(new(f.Object, $"{f.Database}/{f.Object}", f.ObjectKind == ObjectKind.Schema ? "namespace" : "resource"));
        // The most specific location comes first, as SARIF consumers show the first one.
        list.Reverse();
        return list;
    }

    private static string Level(Severity s) => s switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    private sealed record SarifLog([property: JsonPropertyName("$schema")] string Schema, string Version, List<Run> Runs);
    // Results are enumerated as the serializer streams them (see JsonOutput.Write).
    private sealed record Run(Tool Tool, IEnumerable<Result> Results);
    private sealed record Tool(Driver Driver);
    private sealed record Driver(string Name, string Version, [property: JsonPropertyName("informationUri")] string InformationUri, List<ReportingDescriptor> Rules);
    private sealed record ReportingDescriptor(string Id, string Name,
        [property: JsonPropertyName("shortDescription")] Text ShortDescription,
        [property: JsonPropertyName("fullDescription")] Text FullDescription,
        [property: JsonPropertyName("helpUri")] string HelpUri,
        [property: JsonPropertyName("defaultConfiguration")] Configuration DefaultConfiguration);
    private sealed record Configuration(string Level);
    private sealed record Text(string text);
    private sealed record Result(
        [property: JsonPropertyName("ruleId")] string RuleId,
        [property: JsonPropertyName("ruleIndex")] int RuleIndex,
        string Level, Text Message,
        List<Location> Locations,
        Properties Properties);
    // SARIF puts logical locations inside a location, not directly on the result.
    private sealed record Location([property: JsonPropertyName("logicalLocations")] List<LogicalLocation> LogicalLocations);
    private sealed record LogicalLocation(string Name, [property: JsonPropertyName("fullyQualifiedName")] string FullyQualifiedName, string Kind);
    private sealed record Properties(string Database, string? Schema, string? Object,
        [property: JsonPropertyName("objectKind")] string? ObjectKind, string? Role, List<string> Fix);
}
