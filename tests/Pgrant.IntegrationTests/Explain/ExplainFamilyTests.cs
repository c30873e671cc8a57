using Pgrant.Core.Diagnosis;
using Pgrant.Postgres;

namespace Pgrant.IntegrationTests.Explain;

/// <summary>
/// Every family of permission error, raised by a real server as an unprivileged role on each major: the
/// diagnosis, and where a fix exists the proof that it makes the statement pass; a broad fix is refused
/// without allowBroad (nothing changes) and, applied with it, makes the statement pass. Where a family does
/// not exist on a major, the test data says what that major does instead (superuser only).
/// </summary>
public sealed partial class ExplainFamilyTests
{
    private static PgrantSession Session(ExplainWorld w) =>
        PgrantSession.Create(NpgsqlDataSource.Create(w.Db.ConnectionString()), ownsDataSource: true);

    /// <summary>The server's error with its DETAIL and HINT, as a paste from psql would carry them.</summary>
    private static PermissionError Error(PostgresException e) =>
        PermissionErrorParser.Parse(e.MessageText) with { Detail = e.Detail, Hint = e.Hint };

    private static async Task<ExplainResult> ExplainAsync(ExplainWorld w, PostgresException e, string role, string? statement)
    {
        await using var session = Session(w);
        return await session.ExplainAsync(Error(e), role, statement);
    }

    /// <summary>A least-privilege fix: applied, the statement passes, and a second diagnosis says it is allowed.</summary>
    private static async Task ProveAsync(ExplainWorld w, PostgresException e, string role, string sql, string? preamble = null)
    {
        await using var session = Session(w);
        var result = await session.ExplainAsync(Error(e), role, sql);
        Assert.Equal(ApplyGate.Allowed, result.Gate);
        Assert.Null(result.Diagnosis.Broad);
        await session.ApplyFixAsync(result);
        await w.SucceedsAsync(role, sql, preamble);
        var again = await session.ExplainAsync(Error(e), role, sql);
        Assert.True(again.Diagnosis.AlreadyAllowed, again.Diagnosis.Cause);
    }

    /// <summary>A broad fix: refused without allowBroad (the statement still fails), applied with it (the statement passes).</summary>
    private static async Task ProveBroadAsync(ExplainWorld w, PostgresException e, string role, string sql, string? preamble = null)
    {
        await using var session = Session(w);
        var result = await session.ExplainAsync(Error(e), role, sql);
        Assert.Equal(ApplyGate.BroadOnly, result.Gate);
        Assert.Empty(result.Diagnosis.Fix);
        var refused = await Assert.ThrowsAsync<PgrantException>(() => session.ApplyFixAsync(result));
        Assert.StartsWith("the only fix is broad, so it was not applied: ", refused.Message);
        await w.FailsAsync(role, sql, preamble);
        await session.ApplyFixAsync(result, allowBroad: true);
        await w.SucceedsAsync(role, sql, preamble);
    }

