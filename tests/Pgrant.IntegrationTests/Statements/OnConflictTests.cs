using Pgrant.Core.Diagnosis;
using Pgrant.IntegrationTests.Explain;
using Xunit.Abstractions;

namespace Pgrant.IntegrationTests.Statements;

/// <summary>The ON CONFLICT story: the whole fix in one go, agreed by the server.</summary>
public sealed class OnConflictTests(ITestOutputHelper output)
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task UpsertGetsSelectAndUpdateInOneGo(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE kv (key text PRIMARY KEY, value text, note text); GRANT INSERT ON kv TO {app}");
        const string sql = "INSERT INTO kv (key, value) VALUES ('a', 'b') ON CONFLICT (key) DO UPDATE SET value = excluded.value";
        var e = await w.FailsAsync(app, sql);
        var d = await w.ExplainAsync(e.MessageText, app, sql);
        output.WriteLine(DiagnosisReport.Text(PermissionErrorParser.Parse(e.MessageText), d, h => h.ToString()));
        ExplainWorld.Same([$"GRANT SELECT (key, value) ON TABLE public.kv TO {app};", $"GRANT UPDATE (value) ON TABLE public.kv TO {app};"], d.Fix);
        Assert.Equal(VerificationStatus.Verified, d.Verification?.Status);
        await w.ApplyAsync(d.Fix);
        await w.SucceedsAsync(app, sql);
    }
}
