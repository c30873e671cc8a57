namespace Pgrant.IntegrationTests.Explain;

/// <summary>"permission denied for table …" on a real server: the statement decides which privilege is missing.</summary>
public sealed class ExplainTableTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SelectWithoutSelect(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync("CREATE TABLE items (id integer, name text)");
        const string sql = "SELECT * FROM items";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for table items", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal("table", d.KindWord);
        Assert.Equal("public.items", d.Object);
        var missing = Assert.Single(d.Missing);
        Assert.Equal(("SELECT", "table", "public.items"), (missing.Name, missing.KindWord, missing.Object));
        ExplainWorld.Same([$"GRANT SELECT ON TABLE public.items TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task InsertReturningNeedsSelect(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE items (id integer, name text); GRANT INSERT ON items TO {app}");
        const string sql = "INSERT INTO items (id, name) VALUES (1, 'one') RETURNING *";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for table items", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        var missing = Assert.Single(d.Missing);
        Assert.Equal(("SELECT", "public.items", "RETURNING * reads every column back"), (missing.Name, missing.Object, missing.Reason));
        ExplainWorld.Same([$"GRANT SELECT ON TABLE public.items TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task UpdateWhereNeedsSelectOnTheColumnsRead(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE items (id integer, name text, price numeric); INSERT INTO items VALUES (1, 'one', 2); GRANT UPDATE ON items TO {app}");
        const string sql = "UPDATE items SET name = 'uno' WHERE id = 1";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for table items", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        var missing = Assert.Single(d.Missing);
        Assert.Equal(("SELECT", "public.items (id)"), (missing.Name, missing.Object));
        // Least privilege: the WHERE clause reads only id.
        ExplainWorld.Same([$"GRANT SELECT (id) ON TABLE public.items TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task MissingColumnPrivilegeIsReportedAsTheTable(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE people (id integer, name text, salary numeric); GRANT SELECT (id, name) ON people TO {app}");
        const string sql = "SELECT id, salary FROM people";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for table people", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        var missing = Assert.Single(d.Missing);
        Assert.Equal(("SELECT", "table", "public.people (salary)"), (missing.Name, missing.KindWord, missing.Object));
        ExplainWorld.Same([$"GRANT SELECT (salary) ON TABLE public.people TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task JoinedTableWithoutSelect(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"""
            CREATE TABLE customers (id integer, name text, email text);
            CREATE TABLE orders (id integer, customer_id integer);
            GRANT SELECT ON orders TO {app};
            """);
        const string sql = "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for table customers", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal("public.customers", d.Object);
        ExplainWorld.Same([$"GRANT SELECT (id, name) ON TABLE public.customers TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    public static TheoryData<int, string> HostileTables()
    {
        var data = new TheoryData<int, string>();
        foreach (var major in TestVersions.Majors)
            foreach (var name in HostileNames.All)
                data.Add(major, name);
        return data;
    }

    [Theory, MemberData(nameof(HostileTables))]
    public async Task HostileTableAndRoleNames(int major, string table)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("ap p\"ü");
        var q = SqlNames.Ident(table);
        await w.SqlAsync($"CREATE TABLE {q} (\"the id\" integer, \"select\" text); GRANT INSERT ON {q} TO {SqlNames.Ident(app)}");
        var sql = $"INSERT INTO {q} (\"the id\", \"select\") VALUES (1, 'x') RETURNING \"the id\"";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal($"permission denied for table {table}", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal($"public.{q}", d.Object);
        ExplainWorld.Same([$"GRANT SELECT (\"the id\") ON TABLE public.{q} TO {SqlNames.Ident(app)};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }
}

/// <summary>Names that break naive SQL writers: quotes, spaces, unicode, a reserved word, 63 bytes.</summary>
internal static class HostileNames
{
    /// <summary>63 bytes of UTF-8 (the server's limit): 30 two-byte letters and three ASCII ones.</summary>
    public static readonly string SixtyThreeBytes = "abc" + new string('é', 30);

    public static readonly IReadOnlyList<string> All =
    [
        "We\"ird Name",
        "select",
        "tàble ünïcødé 表",
        SixtyThreeBytes,
    ];
}
