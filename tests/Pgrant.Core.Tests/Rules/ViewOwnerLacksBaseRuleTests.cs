namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR016 on in-memory snapshots; the same worlds run on real servers in the integration tests' ViewOwnerLacksBaseTests.</summary>
public sealed class ViewOwnerLacksBaseRuleTests
{
    private static readonly ViewOwnerLacksBase Rule = new();

    private const string Denied = "is denied (\"permission denied for table …\") although granted the view.";

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Finds_view_owners_without_base_privileges_column_by_column_and_for_writes(int major)
    {
        // v: SELECT b.id, b.label FROM base b JOIN other o USING (id); vc: SELECT count(*) FROM base; w: SELECT id, label FROM base.
        var b = new SnapshotBuilder(major).WithBootstrap();
        var owner = b.Role("vowner", login: false);
        b.Role("reader");
        var pub = b.PublicSchema();
        var @base = b.Relation(pub, "base", b.Bootstrap, columns: [("id", null), ("secret", null), ("label", null)]);
        var other = b.Relation(pub, "other", b.Bootstrap, "{postgres=arwdDxt/postgres,vowner=r/postgres}", columns: [("id", null)]);
        b.View(pub, "v", owner, "{vowner=arwdDxt/vowner,reader=r/vowner}", reads: [(@base, "id"), (@base, "label"), (other, "id")]);
        b.View(pub, "vc", owner, "{vowner=arwdDxt/vowner,reader=r/vowner}", reads: [(@base, null)]);
        b.View(pub, "w", owner, "{vowner=arwdDxt/vowner,reader=ar/vowner}", reads: [(@base, "id"), (@base, "label")]);

        AssertFindings(Run(Rule, b.Build(), ["reader"]),
            new Shape("PGR016", "public.v", "view", "vowner", Severity.Error,
                $"view public.v reads public.base, public.other with the privileges of its owner vowner, who lacks SELECT on columns id, label of public.base: reader {Denied}",
                "GRANT SELECT (id, label) ON TABLE public.base TO vowner;"),
            new Shape("PGR016", "public.vc", "view", "vowner", Severity.Error,
                $"view public.vc reads public.base with the privileges of its owner vowner, who lacks SELECT on public.base: reader {Denied}",
                "GRANT SELECT ON TABLE public.base TO vowner;"),
            new Shape("PGR016", "public.w", "view", "vowner", Severity.Error,
                $"view public.w reads public.base with the privileges of its owner vowner, who lacks SELECT on columns id, label of public.base; INSERT on public.base: reader {Denied}",
                "GRANT SELECT (id, label) ON TABLE public.base TO vowner;\nGRANT INSERT ON TABLE public.base TO vowner;"));
    }

    [Fact]
    public void Lists_every_denied_role_and_checks_delete_on_an_updatable_view()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var owner = b.Role("vowner", login: false);
        b.Role("reader");
        b.Role("purger");
        var pub = b.PublicSchema();
        var @base = b.Relation(pub, "base", b.Bootstrap, "{postgres=arwdDxt/postgres,vowner=r/postgres}", columns: [("id", null)]);
        b.View(pub, "w", owner, "{vowner=arwdDxt/vowner,reader=r/vowner,purger=rd/vowner}", reads: [(@base, "id")]);

        AssertSingle(Run(Rule, b.Build(), ["reader", "purger"]), new Shape("PGR016", "public.w", "view", "vowner", Severity.Error,
            "view public.w reads public.base with the privileges of its owner vowner, who lacks DELETE on public.base: purger, reader " +
            "are denied (\"permission denied for table …\") although granted the view.",
            "GRANT DELETE ON TABLE public.base TO vowner;"));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Security_invoker_views_are_checked_as_the_querying_role_from_15_on(int major)
    {
        // CREATE VIEW vi WITH (security_invoker = true) AS SELECT id FROM base (15+; 13/14 have no such option, so the view is the owner's);
        // ALTER VIEW vi OWNER TO vowner; GRANT SELECT ON vi TO readers.
        var b = new SnapshotBuilder(major).WithBootstrap();
        var owner = b.Role("vowner", login: false);
        var group = b.Role("readers", login: false);
        b.Grant(group, b.Role("reader"));
        var pub = b.PublicSchema();
        var @base = b.Relation(pub, "base", b.Bootstrap, columns: [("id", null), ("label", null)]);
        b.View(pub, "vi", owner, "{vowner=arwdDxt/vowner,readers=r/vowner}", securityInvoker: major >= 15, reads: [(@base, "id")]);

        var expected = major >= 15
            ? new Shape("PGR016", "public.vi", "view", "reader", Severity.Error,
                "view public.vi is security_invoker: it reads public.base with the privileges of the querying role, and reader (through readers, which the fix targets), " +
                "granted the view, lacks SELECT on column id of public.base: its queries of the view are denied.",
                "GRANT SELECT (id) ON TABLE public.base TO readers;")
            : new Shape("PGR016", "public.vi", "view", "vowner", Severity.Error,
                $"view public.vi reads public.base with the privileges of its owner vowner, who lacks SELECT on column id of public.base: reader {Denied}",
                "GRANT SELECT (id) ON TABLE public.base TO vowner;");
        AssertSingle(Run(Rule, b.Build(), ["reader"]), expected);
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_when_owners_hold_the_base_privileges_or_nobody_audited_uses_the_view(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var tableOwner = b.Role("towner", login: false);
        var columnOwner = b.Role("cowner", login: false);
        b.Role("reader");
        var pub = b.PublicSchema();
        var @base = b.Relation(pub, "base", b.Bootstrap, "{postgres=arwdDxt/postgres,towner=r/postgres}",
            columns: [("id", null), ("label", "{cowner=r/postgres,reader=r/postgres}")]);
        b.View(pub, "by_base_owner", b.Bootstrap, "{postgres=arwdDxt/postgres,reader=r/postgres}", reads: [(@base, "id")]);
        b.View(pub, "by_granted_owner", tableOwner, "{towner=arwdDxt/towner,reader=r/towner}", reads: [(@base, "id"), (@base, "label")]);
        b.View(pub, "by_column_owner", columnOwner, "{cowner=arwdDxt/cowner,reader=r/cowner}", reads: [(@base, "label")]);
        b.View(pub, "count_by_column_owner", columnOwner, "{cowner=arwdDxt/cowner,reader=r/cowner}", reads: [(@base, null)]);
        b.View(pub, "unused", columnOwner, reads: [(@base, "id")]);
        // An invoker view reads as the querying role, who may read label itself; its owner's privileges do not matter.
        if (major >= 15)
            b.View(pub, "invoker_reader_may", columnOwner, "{cowner=arwdDxt/cowner,reader=r/cowner}", securityInvoker: true, reads: [(@base, "label")]);

        Assert.Empty(Run(Rule, b.Build(), ["reader"]));
    }
}
