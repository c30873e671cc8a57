namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR001 on in-memory snapshots; the same worlds run on real servers in the integration tests' SequenceUsageMissingTests.</summary>
public sealed class SequenceUsageMissingRuleTests
{
    private static readonly SequenceUsageMissing Rule = new();

    private static string GrantAll(int major) => major >= 17 ? "arwdDxtm" : "arwdDxt";

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Finds_the_seed_error_grant_all_on_a_serial_table_without_usage_on_its_sequence(int major)
    {
        // CREATE TABLE descriptions (id serial PRIMARY KEY, product_id integer); GRANT ALL ON descriptions TO app;
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("app");
        var pub = b.PublicSchema();
        var t = b.Relation(pub, "descriptions", b.Bootstrap, $"{{postgres={GrantAll(major)}/postgres,app={GrantAll(major)}/postgres}}",
            columns: [("id", null), ("product_id", null)]);
        b.Sequence(pub, "descriptions_id_seq", b.Bootstrap, "{postgres=rwU/postgres}", serialOf: (t, "id"));

        var f = AssertSingle(Run(Rule, b.Build(), ["app"]), new Shape("PGR001", "public.descriptions_id_seq", "sequence", "app", Severity.Error,
            "app may INSERT into public.descriptions but cannot call nextval() on public.descriptions_id_seq, which the default of column id calls: " +
            "every INSERT that leaves id out fails with \"permission denied for sequence descriptions_id_seq\".",
            "GRANT USAGE ON SEQUENCE public.descriptions_id_seq TO app;"));
        Assert.Equal(("public", "app"), (f.Schema, f.Database));
    }

    [Fact]
    public void Targets_the_group_that_holds_insert_and_quotes_hostile_names()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var group = b.Role("grp \"rw\"", login: false);
        var member = b.Role("member");
        b.Grant(group, member);
        var s = b.Schema("App Data", b.Bootstrap, """{postgres=UC/postgres,"\"grp \"\"rw\"\"\"=U/postgres"}""");
        var t = b.Relation(s, "order", b.Bootstrap, """{postgres=arwdDxt/postgres,"\"grp \"\"rw\"\"\"=a/postgres"}""", columns: [("id", null), ("note", null)]);
        b.Sequence(s, "order_id_seq", b.Bootstrap, "{postgres=rwU/postgres}", serialOf: (t, "id"), dataType: "bigint");

        AssertSingle(Run(Rule, b.Build(), ["member"]), new Shape("PGR001", "\"App Data\".order_id_seq", "sequence", "member", Severity.Error,
            "member may INSERT into \"App Data\".\"order\" (through grp \"rw\", which the fix targets) but cannot call nextval() on \"App Data\".order_id_seq, " +
            "which the default of column id calls: every INSERT that leaves id out fails with \"permission denied for sequence order_id_seq\".",
            "GRANT USAGE ON SEQUENCE \"App Data\".order_id_seq TO \"grp \"\"rw\"\"\";"));
    }

    [Fact]
    public void Column_level_insert_on_another_column_counts_as_insert()
    {
        // GRANT INSERT (note) ON t TO app: an INSERT naming only note leaves id to its default.
        var b = new SnapshotBuilder(15).WithBootstrap();
        b.Role("app");
        var pub = b.PublicSchema();
        var t = b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres}", columns: [("id", null), ("note", "{app=a/postgres}")]);
        b.Sequence(pub, "t_id_seq", b.Bootstrap, "{postgres=rwU/postgres}", serialOf: (t, "id"));

        AssertSingle(Run(Rule, b.Build(), ["app"]), new Shape("PGR001", "public.t_id_seq", "sequence", "app", Severity.Error,
            "app may INSERT into public.t but cannot call nextval() on public.t_id_seq, which the default of column id calls: " +
            "every INSERT that leaves id out fails with \"permission denied for sequence t_id_seq\".",
            "GRANT USAGE ON SEQUENCE public.t_id_seq TO app;"));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_for_identity_columns_for_roles_with_usage_or_update_and_for_readers(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("writer");
        b.Role("reader");
        b.Role("updater");
        var pub = b.PublicSchema();
        var identity = b.Relation(pub, "with_identity", b.Bootstrap, "{postgres=arwdDxt/postgres,writer=ar/postgres,reader=r/postgres}",
            columns: [("id", null), ("v", null)]);
        b.IdentitySequence(pub, "with_identity_id_seq", (identity, "id"), "{postgres=rwU/postgres}");
        var serial = b.Relation(pub, "with_serial", b.Bootstrap, "{postgres=arwdDxt/postgres,writer=ar/postgres,reader=r/postgres,updater=a/postgres}",
            columns: [("id", null), ("v", null)]);
        b.Sequence(pub, "with_serial_id_seq", b.Bootstrap, "{postgres=rwU/postgres,writer=U/postgres,updater=w/postgres}", serialOf: (serial, "id"));

        Assert.Empty(Run(Rule, b.Build(), ["writer", "reader", "updater"]));
    }

    [Fact]
    public void Stays_silent_for_tables_outside_the_audited_schemas()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        b.Role("app");
        var pub = b.PublicSchema();
        var other = b.Schema("other", b.Bootstrap, "{postgres=UC/postgres,app=U/postgres}");
        var t = b.Relation(other, "t", b.Bootstrap, "{postgres=arwdDxt/postgres,app=a/postgres}", columns: [("id", null)]);
        b.Sequence(other, "t_id_seq", b.Bootstrap, "{postgres=rwU/postgres}", serialOf: (t, "id"));
        var snapshot = b.Build();

        Assert.Empty(Run(Rule, snapshot, ["app"], [pub.Name]));
        Assert.Single(Run(Rule, snapshot, ["app"], ["other"]));
    }
}
