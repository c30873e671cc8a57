namespace Pgrant.IntegrationTests.Rules;

public sealed class RoleNamedLikeDatabaseTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Reports_a_role_that_shares_its_name_with_a_database(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        await db.ExecuteAsync($"CREATE ROLE {SqlNames.Ident(db.Name)} LOGIN");
        try
        {
            var f = Assert.Single(await RuleHarness.RunAsync(db, new RoleNamedLikeDatabase(), [db.Name]));
            Assert.Equal(("PGR013", db.Name, db.Name,
                "-- advice: consider a distinct name (every connection string that names the database must change with it), e.g.:\n" +
                $"--   ALTER DATABASE {db.Name} RENAME TO {db.Name}_db;"), RuleHarness.Shape(f));
            // A rename is a person's decision: only an example, nothing pgrant would run.
            Assert.Empty(f.Fix);
            Assert.IsType<RenameObject>(Assert.Single(f.Notes).Example);
            Assert.Equal("database", f.ObjectKindWord);
        }
        finally
        {
            await db.Cluster.ExecuteAsync($"DROP ROLE {SqlNames.Ident(db.Name)}");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_when_names_differ(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var app = TestDatabase.UniqueName("app");
        await db.ExecuteAsync($"CREATE ROLE {app} LOGIN");
        Assert.Empty(await RuleHarness.RunAsync(db, new RoleNamedLikeDatabase(), [app]));
    }
}
