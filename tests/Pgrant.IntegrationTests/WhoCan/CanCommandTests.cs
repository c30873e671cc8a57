using Pgrant.Cli;

namespace Pgrant.IntegrationTests.WhoCan;

/// <summary>
/// `pgrant can`: exit 0 and the granting path when the role may and can reach the object; exit 1
/// and exactly what is missing otherwise — NOINHERIT, 16+ INHERIT FALSE, schema USAGE, CONNECT.
/// Runs on the shared cluster with uniquely named roles.
/// </summary>
public sealed class CanCommandTests
{
    public static TheoryData<int> Versions => TestVersions.All;

    private sealed record World(TestDatabase Db, string P) : IAsyncDisposable
    {
        public string R(string suffix) => $"{P}_{suffix}";
        public async ValueTask DisposeAsync()
        {
            await Db.DisposeAsync();
            await Db.Cluster.ExecuteAsync(string.Join(";", new[] { "grp", "app", "ni", "nouse", "noconn", "if" }.Select(s => $"DROP ROLE IF EXISTS {R(s)}")));
        }
    }

    private static async Task<World> SetUpAsync(int major)
    {
        var db = await TestDatabase.CreateAsync(major);
        var p = TestDatabase.UniqueName("can");
        var w = new World(db, p);
        await db.ExecuteAsync($"""
            CREATE ROLE {w.R("grp")} NOLOGIN;
            CREATE ROLE {w.R("app")} LOGIN;
            CREATE ROLE {w.R("ni")} LOGIN NOINHERIT;
            CREATE ROLE {w.R("nouse")} LOGIN;
            CREATE ROLE {w.R("noconn")} LOGIN;
            CREATE ROLE {w.R("if")} LOGIN;
            GRANT {w.R("grp")} TO {w.R("app")};
            GRANT {w.R("grp")} TO {w.R("ni")};
            CREATE SCHEMA s;
            CREATE TABLE s.t (id int);
            GRANT SELECT ON s.t TO {w.R("grp")}, {w.R("nouse")}, {w.R("noconn")};
            GRANT USAGE ON SCHEMA s TO {w.R("grp")}, {w.R("noconn")};
            REVOKE CONNECT ON DATABASE {db.Name} FROM PUBLIC;
            GRANT CONNECT ON DATABASE {db.Name} TO {w.R("grp")}, {w.R("nouse")};
            """);
        if (major >= 16) await db.ExecuteAsync($"GRANT {w.R("grp")} TO {w.R("if")} WITH INHERIT FALSE");
        return w;
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task YesWithThePath(int major)
    {
        await using var w = await SetUpAsync(major);
        var (exit, json) = await AccessCli.RunAsync(w.Db.ConnectionString(), "can", w.R("app"), "r", "s.t", "--format", "json");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Equal($$"""
            {
              "role": "{{w.R("app")}}",
              "privilege": "SELECT",
              "object": "s.t",
              "allowed": true,
              "usable": true,
              "path": [
                "{{w.R("app")}}",
                "{{w.R("grp")}}"
              ],
              "missing": []
            }

            """, json);
        var (textExit, text) = await AccessCli.RunAsync(w.Db.ConnectionString(), "can", w.R("app"), "SELECT", "s.t");
        Assert.Equal(ExitCodes.Ok, textExit);
        Assert.StartsWith($"yes: {w.R("app")} can use SELECT on table s.t\n", text);
        Assert.Contains($"path     {w.R("app")} → {w.R("grp")}\n", text);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task NoInheritMissesTheInheritanceLinkAndWhatItWouldBring(int major)
    {
        await using var w = await SetUpAsync(major);
        var (exit, json) = await AccessCli.RunAsync(w.Db.ConnectionString(), "can", w.R("ni"), "SELECT", "s.t", "--format", "json");
        Assert.Equal(ExitCodes.Findings, exit);
        // 16+: NOINHERIT is copied into the grant (inherit_option false) when the grant is made.
        var link = major >= 16
            ? $"the grant of {w.R("grp")} to {w.R("ni")} (by postgres) is WITH INHERIT FALSE"
            : $"{w.R("ni")} has NOINHERIT, so it uses the privileges of {w.R("grp")} only after SET ROLE";
        Assert.Equal($$"""
            {
              "role": "{{w.R("ni")}}",
              "privilege": "SELECT",
              "object": "s.t",
              "allowed": false,
              "usable": false,
              "path": [],
              "missing": [
                "inheritance: {{link}}; {{w.R("grp")}} holds the privilege (membership {{w.R("ni")}} → {{w.R("grp")}})",
                "schema USAGE: USAGE on schema s",
                "CONNECT: CONNECT on database {{w.Db.Name}}"
              ]
            }

            """, json);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task InheritFalseGrantOn16AndLater(int major)
    {
        await using var w = await SetUpAsync(major);
        if (major < 16)
        {
            // Before 16 the option does not exist (the NOINHERIT test covers inheritance there).
            await Assert.ThrowsAsync<PostgresException>(() => w.Db.ExecuteAsync($"GRANT {w.R("grp")} TO {w.R("if")} WITH INHERIT FALSE"));
            return;
        }
        var (exit, text) = await AccessCli.RunAsync(w.Db.ConnectionString(), "can", w.R("if"), "SELECT", "s.t");
        Assert.Equal(ExitCodes.Findings, exit);
        Assert.StartsWith($"no: {w.R("if")} cannot use SELECT on table s.t\n", text);
        Assert.Contains($"missing  inheritance: the grant of {w.R("grp")} to {w.R("if")} (by postgres) is WITH INHERIT FALSE; {w.R("grp")} holds the privilege (membership {w.R("if")} → {w.R("grp")})\n", text);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task AllowedButUnusableWithoutSchemaUsageOrConnect(int major)
    {
        await using var w = await SetUpAsync(major);
        var (exit, json) = await AccessCli.RunAsync(w.Db.ConnectionString(), "can", w.R("nouse"), "SELECT", "s.t", "-f", "json");
        Assert.Equal(ExitCodes.Findings, exit);
        Assert.Contains("\"allowed\": true,\n  \"usable\": false,", json);
        Assert.EndsWith($"\"missing\": [\n    \"schema USAGE: USAGE on schema s\"\n  ]\n}}\n", json);

        var (exit2, json2) = await AccessCli.RunAsync(w.Db.ConnectionString(), "can", w.R("noconn"), "SELECT", "s.t", "-f", "json");
        Assert.Equal(ExitCodes.Findings, exit2);
        Assert.Contains("\"allowed\": true,\n  \"usable\": false,", json2);
        Assert.EndsWith($"\"missing\": [\n    \"CONNECT: CONNECT on database {w.Db.Name}\"\n  ]\n}}\n", json2);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task BadInputIsAUsageError(int major)
    {
        await using var w = await SetUpAsync(major);
        var wrongKind = await Assert.ThrowsAsync<PgrantException>(() => AccessCli.RunAsync(w.Db.ConnectionString(), "can", w.R("app"), "EXECUTE", "s.t"));
        Assert.Equal(ExitCodes.UsageOrConnection, ExitCodes.For(wrongKind));
        Assert.Equal($"privilege EXECUTE does not exist for a table (PostgreSQL {major}): s.t", wrongKind.Message);
        var unknown = await Assert.ThrowsAsync<PgrantException>(() => AccessCli.RunAsync(w.Db.ConnectionString(), "can", w.R("app"), "SELEKT", "s.t"));
        Assert.Equal("unknown privilege 'SELEKT'", unknown.Message);
        var missing = await Assert.ThrowsAsync<RoleNotFoundException>(() => AccessCli.RunAsync(w.Db.ConnectionString(), "can", "no_such_role_xyz", "SELECT", "s.t"));
        Assert.Equal("role \"no_such_role_xyz\" does not exist in this cluster", missing.Message);
    }
}
