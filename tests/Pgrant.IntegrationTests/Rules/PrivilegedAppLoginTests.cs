using static Pgrant.Tests.Shared.PrivilegedAppLoginFixes;

namespace Pgrant.IntegrationTests.Rules;

public sealed class PrivilegedAppLoginTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Finds_superuser_bypassrls_and_owner_logins_and_the_role_fixes_work(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var su = TestDatabase.UniqueName("su");
        var byp = TestDatabase.UniqueName("byp");
        var own = TestDatabase.UniqueName("own");
        var owners = TestDatabase.UniqueName("owners");
        var heir = TestDatabase.UniqueName("heir");
        try
        {
            await db.ExecuteAsync($"""
                CREATE ROLE {su} LOGIN SUPERUSER BYPASSRLS;
                CREATE ROLE {byp} LOGIN BYPASSRLS;
                CREATE ROLE {own} LOGIN;
                CREATE ROLE {owners} NOLOGIN;
                CREATE ROLE {heir} LOGIN IN ROLE {owners};
                CREATE SCHEMA app;
                CREATE TABLE app.a (id integer);
                CREATE TABLE app.b (id integer);
                CREATE TABLE public.c (id integer);
                ALTER TABLE app.a OWNER TO {own};
                ALTER TABLE app.b OWNER TO {own};
                ALTER TABLE public.c OWNER TO {owners};
                """);

            var findings = await RuleHarness.RunAsync(db, new PrivilegedAppLogin(), [su, byp, own, owners, heir]);

            Assert.Equal(
            [
                ("PGR008", "app", own, OwnerFix("app", own)),
                ("PGR008", byp, byp, AttributeFix(byp, $"ALTER ROLE {byp} NOBYPASSRLS;")),
                ("PGR008", "public", heir, OwnerFix("public", heir)),
                ("PGR008", su, su, AttributeFix(su, $"ALTER ROLE {su} NOSUPERUSER NOBYPASSRLS;")),
            ], findings.Select(RuleHarness.Shape));
            Assert.All(findings, f => Assert.Equal(Severity.Warning, f.Severity));
            Assert.Equal($"login role {own} owns 2 relations in schema app (a, b): an owner passes every privilege check and may ALTER, DROP or TRUNCATE them.",
                findings[0].Message);
            Assert.Equal($"login role {heir} has the privileges of the owner ({owners}) of 1 relation in schema public (c): " +
                "an owner passes every privilege check and may ALTER, DROP or TRUNCATE them.", findings[2].Message);
            Assert.Equal($"login role {su} is a superuser: no GRANT, REVOKE or row-security policy limits it, and it can read server files and run programs.", findings[3].Message);
            Assert.Equal((string?[])["role", "role"], (string?[])[findings[1].ObjectKindWord, findings[3].ObjectKindWord]);

            await RuleFix.ApplyAsync(db, findings[1], findings[3]);
            Assert.Empty(await RuleHarness.RunAsync(db, new PrivilegedAppLogin(), [su, byp]));
        }
        finally
        {
            await db.Cluster.ExecuteAsync($"DROP ROLE IF EXISTS {su}");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Without_roles_looks_at_every_login_superuser_but_the_bootstrap_one(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var su = TestDatabase.UniqueName("su");
        try
        {
            await db.ExecuteAsync($"CREATE ROLE {su} LOGIN SUPERUSER");
            var findings = await RuleHarness.RunAsync(db, new PrivilegedAppLogin(), []);
            await using var conn = await db.OpenAsync();
            var bootstrap = (string)(await new NpgsqlCommand("SELECT rolname::text FROM pg_roles WHERE oid = 10", conn).ExecuteScalarAsync())!;
            Assert.Equal(("PGR008", su, su, AttributeFix(su, $"ALTER ROLE {su} NOSUPERUSER;")), RuleHarness.Shape(Assert.Single(findings, f => f.Role == su)));
            Assert.DoesNotContain(findings, f => f.Role == bootstrap);
        }
        finally
        {
            await db.Cluster.ExecuteAsync($"DROP ROLE IF EXISTS {su}");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_for_plain_logins_with_grants_and_for_nologin_superusers(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var app = TestDatabase.UniqueName("app");
        var admin = TestDatabase.UniqueName("admin");
        try
        {
            await db.ExecuteAsync($"""
                CREATE ROLE {app} LOGIN;
                CREATE ROLE {admin} NOLOGIN SUPERUSER;
                CREATE TABLE t (id integer);
                GRANT ALL ON t TO {app};
                """);
            Assert.Empty(await RuleHarness.RunAsync(db, new PrivilegedAppLogin(), [app, admin]));
        }
        finally
        {
            await db.Cluster.ExecuteAsync($"DROP ROLE IF EXISTS {admin}");
        }
    }
}
