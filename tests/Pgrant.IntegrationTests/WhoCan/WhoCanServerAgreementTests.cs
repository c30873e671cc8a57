using Pgrant.Cli;
using System.Text.Json;

namespace Pgrant.IntegrationTests.WhoCan;

/// <summary>
/// `pgrant who-can` lists exactly the roles the server's has_*_privilege says yes for, over every
/// role of a dedicated cluster (a shared one has other tests' roles coming and going), for each kind.
/// </summary>
public sealed class WhoCanServerAgreementTests
{
    private const string World = """
        CREATE ROLE wc_owner NOLOGIN;
        CREATE ROLE wc_grp NOLOGIN;
        CREATE ROLE wc_app LOGIN;
        CREATE ROLE wc_direct LOGIN;
        CREATE ROLE wc_ni LOGIN NOINHERIT;
        GRANT wc_grp TO wc_app;
        GRANT wc_grp TO wc_ni;
        CREATE SCHEMA app AUTHORIZATION wc_owner;
        CREATE TABLE app.t (id serial, c int);
        ALTER TABLE app.t OWNER TO wc_owner;
        GRANT SELECT ON app.t TO wc_grp;
        GRANT UPDATE (c) ON app.t TO wc_direct;
        CREATE SEQUENCE app.s;
        GRANT UPDATE ON SEQUENCE app.s TO wc_direct;
        GRANT USAGE ON SEQUENCE app.s TO wc_grp;
        CREATE FUNCTION app.f(i int) RETURNS int LANGUAGE sql AS 'SELECT i';
        ALTER FUNCTION app.f(int) OWNER TO wc_owner;
        REVOKE ALL ON FUNCTION app.f(int) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION app.f(int) TO wc_grp;
        GRANT EXECUTE ON FUNCTION app.f(int) TO wc_direct WITH GRANT OPTION;
        GRANT USAGE ON SCHEMA app TO wc_grp;
        CREATE TYPE app.mood AS ENUM ('ok');
        REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
        GRANT USAGE ON TYPE app.mood TO wc_grp;
        REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC;
        GRANT USAGE ON LANGUAGE plpgsql TO wc_direct;
        REVOKE CONNECT ON DATABASE wc FROM PUBLIC;
        GRANT CONNECT ON DATABASE wc TO wc_grp;
        """;

