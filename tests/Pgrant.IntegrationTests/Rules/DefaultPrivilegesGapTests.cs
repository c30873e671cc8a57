namespace Pgrant.IntegrationTests.Rules;

public sealed class DefaultPrivilegesGapTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Finds_defaults_for_the_wrong_creator_and_the_fix_covers_the_next_migrations_table_and_serial(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var migrator = TestDatabase.UniqueName("migrator");
        var app = TestDatabase.UniqueName("app");
        var admin = TestDatabase.UniqueName("admin");
        await db.ExecuteAsync($"""
            CREATE ROLE {migrator} LOGIN;
            CREATE ROLE {app} LOGIN PASSWORD '{ServerProbe.Password}';
            CREATE ROLE {admin} NOLOGIN;
            CREATE SCHEMA s;
            GRANT USAGE, CREATE ON SCHEMA s TO {migrator};
            GRANT USAGE ON SCHEMA s TO {app};
            SET ROLE {migrator};
            CREATE TABLE s.orders (id serial PRIMARY KEY, v text);
            RESET ROLE;
            GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA s TO {app};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA s TO {app};
            ALTER DEFAULT PRIVILEGES FOR ROLE {admin} IN SCHEMA s GRANT SELECT, INSERT ON TABLES TO {app};
            """);

        var findings = await RuleHarness.RunAsync(db, new DefaultPrivilegesGap(), [app]);

        var misplaced = ("PGR004", "s", admin,
            $"-- advice: default privileges follow the creator: define them FOR ROLE {migrator} (see the PGR004 gap findings), " +
            $"and remove the unused ones for {admin} (ALTER DEFAULT PRIVILEGES FOR ROLE {admin} IN SCHEMA s REVOKE …).");
        Assert.Equal(
            [
                ("PGR004", "s", app,
                    $"ALTER DEFAULT PRIVILEGES FOR ROLE {migrator} IN SCHEMA s GRANT INSERT, SELECT ON TABLES TO {app};\n" +
                    $"ALTER DEFAULT PRIVILEGES FOR ROLE {migrator} IN SCHEMA s GRANT USAGE ON SEQUENCES TO {app};"),
                misplaced,
            ],
            findings.Select(RuleHarness.Shape));
        Assert.Equal((Severity.Warning, Severity.Info), (findings[0].Severity, findings[1].Severity));
        Assert.Equal(
            $"{app} holds INSERT, SELECT on 1 table (a new table would give it nothing) and SELECT, USAGE on 1 sequence (a new sequence would give it nothing) " +
            $"that {migrator} created in schema s, but no default privileges for {migrator} give it that on the next ones: after the next migration by {migrator}, " +
            "statements on the new objects fail with \"permission denied\".",
            findings[0].Message);
        Assert.Equal(
            $"default privileges ON TABLES for {admin} in schema s never apply: they cover only objects {admin} creates, and {admin} owns no table or sequence in schema s; " +
            $"the objects there are owned (created) by {migrator}.",
            findings[1].Message);

        // The server agrees: the next migration's table is out of reach before the fix…
        await db.ExecuteAsync($"SET ROLE {migrator}; CREATE TABLE s.before_fix (id serial PRIMARY KEY, v text); RESET ROLE;");
        Assert.Equal("permission denied for table before_fix",
            (await ServerProbe.DeniedAsync(db, app, "INSERT INTO s.before_fix (v) VALUES ('x') RETURNING id")).MessageText);

        // …and after it, a new table with a serial created by the creator is usable, RETURNING included.
        Assert.Empty(findings[0].Notes);
        await db.ExecuteAsync(string.Join("\n", findings[0].Fix.Select(SqlWriter.Text)));
        await db.ExecuteAsync($"SET ROLE {migrator}; CREATE TABLE s.after_fix (id serial PRIMARY KEY, v text); RESET ROLE;");
        Assert.True(await ServerProbe.TrueAsync(db,
            $"SELECT has_table_privilege('{app}', 's.after_fix', 'INSERT, SELECT') AND has_sequence_privilege('{app}', 's.after_fix_id_seq', 'USAGE')"));
        Assert.Equal(1, await ServerProbe.RunAsAsync(db, app, "INSERT INTO s.after_fix (v) VALUES ('x') RETURNING id"));
        Assert.Equal([misplaced], (await RuleHarness.RunAsync(db, new DefaultPrivilegesGap(), [app])).Select(RuleHarness.Shape));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_when_defaults_name_the_creator_in_schema_or_globally_or_through_a_group(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var migrator = TestDatabase.UniqueName("migrator");
        var app = TestDatabase.UniqueName("app");
        var group = TestDatabase.UniqueName("grp");
        var reader = TestDatabase.UniqueName("reader");
        await db.ExecuteAsync($"""
            CREATE ROLE {migrator} LOGIN;
            CREATE ROLE {app} LOGIN;
            CREATE ROLE {group} NOLOGIN;
            CREATE ROLE {reader} LOGIN IN ROLE {group};
            CREATE SCHEMA s;
            GRANT USAGE, CREATE ON SCHEMA s TO {migrator};
            SET ROLE {migrator};
            CREATE TABLE s.orders (id serial PRIMARY KEY, v text);
            CREATE TABLE s.open_to_all (id integer);
            RESET ROLE;
            GRANT SELECT, INSERT ON s.orders TO {app};
            GRANT ALL ON ALL SEQUENCES IN SCHEMA s TO {app};
            GRANT SELECT ON s.orders TO {group};
            GRANT SELECT ON s.open_to_all TO PUBLIC;
            ALTER DEFAULT PRIVILEGES FOR ROLE {migrator} IN SCHEMA s GRANT SELECT, INSERT ON TABLES TO {app};
            ALTER DEFAULT PRIVILEGES FOR ROLE {migrator} GRANT USAGE ON SEQUENCES TO {app};
            ALTER DEFAULT PRIVILEGES FOR ROLE {migrator} IN SCHEMA s GRANT SELECT ON TABLES TO {group};
            """);

        // app holds ALL on the sequence; new ones give USAGE, which is what nextval() needs: covered.
        Assert.Empty(await RuleHarness.RunAsync(db, new DefaultPrivilegesGap(), [app, reader]));
    }
}
