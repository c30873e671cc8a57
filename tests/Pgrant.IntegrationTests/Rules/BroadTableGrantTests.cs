namespace Pgrant.IntegrationTests.Rules;

public sealed class BroadTableGrantTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Finds_grant_all_and_its_fix_keeps_dml_but_stops_truncate(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var app = TestDatabase.UniqueName("app");
        await db.ExecuteAsync($"""
            CREATE ROLE {app} LOGIN PASSWORD 'pw';
            CREATE TABLE t (id integer PRIMARY KEY);
            CREATE VIEW v AS SELECT id FROM t;
            GRANT ALL ON t TO {app};
            GRANT SELECT, TRIGGER ON v TO {app};
            """);

        var findings = await RuleHarness.RunAsync(db, new BroadTableGrant(), [app]);

        var all = major >= 17 ? "TRUNCATE, REFERENCES, TRIGGER, MAINTAIN" : "TRUNCATE, REFERENCES, TRIGGER";
        Assert.Equal(
        [
            ("PGR007", "public.t", app, $"REVOKE {all} ON TABLE public.t FROM {app};"),
            ("PGR007", "public.v", app, $"REVOKE TRIGGER ON TABLE public.v FROM {app};"),
        ], findings.Select(RuleHarness.Shape));
        Assert.All(findings, f => Assert.Equal(Severity.Warning, f.Severity));
        Assert.Equal($"{app} may {all} on table public.t (the entry holds every table privilege: a GRANT ALL): an application needs none of these, " +
            "and they let it empty the table past triggers and row security, pin it with foreign keys, run its own triggers or maintenance on it.", findings[0].Message);

        Assert.Null(await RuleFix.TryAsAsync(db, app, "TRUNCATE t"));
        await RuleFix.ApplyAsync(db, [.. findings]);
        Assert.Equal("permission denied for table t", await RuleFix.TryAsAsync(db, app, "TRUNCATE t"));
        Assert.Null(await RuleFix.TryAsAsync(db, app, "INSERT INTO t VALUES (1)"));
        Assert.Null(await RuleFix.TryAsAsync(db, app, "UPDATE t SET id = 2; DELETE FROM t"));
        Assert.Empty(await RuleHarness.RunAsync(db, new BroadTableGrant(), [app]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Revokes_from_the_group_as_the_grantor_that_granted_it(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var lead = TestDatabase.UniqueName("lead");
        var grp = TestDatabase.UniqueName("grp");
        var member = TestDatabase.UniqueName("member");
        await db.ExecuteAsync($"""
            CREATE ROLE {lead} NOLOGIN;
            CREATE ROLE {grp} NOLOGIN;
            CREATE ROLE {member} LOGIN PASSWORD 'pw' IN ROLE {grp};
            CREATE TABLE t (id integer);
            GRANT SELECT, TRUNCATE ON t TO {lead} WITH GRANT OPTION;
            SET ROLE {lead};
            GRANT SELECT, TRUNCATE ON t TO {grp};
            RESET ROLE;
            """);

        var f = Assert.Single(await RuleHarness.RunAsync(db, new BroadTableGrant(), [member]));
        Assert.Equal(("PGR007", "public.t", grp, $"SET ROLE {lead};\nREVOKE TRUNCATE ON TABLE public.t FROM {grp};\nRESET ROLE;"), RuleHarness.Shape(f));
        await RuleFix.ApplyAsync(db, f);
        Assert.Equal("permission denied for table t", await RuleFix.TryAsAsync(db, member, "TRUNCATE t"));
        Assert.Null(await RuleFix.TryAsAsync(db, member, "SELECT * FROM t"));
        Assert.Empty(await RuleHarness.RunAsync(db, new BroadTableGrant(), [member]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_for_dml_grants_and_owners(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var app = TestDatabase.UniqueName("app");
        var owner = TestDatabase.UniqueName("owner");
        await db.ExecuteAsync($"""
            CREATE ROLE {app} LOGIN;
            CREATE ROLE {owner} LOGIN;
            CREATE TABLE t (id integer);
            GRANT SELECT, INSERT, UPDATE, DELETE ON t TO {app};
            CREATE TABLE mine (id integer);
            ALTER TABLE mine OWNER TO {owner};
            GRANT ALL ON mine TO {owner};
            """);

        Assert.Empty(await RuleHarness.RunAsync(db, new BroadTableGrant(), [app, owner]));
    }
}
