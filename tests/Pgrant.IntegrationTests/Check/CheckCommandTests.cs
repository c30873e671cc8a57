using System.Diagnostics;
using System.Text.Json;
using Pgrant.Demo;

namespace Pgrant.IntegrationTests.Check;

/// <summary>
/// `pgrant check` end to end on the demo's world before the fix (issue 3, "Done when"): PGR001 with
/// the GRANT USAGE fix and PGR013; valid SARIF 2.1.0; a fix script that psql runs and that clears
/// PGR001. The seed's role names are fixed, so each version gets a dedicated cluster.
/// </summary>
[Collection(DedicatedClusters.Collection)]
public sealed class CheckCommandTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Finds_the_seed_error_and_the_shared_name_reports_valid_sarif_and_its_fix_script_clears_it(int major)
    {
        await using var cluster = await LocalCluster.StartAsync(ClusterPool.SharedOptions(major));
        var seed = new SequenceStory(cluster);
        await seed.SetUpAsync();

        var (exit, json) = await RunAsync(seed, "check", "--format", "json");
        Assert.Equal(1, exit);
        var findings = JsonDocument.Parse(json).RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => (Rule: f.GetProperty("rule").GetString(), Object: f.GetProperty("object").GetString(), Role: f.GetProperty("role").GetString(),
                Severity: f.GetProperty("severity").GetString(), Fix: string.Join("\n", f.GetProperty("fix").EnumerateArray().Select(x => x.GetString()))))
            .ToList();
        Assert.Single(findings, f => f.Rule == "PGR001");
        Assert.Contains(("PGR001", "public.descriptions_id_seq", "sdc", "error", "GRANT USAGE ON SEQUENCE public.descriptions_id_seq TO sdc;"), findings);
        Assert.Contains(findings, f => f is { Rule: "PGR013", Object: "sdc", Role: "sdc", Severity: "info" });

        var (textExit, text) = await RunAsync(seed, "check");
        Assert.Equal(1, textExit);
        Assert.Contains("Errors (1)", text);
        Assert.Contains("PGR001 sequence-usage-missing  sdc: sequence public.descriptions_id_seq  role sdc\n", text);
        Assert.Contains("\n    GRANT USAGE ON SEQUENCE public.descriptions_id_seq TO sdc;\n", text);
        Assert.Matches(@"1 error\(s\), \d+ warning\(s\), \d+ info; 18 rules run\.", text);

        var sarifFile = Path.Combine(cluster.RootDirectory, "check.sarif");
        var (sarifExit, sarif) = await RunAsync(seed, "check", "--format", "sarif");
        Assert.Equal(1, sarifExit);
        await File.WriteAllTextAsync(sarifFile, sarif);
        Assert.Empty(await SarifValidator.ValidateAsync(sarifFile));
        var run = JsonDocument.Parse(sarif).RootElement.GetProperty("runs")[0];
        Assert.Equal("2.1.0", JsonDocument.Parse(sarif).RootElement.GetProperty("version").GetString());
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(18, rules.Count);
        Assert.All(rules, r => Assert.EndsWith($"docs/rules/{r.GetProperty("id").GetString()}.md", r.GetProperty("helpUri").GetString()));
        var pgr001 = run.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "PGR001");
        var names = pgr001.GetProperty("locations")[0].GetProperty("logicalLocations").EnumerateArray().Select(l => l.GetProperty("name").GetString()).ToList();
        Assert.Equal(["public.descriptions_id_seq", "public", "sdc"], names);

        var script = Path.Combine(cluster.RootDirectory, "fixes.sql");
        var (scriptExit, _) = await RunAsync(seed, "check", "--rules", "PGR001", "--fix-script", script);
        Assert.Equal(1, scriptExit);
        var psql = cluster.Binaries.Psql ?? "psql";
        var start = new ProcessStartInfo(psql) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", cluster.Host, "-p", $"{cluster.Port}", "-U", SequenceStory.Superuser, "-d", SequenceStory.Database, "-f", script])
            start.ArgumentList.Add(a);
        start.Environment["PGPASSWORD"] = seed.StephenPassword;
        using (var p = Process.Start(start)!)
        {
            var err = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, err);
        }
        var (after, _) = await RunAsync(seed, "check", "--rules", "PGR001", "--format", "json");
        Assert.Equal(0, after);
        Assert.True((await seed.InsertAsAppAsync(7)).Succeeded);
    }

    private static Task<(int Exit, string Output)> RunAsync(SequenceStory seed, params string[] args) =>
        InProcessCli.RunAgainstAsync(seed.StephenConnectionString, args);
}
