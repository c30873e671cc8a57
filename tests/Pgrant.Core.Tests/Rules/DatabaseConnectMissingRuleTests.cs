namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR003 on in-memory snapshots; the same worlds run on real servers in the integration tests' DatabaseConnectMissingTests.</summary>
public sealed class DatabaseConnectMissingRuleTests
{
    private static readonly DatabaseConnectMissing Rule = new();

    /// <summary>
    /// REVOKE CONNECT ON DATABASE shop FROM PUBLIC (with <paramref name="revoked"/>); direct holds SELECT
    /// on t and USAGE on sequence s, grp SELECT on t, member inherits grp, idle holds nothing.
    /// </summary>
    private static SnapshotBuilder World(int major, bool revoked = true, bool allowConnections = true)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("direct");
        var group = b.Role("grp", login: false);
        b.Grant(group, b.Role("member"));
        b.Role("idle");
        b.Database("shop", b.Bootstrap, revoked ? "{postgres=CTc/postgres}" : null, allowConnections: allowConnections);
        var pub = b.PublicSchema();
        b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,direct=r/postgres,grp=r/postgres}");
        b.Sequence(pub, "s", b.Bootstrap, "{postgres=rwU/postgres,direct=U/postgres}");
        return b;
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Reports_login_roles_with_grants_here_but_no_connect(int major)
    {
        var findings = Run(Rule, World(major).Build(), ["direct", "member", "idle"]);

        AssertFindings(findings,
            new Shape("PGR003", "shop", "database", "direct", Severity.Error,
                "direct holds privileges on 2 objects in database shop (e.g. public.s, public.t) but may not CONNECT to it: every connection fails with " +
                "\"permission denied for database \"shop\"\" (User does not have CONNECT privilege).",
                "GRANT CONNECT ON DATABASE shop TO direct;"),
            new Shape("PGR003", "shop", "database", "member", Severity.Error,
                "member holds privileges on 1 object in database shop through grp (which the fix targets) (e.g. public.t) but may not CONNECT to it: " +
                "every connection fails with \"permission denied for database \"shop\"\" (User does not have CONNECT privilege).",
                "GRANT CONNECT ON DATABASE shop TO grp;"));
        Assert.All(findings, f => Assert.Null(f.Schema));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_while_public_may_connect_or_the_database_takes_no_connections(int major)
    {
        Assert.Empty(Run(Rule, World(major, revoked: false).Build(), ["direct", "member", "idle"]));
        Assert.Empty(Run(Rule, World(major, allowConnections: false).Build(), ["direct", "member", "idle"]));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_when_connect_is_granted_or_held_by_an_uninherited_group(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("granted");
        var group = b.Role("grp", login: false);
        b.Grant(group, b.Role("noinherit", inherit: false));
        b.Database("shop", b.Bootstrap, "{postgres=CTc/postgres,granted=c/postgres,grp=c/postgres}");
        var pub = b.PublicSchema();
        b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,granted=r/postgres,noinherit=r/postgres}");

        // noinherit's way in is the group it does not inherit from, which PGR014 reports.
        Assert.Empty(Run(Rule, b.Build(), ["granted", "noinherit"]));
    }

    [Fact]
    public void Nologin_roles_are_not_reported_and_predefined_roles_do_not_count()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var reader = b.Role("reader");
        b.Grant(b.RoleOid("pg_read_all_data"), reader);
        b.Role("batch", login: false);
        b.Database("shop", b.Bootstrap, "{postgres=CTc/postgres}");
        var pub = b.PublicSchema();
        b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,batch=r/postgres}");

        Assert.Empty(Run(Rule, b.Build(), ["reader", "batch"]));
    }

    [Fact]
    public void Column_grants_alone_are_not_counted()
    {
        // Current behaviour, pinned so a change is deliberate: a login whose only grant here is column-level
        // (GRANT SELECT (a) ON t) is not reported, although it cannot connect to use it (a suspected false negative).
        var b = new SnapshotBuilder(16).WithBootstrap();
        b.Role("app");
        b.Database("shop", b.Bootstrap, "{postgres=CTc/postgres}");
        var pub = b.PublicSchema();
        b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres}", columns: [("a", "{app=r/postgres}")]);

        Assert.Empty(Run(Rule, b.Build(), ["app"]));
    }
}
