namespace Pgrant.IntegrationTests.Explain;

/// <summary>Views (the user's own privilege, and base tables checked as the view owner), materialized views, foreign tables.</summary>
public sealed class ExplainRelationKindTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ViewWithoutSelect(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync("CREATE TABLE orders (id integer, total numeric); CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100");
        const string sql = "SELECT id FROM big_orders";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for view big_orders", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("view", "public.big_orders"), (d.KindWord, d.Object));
        var missing = Assert.Single(d.Missing);
        Assert.Equal(("SELECT", "view", "public.big_orders (id)"), (missing.Name, missing.KindWord, missing.Object));
        ExplainWorld.Same([$"GRANT SELECT (id) ON TABLE public.big_orders TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task BaseTableIsCheckedAsTheViewOwner(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var owner = await w.RoleAsync("owner", "NOLOGIN");
        await w.SqlAsync($"""
            CREATE TABLE orders (id integer, total numeric);
            CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
            ALTER VIEW big_orders OWNER TO {owner};
            GRANT SELECT ON big_orders TO {app};
            """);
        // The view's own WHERE reads total: a grant on the selected column alone would fall short.
        const string sql = "SELECT id FROM big_orders";
        var e = await w.FailsAsync(app, sql);
        // The server names the base table, not the view the user queried.
        Assert.Equal("permission denied for table orders", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("table", "public.orders", owner), (d.KindWord, d.Object, d.Role));
        var missing = Assert.Single(d.Missing);
        Assert.Equal(("SELECT", "public.orders"), (missing.Name, missing.Object));
        ExplainWorld.Same([$"GRANT SELECT ON TABLE public.orders TO {owner};"], d.Fix);
        Assert.Contains($"public.big_orders is a view: its base tables are checked with the privileges of its owner {owner}, not {app}.", d.Notes.Select(n => n.Text));
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql, checkedRole: app);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ThroughAViewTheOwnerNeedsMoreThanTheSelectedColumns(int major)
    {
        // Why the explainer grants the view owner the whole base table: the server checks every
        // column the view's definition reads (here total, in its WHERE), not just the ones selected.
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var owner = await w.RoleAsync("owner", "NOLOGIN");
        await w.SqlAsync($"""
            CREATE TABLE orders (id integer, total numeric);
            CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
            ALTER VIEW big_orders OWNER TO {owner};
            GRANT SELECT ON big_orders TO {app};
            GRANT SELECT (id) ON orders TO {owner};
            """);
        var e = await w.FailsAsync(app, "SELECT id FROM big_orders");
        Assert.Equal("permission denied for table orders", e.MessageText);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task MaterializedView(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync("CREATE MATERIALIZED VIEW totals AS SELECT 1 AS n, 'x'::text AS label");
        const string sql = "SELECT n, label FROM totals";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for materialized view totals", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("materialized view", "public.totals"), (d.KindWord, d.Object));
        ExplainWorld.Same([$"GRANT SELECT ON TABLE public.totals TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ForeignTableWithoutAHandlerFailsInThePlannerFirst(int major)
    {
        // A wrapper without a handler is enough to create a foreign table, but the planner asks the
        // wrapper for its routines before the executor checks privileges: no 42501 arises.
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync("CREATE FOREIGN DATA WRAPPER nohandler; CREATE SERVER nowhere FOREIGN DATA WRAPPER nohandler; CREATE FOREIGN TABLE remote (a integer) SERVER nowhere");
        await using var conn = await w.OpenAsAsync(app);
        await using var cmd = new NpgsqlCommand("SELECT a FROM remote", conn);
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Equal((PostgresErrorCodes.ObjectNotInPrerequisiteState, "foreign-data wrapper \"nohandler\" has no handler"), (e.SqlState, e.MessageText));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ForeignTable(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync("""
            CREATE EXTENSION file_fdw;
            CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
            CREATE FOREIGN TABLE remote_things (a integer, b text) SERVER files OPTIONS (filename '/dev/null');
            """);
        const string sql = "SELECT a FROM remote_things";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for foreign table remote_things", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("foreign table", "public.remote_things"), (d.KindWord, d.Object));
        ExplainWorld.Same([$"GRANT SELECT (a) ON TABLE public.remote_things TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ForeignTableColumnPrivilegeIsReportedAsTheForeignTable(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"""
            CREATE EXTENSION file_fdw;
            CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
            CREATE FOREIGN TABLE remote_things (a integer, b text) SERVER files OPTIONS (filename '/dev/null');
            GRANT SELECT (a) ON remote_things TO {app};
            """);
        const string sql = "SELECT a, b FROM remote_things";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for foreign table remote_things", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        ExplainWorld.Same([$"GRANT SELECT (b) ON TABLE public.remote_things TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }
}
