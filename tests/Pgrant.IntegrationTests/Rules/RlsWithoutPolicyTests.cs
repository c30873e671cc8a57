using Pgrant.Core.Sql;
using Npgsql;
using Pgrant.Core.Rules;
using Pgrant.Core.Rules.Catalog;
using Pgrant.IntegrationTests.Infrastructure;

namespace Pgrant.IntegrationTests.Rules;

public sealed class RlsWithoutPolicyTests
{
    private static string Skeleton(string table, string role, string command, string clause) =>
        $"-- CREATE POLICY {role}_{command.ToLowerInvariant()} ON {table} FOR {command} TO {role} {clause};";

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
        Assert.Equal(("PGR017", "public.docs", app, string.Join("\n",
            $"-- no safe automatic fix: write a policy per command {app} needs, with the rows it may use, e.g.:",
            Skeleton("public.docs", app, "SELECT", $"USING ({Rows("select")})"),
            Skeleton("public.docs", app, "INSERT", $"WITH CHECK ({Rows("insert")})"),
            "-- or, if row-level security was not meant for this table: ALTER TABLE public.docs DISABLE ROW LEVEL SECURITY;")), RuleHarness.Shape(findings[0]));
        Assert.Equal($"row-level security is enabled on public.docs and it has no policy: {app} holds SELECT, INSERT but its SELECTs see no rows, " +
            "every INSERT fails (\"new row violates row-level security policy\").", findings[0].Message);
        // FORCE makes the owner subject too; INSERT is covered by the PUBLIC policy, SELECT only for someone else.
        Assert.Equal(("PGR017", "public.notes", app, string.Join("\n",
            $"-- no safe automatic fix: write a policy per command {app} needs, with the rows it may use, e.g.:",
            Skeleton("public.notes", app, "SELECT", $"USING ({Rows("select")})"),
            "-- or, if row-level security was not meant for this table: ALTER TABLE public.notes DISABLE ROW LEVEL SECURITY;")), RuleHarness.Shape(findings[1]));
        Assert.Equal(("PGR017", "public.notes", owner, string.Join("\n",
            $"-- no safe automatic fix: write a policy per command {owner} needs, with the rows it may use, e.g.:",
            Skeleton("public.notes", owner, "SELECT", $"USING ({Rows("select")})"),
            Skeleton("public.notes", owner, "UPDATE", $"USING ({Rows("update")}) WITH CHECK ({Rows("update")})"),
            Skeleton("public.notes", owner, "DELETE", $"USING ({Rows("delete")})"),
            "-- or, if row-level security was not meant for this table: ALTER TABLE public.notes DISABLE ROW LEVEL SECURITY;")), RuleHarness.Shape(findings[2]));
        Assert.All(findings, f => Assert.Equal((Severity.Warning, "table"), (f.Severity, f.ObjectKindWord)));

        // The server agrees: the rows are there, the granted role sees none and cannot insert.
        await using (var conn = await db.OpenAsync(app, "pw"))
        {
            Assert.Equal(0L, await new NpgsqlCommand("SELECT count(*) FROM docs", conn).ExecuteScalarAsync());
            var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("INSERT INTO docs VALUES (2, 'b')", conn).ExecuteNonQueryAsync());
            Assert.Equal(("42501", "new row violates row-level security policy for table \"docs\""), (e.SqlState, e.MessageText));
        }
        // The skeletons are valid SQL: run uncommented, they let the role in.
        foreach (var f in findings)
            foreach (var policy in f.Notes.Select(n => n.Example).OfType<CreatePolicy>())
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
