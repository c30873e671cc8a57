using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Pgrant.IntegrationTests.Explain;

/// <summary>
/// `pgrant explain` as a user runs it: the built CLI as a child process with stdin redirected (no
/// terminal), no PG* variables unless given, exit codes and output checked exactly.
/// </summary>
public sealed class ExplainCliTests
{
    private static Task<CliProcess.Run> PgrantAsync(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        CliProcess.PgrantAsync(env, args);

    /// <summary>A sequence error the app role hit, and the connection arguments of the superuser.</summary>
    private static async Task<(ExplainWorld World, string App, string Message, string[] Superuser)> SeedAsync(int major, string test)
    {
        var w = await ExplainWorld.CreateAsync(major, test);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE items (id serial, name text); GRANT INSERT ON items TO {app}");
        var e = await w.FailsAsync(app, "INSERT INTO items (name) VALUES ('x')");
        var cluster = w.Db.Cluster;
        string[] conn = ["-h", cluster.Host, "-p", cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", cluster.SuperUser, "-d", w.Db.Name];
        return (w, app, e.MessageText, conn);
    }

    private static Dictionary<string, string> Password(string password) => new() { ["PGPASSWORD"] = password };

    private static async Task<bool> HasUsageAsync(ExplainWorld w, string app) =>
        (bool)(await w.ScalarAsync($"SELECT has_sequence_privilege('{app}', 'public.items_id_seq', 'USAGE')"))!;

    [Fact]
    public async Task OfflineDecodesTheMessageAndExitsZero()
    {
        var run = await PgrantAsync(null, "explain", "{ error: permission denied for sequence descriptions_id_seq ...}");
        Assert.Equal(0, run.Exit);
        Assert.Equal("", run.Err);
        Assert.Equal("""
            permission denied for sequence descriptions_id_seq
            kind     sequence
            object   descriptions_id_seq
            likely   USAGE on the sequence (nextval(), e.g. a serial column's default, needs USAGE or UPDATE; table grants never reach sequences)
            Run against the database to get the exact fix: pgrant explain 'permission denied for sequence descriptions_id_seq' --role ROLE -d postgres://USER@HOST:PORT/DB

            """.Replace("\r\n", "\n"), run.Out);
    }

    [Fact]
    public async Task UnreachableServerIsOneLineAndExitTwo()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var run = await PgrantAsync(Password("x"), "explain", "permission denied for table t", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "u", "-d", "db");
        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Out);
        var lines = run.Err.TrimEnd('\n').Split('\n');
        Assert.StartsWith("pgrant: ", lines[0]);
        Assert.Contains($"127.0.0.1", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("hint: ", l));
        Assert.True(lines.Length <= 2, run.Err);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ApplyWithoutYesAndWithoutATerminalRefuses(int major)
    {
        var (w, app, message, conn) = await SeedAsync(major, nameof(ApplyWithoutYesAndWithoutATerminalRefuses));
        await using var _ = w;
        var run = await PgrantAsync(Password(w.Db.Cluster.SuperPassword), ["explain", message, "--role", app, "--apply", .. conn]);
        Assert.Equal(2, run.Exit);
        Assert.Contains($"GRANT USAGE ON SEQUENCE public.items_id_seq TO {app};", run.Out);
        Assert.Equal("pgrant: refusing to apply without confirmation: no terminal to ask on\nhint: pass --yes to apply from a script\n", run.Err);
        Assert.False(await HasUsageAsync(w, app));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ApplyWithYesGrantsAndTheInsertWorks(int major)
    {
        var (w, app, message, conn) = await SeedAsync(major, nameof(ApplyWithYesGrantsAndTheInsertWorks));
        await using var _ = w;
        var run = await PgrantAsync(Password(w.Db.Cluster.SuperPassword), ["explain", message, "--role", app, "--apply", "--yes", .. conn]);
        Assert.Equal(0, run.Exit);
        Assert.Equal("", run.Err);
        Assert.EndsWith("Applied 1 statement(s) in one transaction.\n", run.Out);
        Assert.True(await HasUsageAsync(w, app));
        await w.SucceedsAsync(app, "INSERT INTO items (name) VALUES ('x')");
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ConnectedRoleThatMayNotGrantSaysWhoCanAndChangesNothing(int major)
    {
        var (w, app, message, conn) = await SeedAsync(major, nameof(ConnectedRoleThatMayNotGrantSaysWhoCanAndChangesNothing));
        await using var _ = w;
        // Connected as the app itself: the role defaults to the connected user.
        conn[5] = app;
        var run = await PgrantAsync(Password(w.Password), ["explain", message, "--apply", "--yes", .. conn]);
        Assert.Equal(1, run.Exit);
        Assert.Equal("", run.Err);
        Assert.Contains($"role      {app}\n", run.Out);
        Assert.Contains($"\n{app} may not grant this; nothing was changed.\nConnect as one of: ", run.Out);
        Assert.Contains("postgres (superuser)", run.Out);
        Assert.False(await HasUsageAsync(w, app));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task JsonShape(int major)
    {
        var (w, app, message, conn) = await SeedAsync(major, nameof(JsonShape));
        await using var _ = w;
        var run = await PgrantAsync(Password(w.Db.Cluster.SuperPassword), ["explain", message, "--role", app, "--format", "json", "--statement", "INSERT INTO items (name) VALUES ('x')", .. conn]);
        Assert.Equal(0, run.Exit);
        Assert.Equal("", run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal(
            ["kind", "object", "role", "missing", "cause", "fix", "durable_fix", "can_fix", "attempted", "message", "already_allowed", "candidates", "notes", "hints",
             "alternatives", "broad_fix", "superuser_only", "statement_analysis", "verification"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sequence", root.GetProperty("kind").GetString());
        Assert.Equal("public.items_id_seq", root.GetProperty("object").GetString());
        Assert.Equal(app, root.GetProperty("role").GetString());
        var missing = Assert.Single(root.GetProperty("missing").EnumerateArray());
        Assert.Equal(["privilege", "kind", "object", "reason"], missing.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("USAGE", "sequence", "public.items_id_seq", "nextval() needs USAGE or UPDATE on the sequence; USAGE is the least"),
            (missing.GetProperty("privilege").GetString(), missing.GetProperty("kind").GetString(), missing.GetProperty("object").GetString(), missing.GetProperty("reason").GetString()));
        Assert.Equal($"the column default of public.items.id calls nextval('public.items_id_seq'); {app} holds a on the table but nothing on the sequence; table grants never reach sequences.",
            root.GetProperty("cause").GetString());
        Assert.Equal([$"GRANT USAGE ON SEQUENCE public.items_id_seq TO {app};"], root.GetProperty("fix").EnumerateArray().Select(x => x.GetString()));
        var durable = root.GetProperty("durable_fix").EnumerateArray().Select(x => x.GetString()!).ToArray();
        Assert.Equal(2, durable.Length);
        Assert.Equal($"ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA public GRANT USAGE ON SEQUENCES TO {app};", durable[0]);
        Assert.StartsWith("BEGIN;\nLOCK TABLE public.items IN ACCESS EXCLUSIVE MODE;\n", durable[1]);
        Assert.Contains("postgres", root.GetProperty("can_fix").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(message, root.GetProperty("message").GetString());
        Assert.False(root.GetProperty("already_allowed").GetBoolean());
        Assert.Equal(0, root.GetProperty("candidates").GetArrayLength());
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ABroadFixIsRefusedWithoutAllowBroadAndAppliedWithIt(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var migrator = await w.RoleAsync("migrator", "NOLOGIN");
        await w.SqlAsync($"CREATE TABLE items (id integer); ALTER TABLE items OWNER TO {migrator}");
        const string sql = "ALTER TABLE items ADD COLUMN note text";
        var e = await w.FailsAsync(app, sql);
        var cluster = w.Db.Cluster;
        string[] conn = ["-h", cluster.Host, "-p", cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", cluster.SuperUser, "-d", w.Db.Name];
        var grant = major >= 16 ? $"GRANT {migrator} TO {app} WITH INHERIT TRUE, SET FALSE;" : $"GRANT {migrator} TO {app};";

        var refused = await PgrantAsync(Password(cluster.SuperPassword), ["explain", e.MessageText, "--role", app, "--statement", sql, "--apply", "--yes", .. conn]);
        Assert.Equal(1, refused.Exit);
        Assert.Equal("", refused.Err);
        Assert.DoesNotContain("fix (least privilege)", refused.Out);
        Assert.Contains($"broad option (NOT least privilege; --apply needs --allow-broad)\n  {grant}\nhands over  membership in {migrator} hands {app} owner rights", refused.Out);
        Assert.EndsWith("The only fix is broad (see \"broad option\" above); nothing was changed.\nPass --allow-broad to apply it anyway.\n", refused.Out);
        await w.FailsAsync(app, sql);

        var json = await PgrantAsync(Password(cluster.SuperPassword), ["explain", e.MessageText, "--role", app, "--statement", sql, "--format", "json", .. conn]);
        Assert.Equal(0, json.Exit);
        using (var doc = JsonDocument.Parse(json.Out))
        {
            var broad = doc.RootElement.GetProperty("broad_fix");
            Assert.Equal([grant], broad.GetProperty("statements").EnumerateArray().Select(x => x.GetString()));
            Assert.StartsWith($"membership in {migrator} hands {app} ", broad.GetProperty("hands_over").GetString());
            Assert.Contains("postgres", broad.GetProperty("can_run").EnumerateArray().Select(x => x.GetString()));
            Assert.Equal(0, doc.RootElement.GetProperty("fix").GetArrayLength());
        }

        var applied = await PgrantAsync(Password(cluster.SuperPassword), ["explain", e.MessageText, "--role", app, "--statement", sql, "--apply", "--yes", "--allow-broad", .. conn]);
        Assert.Equal(0, applied.Exit);
        Assert.Equal("", applied.Err);
        Assert.EndsWith("Applied 1 statement(s) in one transaction.\n", applied.Out);
        await w.SucceedsAsync(app, sql);
    }
}
