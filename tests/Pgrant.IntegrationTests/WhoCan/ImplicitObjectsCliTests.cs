using System.Text.Json;
using Pgrant.Cli;

namespace Pgrant.IntegrationTests.WhoCan;

/// <summary>
/// Issue 9 §7 through the real command tree: `who-can` and `can` accept system columns
/// (<c>schema.table.tableoid</c>, <c>table(ctid)</c>), array types (<c>type[]</c>, <c>_type</c>), a table's row
/// type (its name, with a privilege only a type has) and large objects (<c>large object N</c>, or the OID with
/// <c>--kind "large object"</c>), under hostile names; each answer is checked against the server's own
/// has_*_privilege (has_largeobject_privilege on 18; before 18 lo_get run as the role).
/// </summary>
public sealed class ImplicitObjectsCliTests
{
    public static TheoryData<int> Versions => TestVersions.All;

    private sealed record World(TestDatabase Db, string App, string Other, uint LargeObject) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Db.DisposeAsync();
            await Db.Cluster.ExecuteAsync($"DROP ROLE IF EXISTS {App}; DROP ROLE IF EXISTS {Other}");
        }
    }

    // Schema "Odd ""S""" and table "T.x": quotes, a dot and capitals in the names people must type.
    private const string Schema = "\"Odd \"\"S\"\"\"";
    private const string Table = Schema + ".\"T.x\"";

    private static async Task<World> SetUpAsync(int major)
    {
        var db = await TestDatabase.CreateAsync(major);
        var app = "\"" + TestDatabase.UniqueName("App R") + "\"";
        var other = TestDatabase.UniqueName("other");
        await db.ExecuteAsync($"""
            CREATE ROLE {app} LOGIN;
            CREATE ROLE {other} LOGIN;
            CREATE SCHEMA {Schema};
            GRANT USAGE ON SCHEMA {Schema} TO PUBLIC;
            CREATE TABLE {Table} (id int);
            GRANT SELECT (tableoid), UPDATE (ctid) ON {Table} TO {app};
            CREATE TYPE {Schema}.mood AS ENUM ('ok');
            REVOKE USAGE ON TYPE {Schema}.mood FROM PUBLIC;
            GRANT USAGE ON TYPE {Schema}.mood TO {app};
            REVOKE USAGE ON TYPE {Table} FROM PUBLIC;
            GRANT USAGE ON TYPE {Table} TO {other};
            """);
        await using var conn = await db.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT lo_from_bytea(0, 'x'::bytea)", conn);
        var lo = (uint)(await cmd.ExecuteScalarAsync())!;
        await db.ExecuteAsync($"GRANT SELECT ON LARGE OBJECT {lo} TO {app}");
        return new World(db, app, other, lo);
    }

    private static string Unquoted(string role) => role.Trim('"');

    private static async Task<bool> ServerAsync(World w, string sql)
    {
        await using var conn = await w.Db.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<(int Exit, JsonElement Json)> CliAsync(World w, params string[] args)
    {
        var (exit, output) = await AccessCli.RunAsync(w.Db.ConnectionString(), [.. args, "--format", "json"]);
        Assert.True(exit is ExitCodes.Ok or ExitCodes.Findings, $"exit {exit}: {output}");
        using var doc = JsonDocument.Parse(output);
        return (exit, doc.RootElement.Clone());
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task SystemColumns_AnswerAsHasColumnPrivilege(int major)
    {
        await using var w = await SetUpAsync(major);
        foreach (var (role, privilege, obj, column) in new[]
                 {
                     (w.App, "SELECT", Table + ".tableoid", "tableoid"),
                     (w.App, "SELECT", Table + "(xmin)", "xmin"),
                     (w.App, "UPDATE", Table + ".\"ctid\"", "ctid"),
                     (w.Other, "SELECT", Table + ".tableoid", "tableoid"),
                 })
        {
            var (exit, json) = await CliAsync(w, "can", Unquoted(role), privilege, obj);
            var server = await ServerAsync(w, $"SELECT has_column_privilege({SqlNames.Literal(Unquoted(role))}, {SqlNames.Literal(Table)}::regclass, {SqlNames.Literal(column)}, {SqlNames.Literal(privilege)})");
            Assert.Equal(server, json.GetProperty("allowed").GetBoolean());
            Assert.Equal(server ? ExitCodes.Ok : ExitCodes.Findings, exit);
            Assert.Equal($"Odd \"S\".T.x({column})", json.GetProperty("object").GetString());
        }
        var (_, who) = await CliAsync(w, "who-can", "SELECT", Table + "(tableoid)", "--kind", "column");
        Assert.Contains(who.GetProperty("roles").EnumerateArray(), r => r.GetProperty("role").GetString() == Unquoted(w.App));
        Assert.DoesNotContain(who.GetProperty("roles").EnumerateArray(), r => r.GetProperty("role").GetString() == w.Other);
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task ArrayAndRowTypes_AnswerAsHasTypePrivilege(int major)
    {
        await using var w = await SetUpAsync(major);
        foreach (var (role, obj, regtype) in new[]
                 {
                     (w.App, Schema + ".mood[]", Schema + ".mood[]"),
                     (w.Other, Schema + ".mood[]", Schema + ".mood[]"),
                     (w.App, Schema + "._mood", Schema + "._mood"),
                     (w.App, Table, Table),
                     (w.Other, Table, Table),
                     (w.Other, Table + "[]", Table + "[]"),
                 })
        {
            var (exit, json) = await CliAsync(w, "can", Unquoted(role), "USAGE", obj);
            var server = await ServerAsync(w, $"SELECT has_type_privilege({SqlNames.Literal(Unquoted(role))}, {SqlNames.Literal(regtype)}::regtype, 'USAGE')");
            Assert.True(server == json.GetProperty("allowed").GetBoolean(), $"{role} USAGE {obj}: server {server}");
            Assert.Equal(server ? ExitCodes.Ok : ExitCodes.Findings, exit);
        }
        var (_, who) = await CliAsync(w, "who-can", "USAGE", Schema + ".mood[]");
        Assert.Equal("type", who.GetProperty("kind").GetString());
        Assert.Contains(who.GetProperty("roles").EnumerateArray(), r => r.GetProperty("role").GetString() == Unquoted(w.App));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task LargeObjects_AnswerAsTheServerChecks(int major)
    {
        await using var w = await SetUpAsync(major);
        foreach (var (role, privilege, allowed) in new[] { (w.App, "SELECT", true), (w.App, "UPDATE", false), (w.Other, "SELECT", false) })
        {
            var (exit, json) = await CliAsync(w, "can", Unquoted(role), privilege, $"large object {w.LargeObject}");
            Assert.Equal(allowed, json.GetProperty("allowed").GetBoolean());
            Assert.Equal(allowed ? ExitCodes.Ok : ExitCodes.Findings, exit);
            if (major >= 18)
                Assert.Equal(allowed, await ServerAsync(w, $"SELECT has_largeobject_privilege({SqlNames.Literal(Unquoted(role))}, {w.LargeObject}::oid, {SqlNames.Literal(privilege)})"));
        }
        // Before 18 the server's behaviour: lo_get as the role.
        await using (var conn = await w.Db.OpenAsync())
        {
            await using var tx = await conn.BeginTransactionAsync();
            await using (var set = new NpgsqlCommand($"SET LOCAL ROLE {w.Other}", conn, tx)) await set.ExecuteNonQueryAsync();
            var denied = await Assert.ThrowsAsync<PostgresException>(async () =>
            {
                await using var get = new NpgsqlCommand($"SELECT lo_get({w.LargeObject})", conn, tx);
                await get.ExecuteScalarAsync();
            });
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        }
        var (_, who) = await CliAsync(w, "who-can", "SELECT", w.LargeObject.ToString(System.Globalization.CultureInfo.InvariantCulture), "--kind", "large object");
        Assert.Equal("large object", who.GetProperty("kind").GetString());
        Assert.Contains(who.GetProperty("roles").EnumerateArray(), r => r.GetProperty("role").GetString() == Unquoted(w.App));
        Assert.DoesNotContain(who.GetProperty("roles").EnumerateArray(), r => r.GetProperty("role").GetString() == w.Other);

        // A PgrantException: the CLI prints its one line and exits 2.
        var missing = await Assert.ThrowsAsync<PgrantException>(() => AccessCli.RunAsync(w.Db.ConnectionString(), "can", w.Other, "SELECT", "large object 4294967295"));
        Assert.Equal($"large object 4294967295 does not exist in database {w.Db.Name}", missing.Message);
    }
}
