using System.Text.Json;

namespace Pgrant.Bench;

/// <summary>
/// Compares `pgrant check --format json` with the plan's expected findings for the planted rules:
/// each expected finding must match one reported finding of the same rule, schema and (when the plan
/// names one) role; anything left on either side is a miss or an extra. Rules the build does not run
/// yet are reported as such, not as failures.
/// </summary>
public static class Verifier
{
    public static readonly string[] PlantedRules = ["PGR001", "PGR002", "PGR004", "PGR014"];

    public static int Run(string expectedPath, string checkPath, TextWriter output)
    {
        using var expectedDoc = JsonDocument.Parse(File.ReadAllText(expectedPath));
        using var checkDoc = JsonDocument.Parse(File.ReadAllText(checkPath));
        var ran = checkDoc.RootElement.GetProperty("summary").GetProperty("rules_run").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        var reported = checkDoc.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => (Rule: f.GetProperty("rule").GetString()!, Schema: Text(f, "schema"), Object: Text(f, "object"), Role: Text(f, "role")))
            .ToList();
        var expected = expectedDoc.RootElement.GetProperty("expected").EnumerateArray()
            .Select(e => (Rule: e.GetProperty("Rule").GetString()!, Schema: Text(e, "Schema"), Object: e.GetProperty("Object").GetString()!, Role: Text(e, "Role")))
            .ToList();

        var failed = false;
        foreach (var rule in PlantedRules)
        {
            var want = expected.Where(e => e.Rule == rule).ToList();
            if (!ran.Contains(rule))
            {
                output.WriteLine($"planted {rule}: {want.Count} expected; rule not in this build (skipped)");
                continue;
            }
            var left = reported.Where(f => f.Rule == rule).ToList();
            var found = left.Count;
            var missing = new List<string>();
            foreach (var e in want)
            {
                // The object, its schema and the role must all be the planted ones (a role left open matches any).
                var i = left.FindIndex(f => f.Schema == e.Schema && f.Object == e.Object && (e.Role is null || f.Role == e.Role));
                if (i < 0) missing.Add($"{e.Object} role {e.Role ?? "(any)"}");
                else left.RemoveAt(i);
            }
            var ok = missing.Count == 0 && left.Count == 0;
            failed |= !ok;
            output.WriteLine($"planted {rule}: {want.Count} expected, {found} found: {(ok ? "exact" : "MISMATCH")}");
            foreach (var m in missing.Take(10)) output.WriteLine($"  missing: {m}");
            foreach (var x in left.Take(10)) output.WriteLine($"  extra: {x.Object} role {x.Role}");
        }
        return failed ? 1 : 0;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
