namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR014 on in-memory snapshots; the same worlds run on real servers in the integration tests' UninheritableGrantTests.</summary>
public sealed class UninheritableGrantRuleTests
{
    private static readonly UninheritableGrant Rule = new();

    /// <summary>13–15: CREATE ROLE member NOINHERIT; GRANT grp TO member. 16+: GRANT grp TO member WITH INHERIT FALSE.</summary>
    private static SnapshotBuilder World(int major, bool set = true)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var group = b.Role("grp", login: false);
        if (major >= 16) b.Grant(group, b.Role("member"), inherit: false, set: set);
        else b.Grant(group, b.Role("member", inherit: false));
        var s = b.Schema("s", b.Bootstrap, "{postgres=UC/postgres,grp=U/postgres}");
        b.Relation(s, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,grp=r/postgres}");
        return b;
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Reports_group_privileges_a_member_cannot_inherit_with_the_fix_of_its_version(int major)
    {
        var reason = major >= 16 ? "the grant of grp to member (by postgres) was made WITH INHERIT FALSE" : "member has NOINHERIT";
        var fix = major >= 16
            ? "GRANT grp TO member WITH INHERIT TRUE;"
            : "-- advice: member has NOINHERIT (a deliberate, role-wide setting): its sessions get these privileges after SET ROLE grp; " +
              "if it should use them without SET ROLE (this changes every membership it has):\n" +
              "--   ALTER ROLE member INHERIT;";

        var f = AssertSingle(Run(Rule, World(major).Build(), ["member"]), new Shape("PGR014", "grp", "role", "member", Severity.Warning,
            $"member is a member of grp (member → grp) but does not inherit its privileges: {reason}. " +
            "grp holds USAGE on 1 schema, SELECT on 1 table (e.g. s, s.t) that member holds by no other way, so its statements on them are denied " +
            "unless it runs SET ROLE grp first.",
            fix));
        Assert.Null(f.Schema);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(18)]
    public void From_16_says_when_set_role_is_not_allowed_either(int major)
    {
        AssertSingle(Run(Rule, World(major, set: false).Build(), ["member"]), new Shape("PGR014", "grp", "role", "member", Severity.Warning,
            "member is a member of grp (member → grp) but does not inherit its privileges: the grant of grp to member (by postgres) was made WITH INHERIT FALSE. " +
            "grp holds USAGE on 1 schema, SELECT on 1 table (e.g. s, s.t) that member holds by no other way, so its statements on them are denied " +
            "(it may not SET ROLE grp either: a grant on the way has SET FALSE).",
            "GRANT grp TO member WITH INHERIT TRUE;"));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void The_noinherit_attribute_breaks_inheritance_on_13_to_15_only(int major)
    {
        // CREATE ROLE member NOINHERIT; GRANT grp TO member WITH INHERIT TRUE (on 16+ the grant decides; before, the attribute).
        var b = new SnapshotBuilder(major).WithBootstrap();
        var group = b.Role("grp", login: false);
        b.Grant(group, b.Role("member", inherit: false), inherit: true);
        var s = b.Schema("s", b.Bootstrap, "{postgres=UC/postgres,grp=U/postgres}");
        b.Relation(s, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,grp=r/postgres}");

        var findings = Run(Rule, b.Build(), ["member"]);

        if (major >= 16) Assert.Empty(findings);
        else Assert.Equal(("grp", "member"), (Assert.Single(findings).Object, findings[0].Role));
    }

    [Fact]
    public void Names_the_broken_link_of_a_longer_path_and_counts_the_database()
    {
        // member → mid (inherits) → grp (WITH INHERIT FALSE); grp holds CONNECT on shop, SELECT on s.t.
        var b = new SnapshotBuilder(16).WithBootstrap();
        var group = b.Role("grp", login: false);
        var mid = b.Role("mid", login: false);
        b.Grant(mid, b.Role("member"));
        b.Grant(group, mid, inherit: false, grantor: b.Role("lead", login: false));
        b.Database("shop", b.Bootstrap, "{postgres=CTc/postgres,grp=c/postgres}");
        var s = b.Schema("s", b.Bootstrap, "{postgres=UC/postgres,=U/postgres}");
        b.Relation(s, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,grp=r/postgres}");

        AssertSingle(Run(Rule, b.Build(), ["member"]), new Shape("PGR014", "grp", "role", "member", Severity.Warning,
            "member is a member of grp (member → mid → grp) but does not inherit its privileges: the grant of grp to mid (by lead) was made WITH INHERIT FALSE. " +
            "grp holds CONNECT on 1 database, SELECT on 1 table (e.g. s.t, shop) that member holds by no other way, so its statements on them are denied " +
            "unless it runs SET ROLE grp first.",
            "GRANT grp TO mid WITH INHERIT TRUE;"));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_when_the_member_inherits_or_holds_the_privileges_another_way(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var group = b.Role("grp", login: false);
        var other = b.Role("other", login: false);
        b.Grant(group, b.Role("inheriting"));
        var covered = major >= 16 ? b.Role("covered") : b.Role("covered", inherit: false);
        b.Grant(group, covered, inherit: false);
        b.Grant(other, covered);
        var s = b.Schema("s", b.Bootstrap, "{postgres=UC/postgres,grp=U/postgres,covered=U/postgres}");
        b.Relation(s, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,grp=r/postgres,=r/postgres}");

        // covered has USAGE itself and SELECT through PUBLIC; "other" holds nothing anywhere.
        Assert.Empty(Run(Rule, b.Build(), ["inheriting", "covered"]));
    }

    [Fact]
    public void Column_grants_held_by_the_group_are_not_counted()
    {
        // Current behaviour, pinned so a change is deliberate: the group's column-level grants are not walked,
        // so a member that cannot inherit GRANT SELECT (a) ON s.t TO grp is not reported (a suspected false negative).
        var b = new SnapshotBuilder(16).WithBootstrap();
        var group = b.Role("grp", login: false);
        b.Grant(group, b.Role("member"), inherit: false);
        var s = b.Schema("s", b.Bootstrap, "{postgres=UC/postgres,=U/postgres}");
        b.Relation(s, "t", b.Bootstrap, "{postgres=arwdDxt/postgres}", columns: [("a", "{grp=r/postgres}")]);

        Assert.Empty(Run(Rule, b.Build(), ["member"]));
    }
}