    public static TheoryData<int> Versions => TestVersions.All;

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task ListsExactlyTheRolesTheServerSaysHoldIt(int major)
    {
        await using var cluster = await LocalCluster.StartAsync(ClusterPool.SharedOptions(major));
        await cluster.CreateDatabaseAsync("wc");
        await cluster.ExecuteAsync(World, "wc");
        var cs = cluster.ConnectionString("wc");
        (string[] Args, string ServerTest)[] questions =
        [
            (["SELECT", "app.t"], "has_table_privilege(r.oid, 'app.t'::regclass, 'SELECT')"),
            (["UPDATE", "app.t(c)"], "has_column_privilege(r.oid, 'app.t'::regclass, 'c', 'UPDATE')"),
            (["nextval", "app.s"], "has_sequence_privilege(r.oid, 'app.s'::regclass, 'USAGE, UPDATE')"),
            (["setval", "app.s"], "has_sequence_privilege(r.oid, 'app.s'::regclass, 'UPDATE')"),
            (["USAGE", "app"], "has_schema_privilege(r.oid, 'app', 'USAGE')"),
            (["CONNECT", "wc"], "has_database_privilege(r.oid, 'wc', 'CONNECT')"),
            (["EXECUTE", "app.f(integer)"], "has_function_privilege(r.oid, 'app.f(int)', 'EXECUTE')"),
            (["USAGE", "app.mood"], "has_type_privilege(r.oid, 'app.mood', 'USAGE')"),
            (["USAGE", "plpgsql", "--kind", "language"], "has_language_privilege(r.oid, 'plpgsql', 'USAGE')"),
        ];
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        foreach (var (args, serverTest) in questions)
        {
            var server = new List<string>();
            await using (var cmd = new NpgsqlCommand($"SELECT rolname FROM pg_roles r WHERE {serverTest} ORDER BY rolname COLLATE \"C\"", conn))
            await using (var reader = await cmd.ExecuteReaderAsync())
                while (await reader.ReadAsync()) server.Add(reader.GetString(0));
            var (exit, json) = await AccessCli.RunAsync(cs, ["who-can", .. args, "--format", "json"]);
            Assert.Equal(ExitCodes.Ok, exit);
            using var doc = JsonDocument.Parse(json);
            var ours = doc.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("role").GetString()!).ToList();
            Assert.True(server.SequenceEqual(ours), $"PostgreSQL {major} who-can {string.Join(' ', args)}: server [{string.Join(", ", server)}], pgrant [{string.Join(", ", ours)}]");
            Assert.NotEmpty(ours);
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task JsonShapeIsExact(int major)
    {
        await using var cluster = await LocalCluster.StartAsync(ClusterPool.SharedOptions(major));
        await cluster.CreateDatabaseAsync("wc");
        await cluster.ExecuteAsync(World, "wc");
        var (exit, json) = await AccessCli.RunAsync(cluster.ConnectionString("wc"), "who-can", "X", "app.f(int)", "--format", "json");
        Assert.Equal(ExitCodes.Ok, exit);
        // wc_ni is a member of wc_grp but NOINHERIT: not listed. wc_direct has no USAGE on app and no CONNECT.
        Assert.Equal("""
            {
              "object": "app.f(i integer)",
              "kind": "function",
              "privilege": "EXECUTE",
              "roles": [
                { "role": "postgres", "how": "superuser", "path": [ "postgres" ], "grantable": true, "usable": true },
                { "role": "wc_app", "how": "membership", "path": [ "wc_app", "wc_grp" ], "grantable": false, "usable": true },
                { "role": "wc_direct", "how": "direct", "path": [ "wc_direct" ], "grantable": true, "usable": false },
                { "role": "wc_grp", "how": "direct", "path": [ "wc_grp" ], "grantable": false, "usable": true },
                { "role": "wc_owner", "how": "owner", "path": [ "wc_owner" ], "grantable": true, "usable": false }
              ]
            }

            """, Compact(json));
        var text = (await AccessCli.RunAsync(cluster.ConnectionString("wc"), "who-can", "EXECUTE", "app.f(int)")).Output;
        Assert.StartsWith("EXECUTE on function app.f(i integer): 5 role(s)\n", text);
        Assert.Contains("│ wc_app    │ login │ membership │ wc_app → wc_grp │ no        │ yes    │", text);
    }

    // One role object per line, so the expected document stays readable.
    private static string Compact(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        var roles = r.GetProperty("roles").EnumerateArray().Select(e =>
            $"    {{ \"role\": {e.GetProperty("role").GetRawText()}, \"how\": {e.GetProperty("how").GetRawText()}, \"path\": [ {string.Join(", ", e.GetProperty("path").EnumerateArray().Select(p => p.GetRawText()))} ], \"grantable\": {e.GetProperty("grantable").GetRawText()}, \"usable\": {e.GetProperty("usable").GetRawText()} }}");
        Assert.Equal(["object", "kind", "privilege", "roles"], r.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.All(r.GetProperty("roles").EnumerateArray(), e =>
            Assert.Equal(["role", "how", "path", "grantable", "usable"], e.EnumerateObject().Select(p => p.Name).ToArray()));
        return "{\n" +
            $"  \"object\": {r.GetProperty("object").GetRawText()},\n  \"kind\": {r.GetProperty("kind").GetRawText()},\n  \"privilege\": {r.GetProperty("privilege").GetRawText()},\n" +
            "  \"roles\": [\n" + string.Join(",\n", roles) + "\n  ]\n}\n";
    }
}
