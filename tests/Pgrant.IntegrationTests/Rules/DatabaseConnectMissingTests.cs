namespace Pgrant.IntegrationTests.Rules;

public sealed class DatabaseConnectMissingTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Reports_login_roles_with_grants_here_but_no_connect_and_the_fix_lets_them_in(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var direct = TestDatabase.UniqueName("direct");
        var group = TestDatabase.UniqueName("grp");
        var member = TestDatabase.UniqueName("member");
        var idle = TestDatabase.UniqueName("idle");
        await db.ExecuteAsync($"""
            CREATE ROLE {direct} LOGIN PASSWORD '{ServerProbe.Password}';
            CREATE ROLE {group} NOLOGIN;
            CREATE ROLE {member} LOGIN PASSWORD '{ServerProbe.Password}' IN ROLE {group};
            CREATE ROLE {idle} LOGIN;
            REVOKE CONNECT ON DATABASE {db.Name} FROM PUBLIC;
            CREATE TABLE t (id integer);
            CREATE SEQUENCE s;
            GRANT SELECT ON t TO {direct};
            GRANT USAGE ON SEQUENCE s TO {direct};
            GRANT SELECT ON t TO {group};
            """);

        var findings = await RuleHarness.RunAsync(db, new DatabaseConnectMissing(), [direct, member, idle]);

        Assert.Equal(
            [
                ("PGR003", db.Name, direct, $"GRANT CONNECT ON DATABASE {db.Name} TO {direct};"),
                ("PGR003", db.Name, member, $"GRANT CONNECT ON DATABASE {db.Name} TO {group};"),
            ],
            findings.Select(RuleHarness.Shape));
        Assert.All(findings, f => Assert.Equal((Severity.Error, "database", (string?)null), (f.Severity, f.ObjectKindWord, f.Schema)));
        Assert.Equal(
            $"{direct} holds privileges on 2 objects in database {db.Name} (e.g. public.s, public.t) but may not CONNECT to it: every connection fails with " +
            $"\"permission denied for database \"{db.Name}\"\" (User does not have CONNECT privilege).",
            findings[0].Message);

        // The server agrees: the connection itself is refused, and works after the fix.
        foreach (var role in (string[])[direct, member])
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => db.OpenAsync(role, ServerProbe.Password));
            Assert.Equal((PostgresErrorCodes.InsufficientPrivilege, $"permission denied for database \"{db.Name}\""), (e.SqlState, e.MessageText));
        }
        foreach (var f in findings) await db.ExecuteAsync(string.Join("\n", f.Fix));
        Assert.Equal(-1, await ServerProbe.RunAsAsync(db, direct, "SELECT * FROM t"));
        Assert.Equal(-1, await ServerProbe.RunAsAsync(db, member, "SELECT * FROM t"));
        Assert.Empty(await RuleHarness.RunAsync(db, new DatabaseConnectMissing(), [direct, member, idle]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_when_connect_is_public_or_granted_or_held_by_an_uninherited_group(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var granted = TestDatabase.UniqueName("granted");
        var group = TestDatabase.UniqueName("grp");
        var noinherit = TestDatabase.UniqueName("noinherit");
        await db.ExecuteAsync($"""
            CREATE ROLE {granted} LOGIN;
            CREATE ROLE {group} NOLOGIN;
            CREATE ROLE {noinherit} LOGIN NOINHERIT;
            GRANT {group} TO {noinherit};
            CREATE TABLE t (id integer);
            GRANT SELECT ON t TO {granted}, {noinherit};
            """);
        Assert.Empty(await RuleHarness.RunAsync(db, new DatabaseConnectMissing(), [granted, noinherit]));

        // Without PUBLIC's CONNECT: a direct grant keeps granted in; noinherit's way in is the group
        // it does not inherit from, which PGR014 reports.
        await db.ExecuteAsync($"""
            REVOKE CONNECT ON DATABASE {db.Name} FROM PUBLIC;
            GRANT CONNECT ON DATABASE {db.Name} TO {granted}, {group};
            """);
        Assert.Empty(await RuleHarness.RunAsync(db, new DatabaseConnectMissing(), [granted, noinherit]));
    }
}
