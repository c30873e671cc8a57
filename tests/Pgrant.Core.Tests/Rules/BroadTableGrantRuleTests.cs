namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR007 on in-memory snapshots; the same worlds run on real servers in the integration tests' BroadTableGrantTests.</summary>
public sealed class BroadTableGrantRuleTests
{
    private static readonly BroadTableGrant Rule = new();

    private const string Why = "an application needs none of these, and they let it empty the table past triggers and row security, pin it with foreign keys, " +
        "run its own triggers or maintenance on it.";

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Finds_grant_all_and_revokes_maintain_too_from_17_on(int major)
    {
        // GRANT ALL ON t TO app (arwdDxt; arwdDxtm on 17+); GRANT SELECT, TRIGGER ON v TO app.
        var all = major >= 17 ? "arwdDxtm" : "arwdDxt";
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("app");
        var pub = b.PublicSchema();
        var t = b.Relation(pub, "t", b.Bootstrap, $"{{postgres={all}/postgres,app={all}/postgres}}", columns: [("id", null)]);
        b.View(pub, "v", b.Bootstrap, $"{{postgres={all}/postgres,app=rt/postgres}}", reads: [(t, "id")]);

        var bits = major >= 17 ? "TRUNCATE, REFERENCES, TRIGGER, MAINTAIN" : "TRUNCATE, REFERENCES, TRIGGER";
        AssertFindings(Run(Rule, b.Build(), ["app"]),
            new Shape("PGR007", "public.t", "table", "app", Severity.Warning,
                $"app may {bits} on table public.t (the entry holds every table privilege: a GRANT ALL): {Why}",
                $"REVOKE {bits} ON TABLE public.t FROM app;"),
            new Shape("PGR007", "public.v", "view", "app", Severity.Warning,
                $"app may TRIGGER on view public.v: {Why}",
                "REVOKE TRIGGER ON TABLE public.v FROM app;"));
    }

    [Fact]
    public void On_17_a_pre_17_grant_all_lacks_maintain_and_no_longer_looks_like_grant_all()
    {
        // An ACL carried over from 16 (arwdDxt) on a 17 server: every bit but MAINTAIN.
        var b = new SnapshotBuilder(17).WithBootstrap();
        b.Role("app");
        var pub = b.PublicSchema();
        b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxtm/postgres,app=arwdDxt/postgres}");

        AssertSingle(Run(Rule, b.Build(), ["app"]), new Shape("PGR007", "public.t", "table", "app", Severity.Warning,
            $"app may TRUNCATE, REFERENCES, TRIGGER on table public.t: {Why}",
            "REVOKE TRUNCATE, REFERENCES, TRIGGER ON TABLE public.t FROM app;"));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Revokes_from_the_group_as_the_grantor_that_granted_it(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("lead", login: false);
        var group = b.Role("grp", login: false);
        b.Grant(group, b.Role("member"));
        var pub = b.PublicSchema();
        b.Relation(pub, "t", b.Bootstrap, $"{{postgres={(major >= 17 ? "arwdDxtm" : "arwdDxt")}/postgres,lead=r*D*/postgres,grp=rD/lead}}");

        AssertSingle(Run(Rule, b.Build(), ["member"]), new Shape("PGR007", "public.t", "table", "grp", Severity.Warning,
            $"grp, inherited by member may TRUNCATE on table public.t: {Why}",
            "SET ROLE lead;\nREVOKE TRUNCATE ON TABLE public.t FROM grp;\nRESET ROLE;"));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_for_dml_grants_owners_and_sequences(int major)
    {
        var all = major >= 17 ? "arwdDxtm" : "arwdDxt";
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("app");
        var owner = b.Role("owner");
        var pub = b.PublicSchema();
        b.Relation(pub, "t", b.Bootstrap, $"{{postgres={all}/postgres,app=arwd/postgres}}");
        b.Relation(pub, "mine", owner, $"{{owner={all}/owner}}");
        b.Relation(pub, "m", b.Bootstrap, $"{{postgres={all}/postgres,app=r/postgres}}", kind: ObjectKind.MaterializedView);
        b.Sequence(pub, "s", b.Bootstrap, "{postgres=rwU/postgres,app=rwU/postgres}");

        Assert.Empty(Run(Rule, b.Build(), ["app", "owner"]));
    }
}
