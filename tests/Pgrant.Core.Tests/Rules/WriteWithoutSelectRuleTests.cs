namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR005 on in-memory snapshots; the same worlds run on real servers in the integration tests' WriteWithoutSelectTests.</summary>
public sealed class WriteWithoutSelectRuleTests
{
    private static readonly WriteWithoutSelect Rule = new();

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Finds_update_or_delete_without_select_and_insert_without_select_on_the_key(int major)
    {
        // CREATE TABLE t (id serial PRIMARY KEY, a integer); GRANT UPDATE TO writer, DELETE TO grp, INSERT (+ USAGE on the sequence) TO inserter.
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("writer");
        var group = b.Role("grp", login: false);
        b.Grant(group, b.Role("member"));
        b.Role("inserter");
        var pub = b.PublicSchema();
        var t = b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,writer=w/postgres,grp=d/postgres,inserter=a/postgres}", columns: [("id", null), ("a", null)]);
        b.Sequence(pub, "t_id_seq", b.Bootstrap, "{postgres=rwU/postgres,inserter=U/postgres}", serialOf: (t, "id"));

        AssertFindings(Run(Rule, b.Build(), ["writer", "member", "inserter"]),
            new Shape("PGR005", "public.t", "table", "member", Severity.Warning,
                "member may DELETE on public.t (through grp, which the fix targets) but may SELECT no column of it: every UPDATE or DELETE with a WHERE clause " +
                "(or RETURNING) reads columns and fails with \"permission denied for table t\"; only statements on all rows work.",
                "GRANT SELECT ON TABLE public.t TO grp;"),
            new Shape("PGR005", "public.t", "table", "writer", Severity.Warning,
                "writer may UPDATE on public.t but may SELECT no column of it: every UPDATE or DELETE with a WHERE clause (or RETURNING) reads columns " +
                "and fails with \"permission denied for table t\"; only statements on all rows work.",
                "GRANT SELECT ON TABLE public.t TO writer;"),
            new Shape("PGR005", "public.t", "table", "inserter", Severity.Info,
                "inserter may INSERT into public.t, whose id is generated, but may not SELECT it: INSERT … RETURNING id (the usual way to learn the new key) " +
                "fails with \"permission denied for table t\".",
                "GRANT SELECT (id) ON TABLE public.t TO inserter;"));
    }

    [Fact]
    public void Column_update_without_any_select_is_reported_with_its_column()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        b.Role("fixer");
        var pub = b.PublicSchema();
        b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres}", columns: [("id", null), ("status", "{fixer=w/postgres}")]);

        AssertSingle(Run(Rule, b.Build(), ["fixer"]), new Shape("PGR005", "public.t", "table", "fixer", Severity.Warning,
            "fixer may UPDATE (status) on public.t but may SELECT no column of it: every UPDATE or DELETE with a WHERE clause (or RETURNING) reads columns " +
            "and fails with \"permission denied for table t\"; only statements on all rows work.",
            "GRANT SELECT ON TABLE public.t TO fixer;"));
    }

    [Fact]
    public void Identity_keys_count_as_generated()
    {
        var b = new SnapshotBuilder(13).WithBootstrap();
        b.Role("inserter");
        var pub = b.PublicSchema();
        var t = b.Relation(pub, "events", b.Bootstrap, "{postgres=arwdDxt/postgres,inserter=a/postgres}", columns: [("id", null), ("at", null)]);
        b.IdentitySequence(pub, "events_id_seq", (t, "id"), identity: 'a');

        AssertSingle(Run(Rule, b.Build(), ["inserter"]), new Shape("PGR005", "public.events", "table", "inserter", Severity.Info,
            "inserter may INSERT into public.events, whose id is generated, but may not SELECT it: INSERT … RETURNING id (the usual way to learn the new key) " +
            "fails with \"permission denied for table events\".",
            "GRANT SELECT (id) ON TABLE public.events TO inserter;"));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_when_some_column_is_readable_or_the_key_is_not_generated(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("full");
        b.Role("keyreader");
        b.Role("plain");
        var pub = b.PublicSchema();
        var t = b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,full=arwd/postgres,keyreader=awd/postgres}",
            columns: [("id", "{keyreader=r/postgres}"), ("a", null)]);
        b.IdentitySequence(pub, "t_id_seq", (t, "id"));
        b.Relation(pub, "natural_key", b.Bootstrap, "{postgres=arwdDxt/postgres,plain=a/postgres}", columns: [("code", null)]);

        Assert.Empty(Run(Rule, b.Build(), ["full", "keyreader", "plain"]));
    }

    [Fact]
    public void Roles_that_write_only_through_pg_write_all_data_are_not_listed_table_by_table()
    {
        var b = new SnapshotBuilder(14).WithBootstrap();
        var etl = b.Role("etl");
        b.Grant(b.RoleOid("pg_write_all_data"), etl);
        var pub = b.PublicSchema();
        b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres}", columns: [("a", null)]);

        Assert.Empty(Run(Rule, b.Build(), ["etl"]));
    }
}
