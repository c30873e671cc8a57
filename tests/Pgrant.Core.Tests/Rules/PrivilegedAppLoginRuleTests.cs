using static Pgrant.Tests.Shared.PrivilegedAppLoginFixes;

namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR008 on in-memory snapshots; the same worlds run on real servers in the integration tests' PrivilegedAppLoginTests.</summary>
public sealed class PrivilegedAppLoginRuleTests
{
    private static readonly PrivilegedAppLogin Rule = new();

    private const string OwnerWhy = "an owner passes every privilege check and may ALTER, DROP or TRUNCATE them.";

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Finds_superuser_bypassrls_and_owner_logins(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("su", superuser: true, bypassRls: true);
        b.Role("byp", bypassRls: true);
        var own = b.Role("own");
        var owners = b.Role("owners", login: false);
        b.Grant(owners, b.Role("heir"));
        var app = b.Schema("app", b.Bootstrap);
        var pub = b.PublicSchema();
        b.Relation(app, "b", own);
        b.Relation(app, "a", own);
        b.Relation(pub, "c", owners);

        var findings = Run(Rule, b.Build(), ["su", "byp", "own", "owners", "heir"]);

        AssertFindings(findings,
            new Shape("PGR008", "app", "schema", "own", Severity.Warning,
                $"login role own owns 2 relations in schema app (a, b): {OwnerWhy}", OwnerFix("app", "own")),
            new Shape("PGR008", "byp", "role", "byp", Severity.Warning,
                "login role byp has BYPASSRLS: every row-security policy is ignored for it.", AttributeFix("byp", "ALTER ROLE byp NOBYPASSRLS;")),
            new Shape("PGR008", "public", "schema", "heir", Severity.Warning,
                $"login role heir has the privileges of the owner (owners) of 1 relation in schema public (c): {OwnerWhy}", OwnerFix("public", "heir")),
            new Shape("PGR008", "su", "role", "su", Severity.Warning,
                "login role su is a superuser: no GRANT, REVOKE or row-security policy limits it, and it can read server files and run programs.",
                AttributeFix("su", "ALTER ROLE su NOSUPERUSER NOBYPASSRLS;")));
        Assert.Null(findings[1].Schema);
        Assert.Null(findings[3].Schema);
    }

    [Fact]
    public void Lists_five_relation_names_and_counts_the_rest()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var own = b.Role("own");
        var app = b.Schema("app", b.Bootstrap);
        foreach (var name in new[] { "g", "f", "e", "d", "c", "b", "a", "Order" })
            b.Relation(app, name, own);

        AssertSingle(Run(Rule, b.Build(), ["own"]), new Shape("PGR008", "app", "schema", "own", Severity.Warning,
            $"login role own owns 8 relations in schema app (\"Order\", a, b, c, d and 3 more): {OwnerWhy}", OwnerFix("app", "own")));
    }

    [Fact]
    public void Without_roles_looks_at_every_login_superuser_but_the_bootstrap_one()
    {
        var b = new SnapshotBuilder(15).WithBootstrap();
        b.Role("su", superuser: true);
        b.Role("app");

        AssertSingle(Run(Rule, b.Build(), []), new Shape("PGR008", "su", "role", "su", Severity.Warning,
            "login role su is a superuser: no GRANT, REVOKE or row-security policy limits it, and it can read server files and run programs.",
            AttributeFix("su", "ALTER ROLE su NOSUPERUSER;")));
    }

    [Fact]
    public void The_bootstrap_superuser_is_reported_when_named()
    {
        var b = new SnapshotBuilder(15).WithBootstrap();

        AssertSingle(Run(Rule, b.Build(), ["postgres"]), new Shape("PGR008", "postgres", "role", "postgres", Severity.Warning,
            "login role postgres is a superuser: no GRANT, REVOKE or row-security policy limits it, and it can read server files and run programs.",
            AttributeFix("postgres", "ALTER ROLE postgres NOSUPERUSER NOBYPASSRLS;")));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_for_plain_logins_with_grants_and_for_nologin_superusers(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("app");
        b.Role("admin", superuser: true, login: false);
        var pub = b.PublicSchema();
        b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,app=arwdDxt/postgres}");
        b.Relation(pub, "mine", b.RoleOid("admin"));

        Assert.Empty(Run(Rule, b.Build(), ["app", "admin"]));
    }
}
