namespace Pgrant.IntegrationTests.Rules;

public sealed class RlsWithoutPolicyTests
{
    /// <summary>The advice to write a policy for one command, with its skeleton as the example (never run by pgrant).</summary>
    private static string Skeleton(string table, string role, string command, string clause) =>
        $"-- advice: no safe automatic fix: write a policy for {command} by {role} that admits the rows it may use, e.g.:\n" +
        $"--   CREATE POLICY {role}_{command.ToLowerInvariant()} ON {table} FOR {command} TO {role} {clause};";

    /// <summary>The skeletons, then the advice to disable row-level security instead, with that statement as its example.</summary>
    private static string Fix(string table, params string[] skeletons) => string.Join("\n",
        [.. skeletons,
         "-- advice: or, if row-level security was not meant for this table, disable it:",
         $"--   ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;"]);

    private static string Rows(string verb) => $"true /* replace with the rows it may {verb} */";

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Finds_granted_roles_no_policy_lets_in_and_the_policy_skeleton_works(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var owner = TestDatabase.UniqueName("owner");
        var app = TestDatabase.UniqueName("app");
        var someone = TestDatabase.UniqueName("someone");
        await db.ExecuteAsync($"""
            CREATE ROLE {owner} LOGIN PASSWORD 'pw';
            CREATE ROLE {app} LOGIN PASSWORD 'pw';
            CREATE ROLE {someone} NOLOGIN;
            CREATE TABLE docs (id integer, body text);
            INSERT INTO docs VALUES (1, 'a');
            ALTER TABLE docs OWNER TO {owner};
            ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
            GRANT SELECT, INSERT ON docs TO {app};
            CREATE TABLE notes (id integer);
            ALTER TABLE notes OWNER TO {owner};
            ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
            ALTER TABLE notes FORCE ROW LEVEL SECURITY;
            CREATE POLICY for_someone ON notes FOR SELECT TO {someone} USING (true);
            CREATE POLICY writes ON notes FOR INSERT TO PUBLIC WITH CHECK (true);
            GRANT SELECT ON notes TO {app};
            """);

        var findings = await RuleHarness.RunAsync(db, new RlsWithoutPolicy(), [owner, app]);

        Assert.Equal(3, findings.Length);
        Assert.Equal(("PGR017", "public.docs", app, Fix("public.docs",
            Skeleton("public.docs", app, "SELECT", $"USING ({Rows("select")})"),
            Skeleton("public.docs", app, "INSERT", $"WITH CHECK ({Rows("insert")})"))), RuleHarness.Shape(findings[0]));
        Assert.Equal($"row-level security is enabled on public.docs and it has no policy: {app} holds SELECT, INSERT but its SELECTs see no rows, " +
            "every INSERT fails (\"new row violates row-level security policy\").", findings[0].Message);
        // FORCE makes the owner subject too; INSERT is covered by the PUBLIC policy, SELECT only for someone else.
        Assert.Equal(("PGR017", "public.notes", app, Fix("public.notes",
            Skeleton("public.notes", app, "SELECT", $"USING ({Rows("select")})"))), RuleHarness.Shape(findings[1]));
        Assert.Equal(("PGR017", "public.notes", owner, Fix("public.notes",
            Skeleton("public.notes", owner, "SELECT", $"USING ({Rows("select")})"),
            Skeleton("public.notes", owner, "UPDATE", $"USING ({Rows("update")}) WITH CHECK ({Rows("update")})"),
            Skeleton("public.notes", owner, "DELETE", $"USING ({Rows("delete")})"))), RuleHarness.Shape(findings[2]));
        // No statement is proposed: every policy and the DISABLE are examples for a person to adapt.
        Assert.All(findings, f => Assert.Empty(f.Fix));
        Assert.All(findings, f => Assert.Equal((Severity.Warning, "table"), (f.Severity, f.ObjectKindWord)));

        // The server agrees: the rows are there, the granted role sees none and cannot insert.
        await using (var conn = await db.OpenAsync(app, "pw"))
        {
            Assert.Equal(0L, await new NpgsqlCommand("SELECT count(*) FROM docs", conn).ExecuteScalarAsync());
            var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("INSERT INTO docs VALUES (2, 'b')", conn).ExecuteNonQueryAsync());
            Assert.Equal((PostgresErrorCodes.InsufficientPrivilege, "new row violates row-level security policy for table \"docs\""), (e.SqlState, e.MessageText));
        }
        // The other way out is valid SQL too: the DISABLE example (run and rolled back) lets the role see the rows.
        await using (var conn = await db.OpenAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            var disable = Assert.IsType<SetRowLevelSecurity>(findings[0].Notes[^1].Example);
            await new NpgsqlCommand(SqlWriter.Text(disable), conn, tx).ExecuteNonQueryAsync();
            await new NpgsqlCommand($"SET ROLE {app}", conn, tx).ExecuteNonQueryAsync();
            Assert.Equal(1L, await new NpgsqlCommand("SELECT count(*) FROM docs", conn, tx).ExecuteScalarAsync());
            await tx.RollbackAsync();
        }
        // The skeletons are valid SQL: run from the notes' examples, they let the role in.
        var policies = findings.SelectMany(f => f.Notes).Select(n => n.Example).OfType<CreatePolicy>().ToList();
        Assert.Equal(6, policies.Count);
        foreach (var policy in policies)
            await db.ExecuteAsync(SqlWriter.Text(policy));
        await using (var conn = await db.OpenAsync(app, "pw"))
        {
            Assert.Equal(1L, await new NpgsqlCommand("SELECT count(*) FROM docs", conn).ExecuteScalarAsync());
            Assert.Equal(1, await new NpgsqlCommand("INSERT INTO docs VALUES (2, 'b')", conn).ExecuteNonQueryAsync());
        }
        Assert.Empty(await RuleHarness.RunAsync(db, new RlsWithoutPolicy(), [owner, app]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_for_owners_bypassrls_roles_group_policies_and_tables_without_rls(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var owner = TestDatabase.UniqueName("owner");
        var bypass = TestDatabase.UniqueName("bypass");
        var group = TestDatabase.UniqueName("grp");
        var member = TestDatabase.UniqueName("member");
        await db.ExecuteAsync($"""
            CREATE ROLE {owner} LOGIN;
            CREATE ROLE {bypass} LOGIN BYPASSRLS;
            CREATE ROLE {group} NOLOGIN;
            CREATE ROLE {member} LOGIN IN ROLE {group};
            CREATE TABLE guarded (id integer);
            ALTER TABLE guarded OWNER TO {owner};
            ALTER TABLE guarded ENABLE ROW LEVEL SECURITY;
            CREATE POLICY group_rows ON guarded TO {group} USING (true);
            GRANT SELECT, UPDATE ON guarded TO {bypass}, {group};
            CREATE TABLE open_t (id integer);
            GRANT SELECT ON open_t TO {member};
            """);
        Assert.Empty(await RuleHarness.RunAsync(db, new RlsWithoutPolicy(), [owner, bypass, member]));
    }
}
