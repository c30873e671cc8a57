namespace Pgrant.IntegrationTests.Rules;

public sealed class PublicCreateOnSchemaTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Finds_public_create_keeps_it_for_creators_and_the_fix_closes_it(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var creator = TestDatabase.UniqueName("creator");
        var other = TestDatabase.UniqueName("other");
        // 15+ no longer grants CREATE on public to PUBLIC: grant it back to reproduce an older cluster (a no-op on 13/14).
        await db.ExecuteAsync($"""
            GRANT CREATE ON SCHEMA public TO PUBLIC;
            CREATE ROLE {creator} LOGIN PASSWORD 'pw';
            CREATE ROLE {other} LOGIN PASSWORD 'pw';
            CREATE SCHEMA open_s;
            GRANT USAGE, CREATE ON SCHEMA open_s TO PUBLIC;
            SET ROLE {creator};
            CREATE TABLE open_s.made_by_creator (id integer);
            RESET ROLE;
            """);

        var findings = await RuleHarness.RunAsync(db, new PublicCreateOnSchema(), [creator, other], ["public", "open_s"]);

        Assert.Equal(2, findings.Length);
        Assert.Equal(("PGR011", "open_s", "PUBLIC", string.Join("\n",
            $"GRANT CREATE ON SCHEMA open_s TO {creator};",
            "REVOKE CREATE ON SCHEMA open_s FROM PUBLIC;")), RuleHarness.Shape(findings[0]));
        // Why the owners keep CREATE is the grant's reason (the fix script's comment above it), no longer a comment line of the fix.
        Assert.Equal("PGR011: roles that own objects in open_s keep CREATE there (they may be what creates them)", findings[0].Fix[0].Reason);
        Assert.Equal(("PGR011", "public", "PUBLIC", "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"), RuleHarness.Shape(findings[1]));
        Assert.All(findings, f => Assert.Equal((Severity.Warning, "schema"), (f.Severity, f.ObjectKindWord)));
        Assert.Equal(major < 15, findings[1].Message.Contains("the default for the public schema before PostgreSQL 15", StringComparison.Ordinal));

        // The server agrees: any role may create there before the fix (rolled back), only the creator after it.
        await using (var conn = await db.OpenAsync(other, "pw"))
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await new NpgsqlCommand("CREATE TABLE open_s.intruder (id integer)", conn, tx).ExecuteNonQueryAsync();
            await tx.RollbackAsync();
        }
        foreach (var f in findings) await db.ExecuteAsync(string.Join("\n", f.Fix.Select(SqlWriter.Text)));
        await using (var conn = await db.OpenAsync(other, "pw"))
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("CREATE TABLE open_s.intruder (id integer)", conn).ExecuteNonQueryAsync());
            Assert.Equal((PostgresErrorCodes.InsufficientPrivilege, "permission denied for schema open_s"), (e.SqlState, e.MessageText));
        }
        await using (var conn = await db.OpenAsync(creator, "pw"))
            await new NpgsqlCommand("CREATE TABLE open_s.next_migration (id integer)", conn).ExecuteNonQueryAsync();
        Assert.Empty(await RuleHarness.RunAsync(db, new PublicCreateOnSchema(), [creator, other], ["public", "open_s"]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_when_create_is_granted_to_named_roles_only(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var app = TestDatabase.UniqueName("app");
        // 13/14 grant CREATE on public to PUBLIC by default: revoke it as a hardened cluster does (a no-op on 15+).
        await db.ExecuteAsync($"""
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            CREATE ROLE {app} LOGIN;
            CREATE SCHEMA closed;
            GRANT USAGE ON SCHEMA closed TO PUBLIC;
            GRANT CREATE ON SCHEMA closed TO {app};
            """);
        Assert.Empty(await RuleHarness.RunAsync(db, new PublicCreateOnSchema(), [app], ["public", "closed"]));
    }
}
