namespace Pgrant.IntegrationTests.Rules;

public sealed class SchemaUsageMissingTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Reports_one_finding_per_role_and_schema_and_its_fix_makes_the_objects_usable(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var direct = TestDatabase.UniqueName("direct");
        var group = TestDatabase.UniqueName("grp");
        var member = TestDatabase.UniqueName("member");
        await db.ExecuteAsync($"""
            CREATE ROLE {direct} LOGIN PASSWORD '{ServerProbe.Password}';
            CREATE ROLE {group} NOLOGIN;
            CREATE ROLE {member} LOGIN PASSWORD '{ServerProbe.Password}' IN ROLE {group};
            CREATE SCHEMA "Sales Data";
            CREATE TABLE "Sales Data".orders (id integer, v text);
            CREATE TABLE "Sales Data".items (id integer);
            CREATE FUNCTION "Sales Data".f() RETURNS integer LANGUAGE sql AS 'SELECT 1';
            GRANT SELECT, INSERT ON "Sales Data".orders TO {direct};
            GRANT SELECT ON "Sales Data".items TO {direct};
            CREATE SCHEMA hr;
            CREATE TABLE hr.people (id integer);
            GRANT SELECT ON hr.people TO {group};
            """);

        var findings = await RuleHarness.RunAsync(db, new SchemaUsageMissing(), [direct, member]);

        Assert.Equal(
            [
                ("PGR002", "\"Sales Data\"", direct, $"GRANT USAGE ON SCHEMA \"Sales Data\" TO {direct};"),
                ("PGR002", "hr", member, $"GRANT USAGE ON SCHEMA hr TO {group};"),
            ],
            findings.Select(RuleHarness.Shape));
        Assert.All(findings, f => Assert.Equal((Severity.Error, "schema"), (f.Severity, f.ObjectKindWord)));
        Assert.Equal(
            $"{direct} holds INSERT, SELECT on 2 tables in schema \"Sales Data\" (e.g. \"Sales Data\".items, \"Sales Data\".orders) " +
            "but has no USAGE on the schema: every statement that uses them fails with \"permission denied for schema Sales Data\".",
            findings[0].Message);
        Assert.Equal(
            $"{member} holds SELECT on 1 table in schema hr (through {group}, which the fix targets) (e.g. hr.people) " +
            "but has no USAGE on the schema: every statement that uses them fails with \"permission denied for schema hr\".",
            findings[1].Message);

        // The server agrees: the grants are unusable before the fix and usable after it.
        Assert.Equal("permission denied for schema Sales Data", (await ServerProbe.DeniedAsync(db, direct, "SELECT * FROM \"Sales Data\".orders")).MessageText);
        Assert.Equal("permission denied for schema hr", (await ServerProbe.DeniedAsync(db, member, "SELECT * FROM hr.people")).MessageText);
        foreach (var f in findings) await db.ExecuteAsync(string.Join("\n", f.Fix));
        Assert.Equal(1, await ServerProbe.RunAsAsync(db, direct, "INSERT INTO \"Sales Data\".orders VALUES (1, 'x')"));
        Assert.Equal(-1, await ServerProbe.RunAsAsync(db, member, "SELECT * FROM hr.people"));
        Assert.Empty(await RuleHarness.RunAsync(db, new SchemaUsageMissing(), [direct, member]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_with_usage_without_grants_for_public_defaults_and_for_an_uninherited_usage(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var user = TestDatabase.UniqueName("user");
        var bystander = TestDatabase.UniqueName("bystander");
        var group = TestDatabase.UniqueName("grp");
        var noinherit = TestDatabase.UniqueName("noinherit");
        await db.ExecuteAsync($"""
            CREATE ROLE {user} LOGIN;
            CREATE ROLE {bystander} LOGIN;
            CREATE ROLE {group} NOLOGIN;
            CREATE ROLE {noinherit} LOGIN NOINHERIT;
            GRANT {group} TO {noinherit};
            CREATE SCHEMA app;
            CREATE TABLE app.t (id integer);
            CREATE FUNCTION app.f() RETURNS integer LANGUAGE sql AS 'SELECT 1';
            CREATE DOMAIN app.d AS integer;
            GRANT USAGE ON SCHEMA app TO {user};
            GRANT SELECT ON app.t TO {user};
            CREATE SCHEMA locked;
            CREATE TABLE locked.t (id integer);
            GRANT USAGE ON SCHEMA locked TO {group};
            GRANT SELECT ON locked.t TO {noinherit};
            """);

        // bystander holds only PUBLIC's EXECUTE/USAGE defaults; noinherit's missing USAGE sits on a
        // group it does not inherit from, which PGR014 reports.
        Assert.Empty(await RuleHarness.RunAsync(db, new SchemaUsageMissing(), [user, bystander, noinherit]));
    }
}
