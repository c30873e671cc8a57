namespace Pgrant.IntegrationTests.Explain;

/// <summary>
/// "permission denied for large object N", raised by a real server as the role on 13–18: reading needs SELECT;
/// writing needs SELECT and then UPDATE. The fix is proved by running the statement again after it.
/// </summary>
public sealed class ExplainLargeObjectTests
{
    private static async Task<uint> CreateAsync(ExplainWorld w) => (uint)(await w.ScalarAsync("SELECT lo_from_bytea(0, 'hello'::bytea)"))!;

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ReadNeedsSelect(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var lo = await CreateAsync(w);
        var sql = $"SELECT lo_get({lo})";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal($"permission denied for large object {lo}", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("large object", lo.ToString(System.Globalization.CultureInfo.InvariantCulture)), (d.KindWord, d.Object));
        ExplainWorld.Same([$"GRANT SELECT ON LARGE OBJECT {lo} TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task WriteWithSelectHeldNeedsUpdate(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var lo = await CreateAsync(w);
        await w.SqlAsync($"GRANT SELECT ON LARGE OBJECT {lo} TO {app}");
        var sql = $"SELECT lo_put({lo}, 0, 'x'::bytea)";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal($"permission denied for large object {lo}", e.MessageText);

        // Without the statement too: holding SELECT, only the write check can have failed.
        var bare = await w.ExplainAsync(e.MessageText, app);
        ExplainWorld.Same([$"GRANT UPDATE ON LARGE OBJECT {lo} TO {app};"], bare.Fix);
        var d = await w.ExplainAsync(e.MessageText, app, sql);
        ExplainWorld.Same([$"GRANT UPDATE ON LARGE OBJECT {lo} TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task WriteWithNothingHeldNeedsBoth(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var lo = await CreateAsync(w);
        var sql = $"SELECT lo_put({lo}, 0, 'x'::bytea)";
        var e = await w.FailsAsync(app, sql);
        var d = await w.ExplainAsync(e.MessageText, app, sql);
        ExplainWorld.Same([$"GRANT SELECT ON LARGE OBJECT {lo} TO {app};", $"GRANT UPDATE ON LARGE OBJECT {lo} TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }
}
