namespace Pgrant.IntegrationTests.Explain;

/// <summary>Ownership and role membership: "must be owner of …", SET ROLE, and ALTER … OWNER TO.</summary>
public sealed class ExplainRoleTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task MustBeOwnerOfTable(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var migrator = await w.RoleAsync("migrator", "NOLOGIN");
        await w.SqlAsync($"CREATE TABLE items (id integer); ALTER TABLE items OWNER TO {migrator}; GRANT ALL ON items TO {app}");
        const string sql = "ALTER TABLE items ADD COLUMN note text";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("must be owner of table items", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("table", "public.items"), (d.KindWord, d.Object));
        var missing = Assert.Single(d.Missing);
        Assert.Equal("OWNERSHIP", missing.Name);
        // Membership in the owner is never the least-privilege fix: only a broad option, with what it hands over.
        Assert.Empty(d.Fix);
        ExplainWorld.Same([major >= 16 ? $"GRANT {migrator} TO {app} WITH INHERIT TRUE, SET FALSE;" : $"GRANT {migrator} TO {app};"], d.Broad!.Statements);
        Assert.StartsWith($"membership in {migrator} hands {app} owner rights", d.Broad.HandsOver);
        // Other tests share the cluster (and may create superusers): check ours, not the whole list.
        Assert.Contains(new Pgrant.Core.Diagnosis.FixerRole("postgres", "superuser"), d.Broad.CanRun);
        Assert.DoesNotContain(d.Broad.CanRun, f => f.Name == app || f.Name == migrator);
        await w.ApplyAsync(d.Broad.Statements);
        await w.SucceedsAsync(app, sql);
        Assert.True((await w.ExplainAsync(e.MessageText, app, sql)).AlreadyAllowed);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task PermissionDeniedToSetRole(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var admin = await w.RoleAsync("admin", "NOLOGIN");
        var sql = $"SET ROLE {admin}";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal($"permission denied to set role \"{admin}\"", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("role", admin), (d.KindWord, d.Object));
        ExplainWorld.Same([major >= 16 ? $"GRANT {admin} TO {app} WITH INHERIT FALSE, SET TRUE;" : $"GRANT {admin} TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task OwnerToNeedsToBeAbleToSetRole(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var team = await w.RoleAsync("team", "NOLOGIN");
        // The new owner needs CREATE on the schema; the app owns the table.
        await w.SqlAsync($"CREATE SCHEMA work; GRANT USAGE, CREATE ON SCHEMA work TO {app}, {team}; CREATE TABLE work.items (id integer); ALTER TABLE work.items OWNER TO {app}");
        var sql = $"ALTER TABLE work.items OWNER TO {team}";
        var e = await w.FailsAsync(app, sql);
        // 16 reworded the membership check; the SET option is what it checks now.
        Assert.Equal(major >= 16 ? $"must be able to SET ROLE \"{team}\"" : $"must be member of role \"{team}\"", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal(("role", team), (d.KindWord, d.Object));
        // team holds USAGE and CREATE on the schema: the membership hands those over, so it is a broad option.
        Assert.Empty(d.Fix);
        ExplainWorld.Same([major >= 16 ? $"GRANT {team} TO {app} WITH INHERIT FALSE, SET TRUE;" : $"GRANT {team} TO {app};"], d.Broad!.Statements);
        Assert.Contains($"the privileges {team} was granted on 1 other object", d.Broad.HandsOver);
        await w.ApplyAsync(d.Broad.Statements);
        await w.SucceedsAsync(app, sql);
    }
}
