namespace Pgrant.IntegrationTests.Explain;

/// <summary>Schemas, databases (CONNECT, TEMPORARY, CREATE), functions and procedures.</summary>
public sealed class ExplainObjectTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SchemaUsage(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE SCHEMA inventory; CREATE TABLE inventory.items (id integer); GRANT SELECT ON inventory.items TO {app}");
        const string sql = "SELECT * FROM inventory.items";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for schema inventory", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("schema", "inventory"), (d.KindWord, d.Object));
        ExplainWorld.Same([$"GRANT USAGE ON SCHEMA inventory TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SchemaCreate(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE SCHEMA inventory; GRANT USAGE ON SCHEMA inventory TO {app}");
        const string sql = "CREATE TABLE inventory.mine (id integer)";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for schema inventory", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        ExplainWorld.Same([$"GRANT CREATE ON SCHEMA inventory TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task DatabaseConnectIsFatal(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"REVOKE CONNECT ON DATABASE {w.Db.Name} FROM PUBLIC");
        var e = await Assert.ThrowsAsync<PostgresException>(async () => await (await w.OpenAsAsync(app)).DisposeAsync());
        Assert.Equal((PostgresErrorCodes.InsufficientPrivilege, "FATAL"), (e.SqlState, e.Severity));
        Assert.Equal($"permission denied for database \"{w.Db.Name}\"", e.MessageText);
        Assert.Equal("User does not have CONNECT privilege.", e.Detail);

        var d = await w.ExplainAsync($"FATAL:  {e.MessageText}\nDETAIL:  {e.Detail}", app);
        Assert.Equal(("database", w.Db.Name), (d.KindWord, d.Object));
        ExplainWorld.Same([$"GRANT CONNECT ON DATABASE {w.Db.Name} TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, "SELECT 1");
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task TemporaryTables(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"REVOKE TEMPORARY ON DATABASE {w.Db.Name} FROM PUBLIC");
        const string sql = "CREATE TEMPORARY TABLE scratch (id integer)";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal($"permission denied to create temporary tables in database \"{w.Db.Name}\"", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        ExplainWorld.Same([$"GRANT TEMPORARY ON DATABASE {w.Db.Name} TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task DatabaseCreate(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        const string sql = "CREATE SCHEMA mine";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal($"permission denied for database {w.Db.Name}", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        ExplainWorld.Same([$"GRANT CREATE ON DATABASE {w.Db.Name} TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task FunctionExecute(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync("CREATE FUNCTION add_tax(amount numeric, rate numeric DEFAULT 0.2) RETURNS numeric LANGUAGE sql AS 'SELECT amount * (1 + rate)'; " +
                         "REVOKE EXECUTE ON FUNCTION add_tax(numeric, numeric) FROM PUBLIC");
        const string sql = "SELECT add_tax(10)";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for function add_tax", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("function", "public.add_tax(amount numeric, rate numeric)"), (d.KindWord, d.Object));
        ExplainWorld.Same([$"GRANT EXECUTE ON FUNCTION public.add_tax(amount numeric, rate numeric) TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ProcedureExecute(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync("CREATE PROCEDURE archive_all() LANGUAGE sql AS 'SELECT 1'; REVOKE EXECUTE ON PROCEDURE archive_all() FROM PUBLIC");
        const string sql = "CALL archive_all()";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for procedure archive_all", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("procedure", "public.archive_all()"), (d.KindWord, d.Object));
        ExplainWorld.Same([$"GRANT EXECUTE ON PROCEDURE public.archive_all() TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }
}
