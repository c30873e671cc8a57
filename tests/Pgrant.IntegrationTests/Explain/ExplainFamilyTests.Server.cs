using Pgrant.Core.Diagnosis;
using Pgrant.Postgres;

namespace Pgrant.IntegrationTests.Explain;

/// <summary>
/// The families that reach past the database: the REPLICATION and BYPASSRLS attributes, and the server-file and
/// server-program roles — each raised by a real server as an unprivileged role on every major, each a broad option
/// (or superuser only where the major has no other way), proved by applying it with allowBroad.
/// </summary>
public sealed partial class ExplainFamilyTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ReplicationSlotsNeedTheReplicationAttributeWhichIsBroad(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var slot = TestDatabase.UniqueName("slot");
        var sql = $"SELECT pg_create_physical_replication_slot('{slot}')";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal(major >= 16 ? "permission denied to use replication slots" : "must be superuser or replication role to use replication slots", e.MessageText);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        Assert.Equal(["REPLICATION"], d.Missing.Select(m => m.Name));
        ExplainWorld.Same([$"ALTER ROLE {app} REPLICATION;"], d.Broad!.Statements);
        try
        {
            await ProveBroadAsync(w, e, app, sql);
        }
        finally
        {
            await w.SqlAsync($"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{slot}'");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CreatingABypassrlsRoleNeedsBypassrlsFrom16AndASuperuserBefore(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app", "LOGIN CREATEROLE");
        var made = TestDatabase.UniqueName("made");
        var sql = $"CREATE ROLE {made} BYPASSRLS";
        var e = await w.FailsAsync(app, sql);
        var result = await ExplainAsync(w, e, app, sql);
        var d = result.Diagnosis;
        try
        {
            if (major < 16)
            {
                Assert.Equal(major == 13 ? "must be superuser to change bypassrls attribute" : "must be superuser to create bypassrls users", e.MessageText);
                Assert.True(d.SuperuserOnly, d.Cause);
                Assert.Empty(d.Fix);
                Assert.Equal(ApplyGate.NothingToApply, result.Gate);
                return;
            }
            Assert.Equal("permission denied to create role", e.MessageText);
            Assert.Equal("Only roles with the BYPASSRLS attribute may create roles with the BYPASSRLS attribute.", e.Detail);
            Assert.Equal(["BYPASSRLS"], d.Missing.Select(m => m.Name));
            ExplainWorld.Same([$"ALTER ROLE {app} BYPASSRLS;"], d.Broad!.Statements);
            await ProveBroadAsync(w, e, app, sql);
        }
        finally
        {
            await w.Db.Cluster.ExecuteAsync($"DROP ROLE IF EXISTS {made}");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CopyToAServerFileNeedsPgWriteServerFilesWhichIsBroad(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE versions (v text); GRANT SELECT ON versions TO {app}");
        // COPY TO takes only an absolute path; the server (an unprivileged OS user) may write in /tmp.
        var file = $"/tmp/{TestDatabase.UniqueName("out")}.txt";
        var sql = $"COPY versions (v) TO '{file}'";
        var e = await w.FailsAsync(app, sql);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        Assert.Equal("pg_write_server_files", d.Object);
        ExplainWorld.Same([major >= 16 ? $"GRANT pg_write_server_files TO {app} WITH INHERIT TRUE, SET FALSE;" : $"GRANT pg_write_server_files TO {app};"], d.Broad!.Statements);
        try
        {
            await ProveBroadAsync(w, e, app, sql);
            Assert.True(File.Exists(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CopyFromAProgramNeedsPgExecuteServerProgramWhichIsBroad(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE versions (v text); GRANT INSERT ON versions TO {app}");
        const string sql = "COPY versions (v) FROM PROGRAM 'echo 1'";
        var e = await w.FailsAsync(app, sql);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        Assert.Equal("pg_execute_server_program", d.Object);
        ExplainWorld.Same([major >= 16 ? $"GRANT pg_execute_server_program TO {app} WITH INHERIT TRUE, SET FALSE;" : $"GRANT pg_execute_server_program TO {app};"], d.Broad!.Statements);
        await ProveBroadAsync(w, e, app, sql);
    }
}
