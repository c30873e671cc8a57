namespace Pgrant.IntegrationTests.Rules;

public sealed class UninheritableGrantTests
{
    // 13–15: inheritance is the member's attribute; 16+: each grant's INHERIT option.
    private static string Uninheriting(int major, string group, string member) => major >= 16
        ? $"CREATE ROLE {member} LOGIN PASSWORD '{ServerProbe.Password}'; GRANT {group} TO {member} WITH INHERIT FALSE;"
        : $"CREATE ROLE {member} LOGIN PASSWORD '{ServerProbe.Password}' NOINHERIT; GRANT {group} TO {member};";

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Reports_group_privileges_a_member_cannot_inherit_and_the_fix_makes_them_its_own(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var group = TestDatabase.UniqueName("grp");
        var member = TestDatabase.UniqueName("member");
        await db.ExecuteAsync($"""
            CREATE ROLE {group} NOLOGIN;
            {Uninheriting(major, group, member)}
            CREATE SCHEMA s;
            CREATE TABLE s.t (id integer);
            INSERT INTO s.t VALUES (1);
            GRANT USAGE ON SCHEMA s TO {group};
            GRANT SELECT ON s.t TO {group};
            """);

        var f = Assert.Single(await RuleHarness.RunAsync(db, new UninheritableGrant(), [member]));

        var fix = major >= 16
            ? $"GRANT {group} TO {member} WITH INHERIT TRUE;"
            : $"-- advice: {member} has NOINHERIT (a deliberate, role-wide setting): its sessions get these privileges after SET ROLE {group}; " +
              "if it should use them without SET ROLE (this changes every membership it has):\n" +
              $"--   ALTER ROLE {member} INHERIT;";
        Assert.Equal(("PGR014", group, member, fix), RuleHarness.Shape(f));
        Assert.Equal((Severity.Warning, "role"), (f.Severity, f.ObjectKindWord));
        var reason = major >= 16 ? $"the grant of {group} to {member} (by {db.Cluster.SuperUser}) was made WITH INHERIT FALSE" : $"{member} has NOINHERIT";
        Assert.Equal(
            $"{member} is a member of {group} ({member} → {group}) but does not inherit its privileges: {reason}. " +
            $"{group} holds USAGE on 1 schema, SELECT on 1 table (e.g. s, s.t) that {member} holds by no other way, so its statements on them are denied " +
            $"unless it runs SET ROLE {group} first.",
            f.Message);

        // The server agrees: denied as itself, allowed after SET ROLE (what the message says).
        var probe = $"SELECT has_table_privilege('{member}', 's.t', 'SELECT') AND has_schema_privilege('{member}', 's', 'USAGE')";
        Assert.False(await ServerProbe.TrueAsync(db, probe));
        Assert.Equal("permission denied for schema s", (await ServerProbe.DeniedAsync(db, member, "SELECT * FROM s.t")).MessageText);
        Assert.Equal(-1, await ServerProbe.RunAsAsync(db, member, $"SET ROLE {group}; SELECT * FROM s.t"));

        // The fix (on 13–15 the advice's example, which pgrant never runs itself) gives the member the privileges itself.
        if (major >= 16)
        {
            Assert.Empty(f.Notes);
            await db.ExecuteAsync(SqlWriter.Text(Assert.Single(f.Fix)));
        }
        else
        {
            Assert.Empty(f.Fix);
            await db.ExecuteAsync(SqlWriter.Text(Assert.Single(f.Notes).Example!));
        }
        Assert.True(await ServerProbe.TrueAsync(db, probe));
        Assert.Empty(await RuleHarness.RunAsync(db, new UninheritableGrant(), [member]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_when_the_member_inherits_or_holds_the_privileges_another_way(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var group = TestDatabase.UniqueName("grp");
        var inheriting = TestDatabase.UniqueName("inheriting");
        var covered = TestDatabase.UniqueName("covered");
        var other = TestDatabase.UniqueName("other");
        await db.ExecuteAsync($"""
            CREATE ROLE {group} NOLOGIN;
            CREATE ROLE {other} NOLOGIN;
            CREATE ROLE {inheriting} LOGIN IN ROLE {group};
            {Uninheriting(major, group, covered)}
            GRANT {other} TO {covered};
            CREATE SCHEMA s;
            CREATE TABLE s.t (id integer);
            GRANT USAGE ON SCHEMA s TO {group};
            GRANT SELECT ON s.t TO {group};
            GRANT USAGE ON SCHEMA s TO {covered};
            GRANT SELECT ON s.t TO PUBLIC;
            """);

        // covered has USAGE itself and SELECT through PUBLIC; "other" holds nothing anywhere.
        Assert.Empty(await RuleHarness.RunAsync(db, new UninheritableGrant(), [inheriting, covered]));
    }
}
