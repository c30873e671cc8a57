namespace Pgrant.IntegrationTests.Explain;

/// <summary>Messages print unqualified names: resolve them through the role's search_path, or list the candidates.</summary>
public sealed class ExplainResolutionTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task UnqualifiedNameResolvesThroughTheRolesSearchPath(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        // Two tables named items; the app's own search_path (not the reader's) picks sales.items.
        await w.SqlAsync($"""
            CREATE SCHEMA archive; CREATE SCHEMA sales;
            CREATE TABLE archive.items (id integer); CREATE TABLE sales.items (id integer);
            GRANT USAGE ON SCHEMA archive, sales TO {app};
            GRANT SELECT ON archive.items TO {app};
            ALTER ROLE {app} IN DATABASE {w.Db.Name} SET search_path = sales, archive;
            """);
        const string sql = "SELECT id FROM items";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for table items", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal("sales.items", d.Object);
        ExplainWorld.Same([$"GRANT SELECT ON TABLE sales.items TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task AmbiguousNameListsTheCandidates(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"""
            CREATE SCHEMA archive; CREATE SCHEMA sales;
            CREATE TABLE archive.items (id integer); CREATE TABLE sales.items (id integer);
            GRANT USAGE ON SCHEMA archive, sales TO {app};
            """);
        const string sql = "SELECT id FROM sales.items";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for table items", e.MessageText);

        // Without the statement, neither schema is on anyone's search_path: say so, list both.
        var d = await w.ExplainAsync(e.MessageText, app);
        Assert.True(d.Unresolved);
        Assert.Empty(d.Fix);
        Assert.Equal(["archive.items", "sales.items"], d.Candidates.Order(StringComparer.Ordinal));
        Assert.Equal($"items is ambiguous: several table objects have that name and none is on the search_path of {app}; pass the schema-qualified name.", d.Cause);

        // With the statement, its schema-qualified target settles it.
        var exact = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal("sales.items", exact.Object);
        ExplainWorld.Same([$"GRANT SELECT ON TABLE sales.items TO {app};"], exact.Fix);
        await w.ProveFixAsync(exact, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task AlreadyAllowedWhenAnotherRoleHitTheError(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var reporting = await w.RoleAsync("reporting");
        await w.SqlAsync($"CREATE TABLE items (id serial, name text); GRANT INSERT ON items TO {app}, {reporting}; GRANT USAGE ON SEQUENCE items_id_seq TO {reporting}");
        const string sql = "INSERT INTO items (name) VALUES ('x')";
        var e = await w.FailsAsync(app, sql);
        await w.SucceedsAsync(reporting, sql);

        var d = await w.ExplainAsync(e.MessageText, reporting, sql);
        Assert.True(d.AlreadyAllowed);
        Assert.Empty(d.Fix);
        Assert.Empty(d.Missing);
        Assert.StartsWith($"{reporting} can nextval() on public.items_id_seq now (", d.Cause);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SnapshotReadAsTheAppRoleItself(int major)
    {
        // `pgrant explain` run by the app with its own login: role defaults to the connected user.
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE items (id serial, name text); GRANT INSERT ON items TO {app}");
        const string sql = "INSERT INTO items (name) VALUES ('x')";
        var e = await w.FailsAsync(app, sql);
        var d = await w.ExplainAsync(e.MessageText, app, sql, readAs: app);
        ExplainWorld.Same([$"GRANT USAGE ON SEQUENCE public.items_id_seq TO {app};"], d.Fix);
        Assert.DoesNotContain(d.CanFix, f => f.Name == app);
    }
}
