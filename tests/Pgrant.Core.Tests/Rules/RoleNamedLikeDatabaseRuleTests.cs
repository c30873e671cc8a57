namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR013 on in-memory snapshots; the same worlds run on real servers in the integration tests' RoleNamedLikeDatabaseTests.</summary>
public sealed class RoleNamedLikeDatabaseRuleTests
{
    private static readonly RoleNamedLikeDatabase Rule = new();

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Reports_a_role_that_shares_its_name_with_a_database(int major)
    {
        // The seed: login role sdc, database sdc.
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("sdc");
        b.Database("sdc", b.Bootstrap);

        var f = AssertSingle(Run(Rule, b.Build(), ["sdc"]), new Shape("PGR013", "sdc", "database", "sdc", Severity.Info,
            "role sdc and database sdc share a name: a connection as sdc without a database name lands in database sdc, " +
            "and grants, errors and scripts that mention the name are easy to misread.",
            "-- advice: consider a distinct name (every connection string that names the database must change with it), e.g.:\n" +
            "--   ALTER DATABASE sdc RENAME TO sdc_db;"));
        Assert.Null(f.Schema);
    }

    [Fact]
    public void Looks_at_every_database_of_the_cluster_and_quotes_names()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        b.Role("Sales Team", login: false);
        b.Database("Sales Team", b.Bootstrap, current: false);
        b.Database("app", b.Bootstrap);

        var f = AssertSingle(Run(Rule, b.Build(), []), new Shape("PGR013", "\"Sales Team\"", "database", "Sales Team", Severity.Info,
            "role Sales Team and database Sales Team share a name: a connection as Sales Team without a database name lands in database Sales Team, " +
            "and grants, errors and scripts that mention the name are easy to misread.",
            "-- advice: consider a distinct name (every connection string that names the database must change with it), e.g.:\n" +
            "--   ALTER DATABASE \"Sales Team\" RENAME TO \"Sales Team_db\";"));
        Assert.Equal("app", f.Database);
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_when_names_differ_for_superusers_and_for_roles_outside_the_audit(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("app");
        b.Role("sdc");
        b.Database("postgres", b.Bootstrap, current: false);
        b.Database("sdc", b.Bootstrap, current: false);
        b.Database("shop", b.Bootstrap);
        var snapshot = b.Build();

        Assert.Empty(Run(Rule, snapshot, ["app"]));
        Assert.Single(Run(Rule, snapshot, []));
    }
}
