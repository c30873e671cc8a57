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

/// <summary>ALTER DEFAULT PRIVILEGES FOR ROLE another role, and LOCK TABLE: raised by real servers on every major.</summary>
public sealed class ExplainLockAndDefaultsTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task DefaultPrivilegesForAnotherRoleNeedItsPrivilegesWhichIsBroad(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var migrator = await w.RoleAsync("migrator", "NOLOGIN");
        // The migrator owns what it migrated: membership in it hands that over.
        await w.SqlAsync($"CREATE TABLE orders (id int); ALTER TABLE orders OWNER TO {migrator}");
        var sql = $"ALTER DEFAULT PRIVILEGES FOR ROLE {migrator} GRANT SELECT ON TABLES TO {app}";
        var e = await w.FailsAsync(app, sql);
        await using var session = PgrantSession.Create(NpgsqlDataSource.Create(w.Db.ConnectionString()), ownsDataSource: true);
        var result = await session.ExplainAsync(PermissionErrorParser.Parse(e.MessageText) with { Detail = e.Detail }, app, sql);
        var d = result.Diagnosis;
        Assert.True(d.Broad is not null || !d.Fix.IsEmpty, $"{e.MessageText} / {e.Detail}: {d.Cause}");
        Assert.True(result.Gate == ApplyGate.BroadOnly, DiagnosisReport.Text(result.Error, d, h => h.ToString()));
        await session.ApplyFixAsync(result, allowBroad: true);
        await w.SucceedsAsync(app, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task LockTableNeedsWhatItsModeAcceptsOnTheMajor(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var modes = new[] { ("ACCESS SHARE", "SELECT"), ("ROW SHARE", major >= 17 ? "MAINTAIN" : major == 16 ? "INSERT" : "UPDATE"),
            ("ROW EXCLUSIVE", "INSERT"), ("SHARE ROW EXCLUSIVE", major >= 17 ? "MAINTAIN" : "UPDATE"), ("ACCESS EXCLUSIVE", major >= 17 ? "MAINTAIN" : "UPDATE") };
        foreach (var (mode, least) in modes)
        {
            var app = await w.RoleAsync(mode.Replace(' ', '_').ToLowerInvariant());
            var table = $"\"jobs {mode.ToLowerInvariant()}\"";
            await w.SqlAsync($"CREATE TABLE {table} (id int)");
            var sql = $"LOCK TABLE {table} IN {mode} MODE NOWAIT";
            var block = "BEGIN; " + sql + "; COMMIT";
            var e = await w.FailsAsync(app, block);
            Assert.Equal($"permission denied for table jobs {mode.ToLowerInvariant()}", e.MessageText);
            await using var session = PgrantSession.Create(NpgsqlDataSource.Create(w.Db.ConnectionString()), ownsDataSource: true);
            var result = await session.ExplainAsync(PermissionErrorParser.Parse(e.MessageText), app, sql);
            var d = result.Diagnosis;
            ExplainWorld.Same([$"GRANT {least} ON TABLE public.{table} TO {app};"], d.Fix);
            Assert.Equal(VerificationStatus.Verified, d.Verification?.Status);
            Assert.Contains(d.Verification!.Checked, c => c.StartsWith($"LOCK {table} IN {mode} MODE: has_table_privilege", StringComparison.Ordinal));
            await session.ApplyFixAsync(result);
            await w.SucceedsAsync(app, block);
        }
    }
}