    // ---- owner-only commands -------------------------------------------------------------------------------

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CreateIndexOnAnotherRolesTableOffersMembershipOnlyAsBroad(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var migrator = await w.RoleAsync("mi\"grator ü", "NOLOGIN");
        var m = SqlNames.Ident(migrator);
        await w.SqlAsync($"CREATE TABLE orders (id integer); CREATE TABLE items (id integer); ALTER TABLE orders OWNER TO {m}; ALTER TABLE items OWNER TO {m}; GRANT ALL ON orders TO {SqlNames.Ident(app)}");
        const string sql = "CREATE INDEX ON orders (id)";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("must be owner of table orders", e.MessageText);

        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        Assert.Empty(d.Fix);
        Assert.Equal("run CREATE INDEX on table public.orders, which only its owner may do", d.Attempted);
        var broad = Assert.IsType<BroadFix>(d.Broad);
        // CREATE INDEX also checks CREATE on the schema as the running role: granted too where the role lacks it.
        var needsCreate = !(bool)(await w.ScalarAsync($"SELECT has_schema_privilege({SqlNames.Literal(app)}, 'public', 'CREATE')"))!;
        ExplainWorld.Same(
        [
            .. needsCreate ? [$"GRANT CREATE ON SCHEMA public TO {SqlNames.Ident(app)};"] : Array.Empty<string>(),
            major >= 16 ? $"GRANT {m} TO {SqlNames.Ident(app)} WITH INHERIT TRUE, SET FALSE;" : $"GRANT {m} TO {SqlNames.Ident(app)};",
        ], broad.Statements);
        // pg_shdepend: the two tables it owns, described by the server.
        var expected = $"membership in {migrator} hands {app} owner rights (ALTER, DROP, GRANT, TRUNCATE … on everything it owns) over 2 objects: table public.orders, table public.items";
        Assert.True(broad.HandsOver.StartsWith(expected, StringComparison.Ordinal), broad.HandsOver);
        await ProveBroadAsync(w, e, app, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task AlterTableOnAnotherRolesTable(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var migrator = await w.RoleAsync("migrator", "NOLOGIN");
        await w.SqlAsync($"CREATE TABLE items (id integer); ALTER TABLE items OWNER TO {migrator}");
        const string sql = "ALTER TABLE items ADD COLUMN note text";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("must be owner of table items", e.MessageText);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        Assert.Equal("run ALTER on table public.items, which only its owner may do", d.Attempted);
        Assert.Contains(d.Notes, n => n.Text.StartsWith($"Run ALTER as the owner: connect as {migrator}", StringComparison.Ordinal));
        await ProveBroadAsync(w, e, app, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task RefreshMaterializedViewIsMaintainFrom17AndADefinerFunctionBefore(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var migrator = await w.RoleAsync("migrator", "NOLOGIN");
        await w.SqlAsync($"CREATE MATERIALIZED VIEW \"daily totals\" AS SELECT 1 AS n; ALTER MATERIALIZED VIEW \"daily totals\" OWNER TO {migrator}; GRANT SELECT ON \"daily totals\" TO {app}");
        const string sql = "REFRESH MATERIALIZED VIEW \"daily totals\"";
        var e = await w.FailsAsync(app, sql);
        if (major >= 17)
        {
            // 17 checks MAINTAIN, so the server words it as a missing privilege.
            Assert.Equal("permission denied for materialized view daily totals", e.MessageText);
            var d17 = (await ExplainAsync(w, e, app, sql)).Diagnosis;
            ExplainWorld.Same([$"GRANT MAINTAIN ON TABLE public.\"daily totals\" TO {app};"], d17.Fix);
            await ProveAsync(w, e, app, sql);
            return;
        }
        Assert.Equal("must be owner of materialized view daily totals", e.MessageText);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        Assert.Empty(d.Fix);
        Assert.NotNull(d.Broad);
        var option = Assert.Single(d.Alternatives);
        // The option is not applied by --apply; set up by hand, it lets app refresh through the function and nothing else.
        await w.ApplyAsync(option.Statements);
        await w.SucceedsAsync(app, "SELECT public.\"refresh_daily totals\"()");
        await w.FailsAsync(app, sql);
        var other = await w.RoleAsync("other");
        await w.FailsAsync(other, "SELECT public.\"refresh_daily totals\"()");   // EXECUTE was taken from PUBLIC
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task VacuumSkippingATableIsDiagnosedFromItsWarning(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var migrator = await w.RoleAsync("migrator", "NOLOGIN");
        await w.SqlAsync($"CREATE TABLE items (id integer); ALTER TABLE items OWNER TO {migrator}");
        const string sql = "VACUUM items";
        var warning = await WarningAsync(w, app, sql);
        Assert.Equal(major >= 16 ? "permission denied to vacuum \"items\", skipping it" : "skipping \"items\" --- only table or database owner can vacuum it", warning);
        await using var session = Session(w);
        var result = await session.ExplainAsync(PermissionErrorParser.Parse(warning!), app, sql);
        Assert.Equal(PermissionErrorKind.Maintenance, result.Error.Kind);
        if (major >= 17)
        {
            ExplainWorld.Same([$"GRANT MAINTAIN ON TABLE public.items TO {app};"], result.Diagnosis.Fix);
            await session.ApplyFixAsync(result);
            Assert.Null(await WarningAsync(w, app, sql));
            return;
        }
        Assert.Empty(result.Diagnosis.Fix);
        await Assert.ThrowsAsync<PgrantException>(() => session.ApplyFixAsync(result));
        Assert.NotNull(await WarningAsync(w, app, sql));
        await session.ApplyFixAsync(result, allowBroad: true);
        Assert.Null(await WarningAsync(w, app, sql));
    }

    /// <summary>The first WARNING the statement raises as the role (VACUUM skips rather than fails), or null.</summary>
    private static async Task<string?> WarningAsync(ExplainWorld w, string role, string sql)
    {
        await using var conn = await w.OpenAsAsync(role);
        string? warning = null;
        conn.Notice += (_, n) => warning ??= n.Notice.InvariantSeverity == "WARNING" ? n.Notice.MessageText : null;
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
        return warning;
    }

    // ---- SET ROLE -----------------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SetRoleToTheOwnerSaysWhatTheMembershipCarries(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var migrator = await w.RoleAsync("migrator", "NOLOGIN CREATEDB");
        await w.SqlAsync($"CREATE TABLE orders (id integer); ALTER TABLE orders OWNER TO {migrator}");
        var sql = $"SET ROLE {migrator}";
        var e = await w.FailsAsync(app, sql);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        Assert.Empty(d.Fix);
        var broad = Assert.IsType<BroadFix>(d.Broad);
        ExplainWorld.Same([major >= 16 ? $"GRANT {migrator} TO {app} WITH INHERIT FALSE, SET TRUE;" : $"GRANT {migrator} TO {app};"], broad.Statements);
        Assert.True(broad.HandsOver.Contains("over 1 object: table public.orders", StringComparison.Ordinal), broad.HandsOver);
        Assert.Contains("its attributes CREATEDB after SET ROLE", broad.HandsOver);
        Assert.Contains(major >= 16
            ? $"with INHERIT FALSE the grant carries only the right to SET ROLE {migrator}"
            : $"On 13–15 a membership always carries inheritance unless the member is NOINHERIT ({app} is INHERIT)", broad.HandsOver);
        await ProveBroadAsync(w, e, app, sql);
    }

    // ---- role attributes -------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CreateDatabaseNeedsCreatedb(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var name = TestDatabase.UniqueName("made");
        var sql = $"CREATE DATABASE {name}";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied to create database", e.MessageText);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        ExplainWorld.Same([$"ALTER ROLE {app} CREATEDB;"], d.Fix);
        Assert.Equal(["CREATEDB"], d.Missing.Select(m => m.Name));
        try
        {
            await ProveAsync(w, e, app, sql);
        }
        finally
        {
            await w.Db.Cluster.ExecuteAsync($"DROP DATABASE IF EXISTS {name}");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CreateRoleNeedsCreateroleWhichIsBroadBefore16(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var made = TestDatabase.UniqueName("made");
        var sql = $"CREATE ROLE {made}";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied to create role", e.MessageText);
        if (major >= 16) Assert.Equal("Only roles with the CREATEROLE attribute may create roles.", e.Detail);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        try
        {
            if (major >= 16)
            {
                ExplainWorld.Same([$"ALTER ROLE {app} CREATEROLE;"], d.Fix);
                await ProveAsync(w, e, app, sql);
            }
            else
            {
                ExplainWorld.Same([$"ALTER ROLE {app} CREATEROLE;"], d.Broad!.Statements);
                Assert.Contains("close to superuser", d.Broad.HandsOver);
                await ProveBroadAsync(w, e, app, sql);
            }
        }
        finally
        {
            await w.Db.Cluster.ExecuteAsync($"DROP ROLE IF EXISTS {made}");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task AlterRoleFrom16NeedsTheAdminOptionNotOnlyCreaterole(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app", "LOGIN CREATEROLE");
        var worker = await w.RoleAsync("worker");
        var sql = $"ALTER ROLE {worker} CONNECTION LIMIT 5";
        if (major < 16)
        {
            // Before 16 CREATEROLE reaches every non-superuser role: nothing to diagnose.
            await w.SucceedsAsync(app, sql);
            return;
        }
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied to alter role", e.MessageText);
        Assert.Equal($"Only roles with the CREATEROLE attribute and the ADMIN option on role \"{worker}\" may alter this role.", e.Detail);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        ExplainWorld.Same([$"GRANT {worker} TO {app} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;"], d.Fix);
        Assert.Equal(["ADMIN OPTION"], d.Missing.Select(m => m.Name));
        await ProveAsync(w, e, app, sql);
    }

    // ---- predefined roles -------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CopyFromAServerFileNeedsPgReadServerFilesWhichIsBroad(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE versions (v text); GRANT INSERT ON versions TO {app}");
        // A relative path is read from the data directory: PG_VERSION is there on every major.
        const string sql = "COPY versions (v) FROM 'PG_VERSION'";
        var e = await w.FailsAsync(app, sql);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        Assert.Equal("pg_read_server_files", d.Object);
        ExplainWorld.Same([major >= 16 ? $"GRANT pg_read_server_files TO {app} WITH INHERIT TRUE, SET FALSE;" : $"GRANT pg_read_server_files TO {app};"], d.Broad!.Statements);
        Assert.Contains(d.Notes, n => n.Text.StartsWith("Load or unload through the client instead", StringComparison.Ordinal));
        await ProveBroadAsync(w, e, app, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SignallingAnotherRolesSessionNeedsPgSignalBackend(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var other = await w.RoleAsync("other");
        await using var otherSession = await w.OpenAsAsync(other);
        int pid;
        await using (var cmd = new NpgsqlCommand("SELECT pg_backend_pid()", otherSession)) pid = (int)(await cmd.ExecuteScalarAsync())!;
        foreach (var sql in new[] { $"SELECT pg_cancel_backend({pid})", $"SELECT pg_terminate_backend({pid})" })
        {
            var e = await w.FailsAsync(app, sql);
            var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
            Assert.Equal("pg_signal_backend", d.Object);
            ExplainWorld.Same([major >= 16 ? $"GRANT pg_signal_backend TO {app} WITH INHERIT TRUE, SET FALSE;" : $"GRANT pg_signal_backend TO {app};"], d.Fix);
        }
        var cancel = await w.FailsAsync(app, $"SELECT pg_cancel_backend({pid})");
        await ProveAsync(w, cancel, app, $"SELECT pg_cancel_backend({pid})");
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CheckpointIsPgCheckpointFrom15AndSuperuserOnlyBefore(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var e = await w.FailsAsync(app, "CHECKPOINT");
        var d = (await ExplainAsync(w, e, app, "CHECKPOINT")).Diagnosis;
        if (major < 15)
        {
            Assert.Equal("must be superuser to do CHECKPOINT", e.MessageText);
            Assert.True(d.SuperuserOnly);
            Assert.Empty(d.Fix);
            Assert.Null(d.Broad);
            return;
        }
        ExplainWorld.Same([major >= 16 ? $"GRANT pg_checkpoint TO {app} WITH INHERIT TRUE, SET FALSE;" : $"GRANT pg_checkpoint TO {app};"], d.Fix);
        await ProveAsync(w, e, app, "CHECKPOINT");
    }

    // ---- parameters ------------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SettingASuperuserParameterIsGrantSetOnParameterFrom15(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        const string sql = "SET log_statement = 'all'";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied to set parameter \"log_statement\"", e.MessageText);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        if (major < 15)
        {
            Assert.True(d.SuperuserOnly);
            Assert.Empty(d.Fix);
            return;
        }
        ExplainWorld.Same([$"GRANT SET ON PARAMETER log_statement TO {app};"], d.Fix);
        try
        {
            await ProveAsync(w, e, app, sql);
        }
        finally
        {
            // Parameter grants are cluster-wide: take it back so the role can be dropped.
            await w.SqlAsync($"REVOKE SET ON PARAMETER log_statement FROM {app}");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task AlterSystemIsGrantAlterSystemOnParameterFrom15(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        // work_mem's value is unchanged: ALTER SYSTEM writes the same setting the server already has by default.
        const string sql = "ALTER SYSTEM SET work_mem = '4MB'";
        var e = await w.FailsAsync(app, sql);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        if (major < 15)
        {
            Assert.True(d.SuperuserOnly);
            return;
        }
        ExplainWorld.Same([$"GRANT ALTER SYSTEM ON PARAMETER work_mem TO {app};"], d.Fix);
        try
        {
            await ProveAsync(w, e, app, sql);
        }
        finally
        {
            await w.SqlAsync($"ALTER SYSTEM RESET work_mem; REVOKE ALTER SYSTEM ON PARAMETER work_mem FROM {app}");
        }
    }

    // ---- extensions -------------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ATrustedExtensionNeedsCreateOnTheDatabaseAnUntrustedOneASuperuser(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        const string untrusted = "CREATE EXTENSION file_fdw";
        var u = await w.FailsAsync(app, untrusted);
        Assert.Equal("permission denied to create extension \"file_fdw\"", u.MessageText);
        Assert.Equal("Must be superuser to create this extension.", u.Hint);
        var du = (await ExplainAsync(w, u, app, untrusted)).Diagnosis;
        Assert.True(du.SuperuserOnly);
        Assert.Empty(du.Fix);

        const string sql = "CREATE EXTENSION hstore";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("Must have CREATE privilege on current database to create this extension.", e.Hint);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        ExplainWorld.Same([$"GRANT CREATE ON DATABASE {w.Db.Name} TO {app};"], d.Fix);
        await ProveAsync(w, e, app, sql);
    }

    // ---- role administration and other roles' objects ----------------------------------------------------------

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task GrantingARoleNeedsTheAdminOption(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var team = await w.RoleAsync("team", "NOLOGIN");
        var someone = await w.RoleAsync("someone");
        var sql = $"GRANT {team} TO {someone}";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal(major >= 16 ? $"permission denied to grant role \"{team}\"" : $"must have admin option on role \"{team}\"", e.MessageText);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        ExplainWorld.Same([major >= 16 ? $"GRANT {team} TO {app} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;" : $"GRANT {team} TO {app} WITH ADMIN OPTION;"], d.Fix);
        await ProveAsync(w, e, app, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task DropOwnedByAnotherRoleNeedsItsPrivileges(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var migrator = await w.RoleAsync("migrator", "NOLOGIN");
        await w.SqlAsync($"CREATE TABLE items (id integer); ALTER TABLE items OWNER TO {migrator}");
        var sql = $"REASSIGN OWNED BY {migrator} TO {app}";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied to reassign objects", e.MessageText);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        Assert.Equal(migrator, d.Object);
        ExplainWorld.Same([major >= 16 ? $"GRANT {migrator} TO {app} WITH INHERIT TRUE, SET FALSE;" : $"GRANT {migrator} TO {app};"], d.Broad!.Statements);
        await ProveBroadAsync(w, e, app, sql);
    }

    // ---- object privileges a command decides ------------------------------------------------------------------

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CreateTriggerNeedsTrigger(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"""
            CREATE TABLE items (id integer); GRANT SELECT ON items TO {app};
            CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
            """);
        const string sql = "CREATE TRIGGER items_stamp BEFORE INSERT ON items FOR EACH ROW EXECUTE FUNCTION stamp()";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for table items", e.MessageText);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        ExplainWorld.Same([$"GRANT TRIGGER ON TABLE public.items TO {app};"], d.Fix);
        await ProveAsync(w, e, app, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CreateTableInASchemaWithoutCreate(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE SCHEMA \"work space\"; GRANT USAGE ON SCHEMA \"work space\" TO {app}");
        const string sql = "CREATE TABLE \"work space\".notes (id integer)";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for schema work space", e.MessageText);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        ExplainWorld.Same([$"GRANT CREATE ON SCHEMA \"work space\" TO {app};"], d.Fix);
        await ProveAsync(w, e, app, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task LargeObjectsNeedSelectToReadAndUpdateToWrite(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var oid = (uint)(await w.ScalarAsync("SELECT lo_from_bytea(0, 'hello')"))!;
        var read = $"SELECT lo_get({oid})";
        var e = await w.FailsAsync(app, read);
        Assert.Equal($"permission denied for large object {oid}", e.MessageText);
        var d = (await ExplainAsync(w, e, app, read)).Diagnosis;
        ExplainWorld.Same([$"GRANT SELECT ON LARGE OBJECT {oid} TO {app};"], d.Fix);
        await ProveAsync(w, e, app, read);

        var write = $"SELECT lo_put({oid}, 0, 'j')";
        var we = await w.FailsAsync(app, write);
        var dw = (await ExplainAsync(w, we, app, write)).Diagnosis;
        ExplainWorld.Same([$"GRANT UPDATE ON LARGE OBJECT {oid} TO {app};"], dw.Fix);
        await ProveAsync(w, we, app, write);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ForeignDataWrapperAndServerNeedUsage(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        // A wrapper without handler is enough for the privilege checks (and needs no contrib module).
        var wrapper = TestDatabase.UniqueName("wrap");
        await w.SqlAsync($"CREATE FOREIGN DATA WRAPPER {wrapper}; CREATE SERVER \"far away\" FOREIGN DATA WRAPPER {wrapper}");
        try
        {
            var create = $"CREATE SERVER mine FOREIGN DATA WRAPPER {wrapper}";
            var e = await w.FailsAsync(app, create);
            Assert.Equal($"permission denied for foreign-data wrapper {wrapper}", e.MessageText);
            var d = (await ExplainAsync(w, e, app, create)).Diagnosis;
            ExplainWorld.Same([$"GRANT USAGE ON FOREIGN DATA WRAPPER {wrapper} TO {app};"], d.Fix);
            await ProveAsync(w, e, app, create);

            var mapping = $"CREATE USER MAPPING FOR {app} SERVER \"far away\"";
            var se = await w.FailsAsync(app, mapping);
            Assert.Equal("permission denied for foreign server far away", se.MessageText);
            var ds = (await ExplainAsync(w, se, app, mapping)).Diagnosis;
            ExplainWorld.Same([$"GRANT USAGE ON FOREIGN SERVER \"far away\" TO {app};"], ds.Fix);
            await ProveAsync(w, se, app, mapping);
        }
        finally
        {
            // Wrappers are per database, but the role's grants and server on it must go before the role.
            await w.SqlAsync($"DROP FOREIGN DATA WRAPPER {wrapper} CASCADE");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CreateSubscriptionIsPgCreateSubscriptionFrom16AndSuperuserOnlyBefore(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var name = TestDatabase.UniqueName("sub");
        // connect = false: nothing is contacted; a non-superuser must still name a password.
        var sql = $"CREATE SUBSCRIPTION {name} CONNECTION 'dbname=nowhere password=unused' PUBLICATION p WITH (connect = false)";
        var e = await w.FailsAsync(app, sql);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        if (major < 16)
        {
            Assert.Equal("must be superuser to create subscriptions", e.MessageText);
            Assert.True(d.SuperuserOnly);
            Assert.Contains(d.Notes, n => n.Text.StartsWith("From PostgreSQL 16, membership in pg_create_subscription", StringComparison.Ordinal));
            return;
        }
        Assert.Equal("permission denied to create subscription", e.MessageText);
        ExplainWorld.Same([$"GRANT pg_create_subscription TO {app} WITH INHERIT TRUE, SET FALSE;", $"GRANT CREATE ON DATABASE {w.Db.Name} TO {app};"], d.Fix);
        try
        {
            await ProveAsync(w, e, app, sql);
        }
        finally
        {
            await w.SqlAsync($"ALTER SUBSCRIPTION {name} SET (slot_name = NONE); DROP SUBSCRIPTION IF EXISTS {name}");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ExaminingASuperuserOnlySettingNeedsPgReadAllSettings(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        const string sql = "SHOW data_directory";
        var e = await w.FailsAsync(app, sql);
        var d = (await ExplainAsync(w, e, app, sql)).Diagnosis;
        Assert.Equal("pg_read_all_settings", d.Object);
        ExplainWorld.Same([major >= 16 ? $"GRANT pg_read_all_settings TO {app} WITH INHERIT TRUE, SET FALSE;" : $"GRANT pg_read_all_settings TO {app};"], d.Fix);
        await ProveAsync(w, e, app, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task EventTriggersAreSuperuserOnly(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE FUNCTION note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS 'BEGIN END'");
        const string sql = "CREATE EVENT TRIGGER audit ON ddl_command_end EXECUTE FUNCTION note_ddl()";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied to create event trigger \"audit\"", e.MessageText);
        var result = await ExplainAsync(w, e, app, sql);
        Assert.True(result.Diagnosis.SuperuserOnly);
        Assert.Empty(result.Diagnosis.Fix);
        Assert.Null(result.Diagnosis.Broad);
        Assert.Equal(ApplyGate.NothingToApply, result.Gate);
        Assert.Contains(result.Diagnosis.Notes, n => n.Text.StartsWith("Event triggers are created and owned by superusers only", StringComparison.Ordinal));
    }
}
