namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR006 on in-memory snapshots; the same worlds run on real servers in the integration tests' BroadSequenceGrantTests.</summary>
public sealed class BroadSequenceGrantRuleTests
{
    private static readonly BroadSequenceGrant Rule = new();

    private const string Why = "UPDATE allows setval(), which can rewind the sequence into keys already used (duplicate-key errors on the next inserts); nextval() needs only USAGE.";

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Finds_update_on_serial_and_identity_sequences_granting_usage_first_where_it_is_missing(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("app");
        var group = b.Role("grp", login: false);
        b.Grant(group, b.Role("member"));
        var pub = b.PublicSchema();
        var orders = b.Relation(pub, "orders", b.Bootstrap, "{postgres=arwdDxt/postgres,app=ar/postgres,grp=ar/postgres}", columns: [("id", null), ("note", null)]);
        b.Sequence(pub, "orders_id_seq", b.Bootstrap, "{postgres=rwU/postgres,app=rwU/postgres}", serialOf: (orders, "id"));
        var items = b.Relation(pub, "items", b.Bootstrap, "{postgres=arwdDxt/postgres,app=ar/postgres,grp=ar/postgres}", columns: [("id", null), ("note", null)]);
        b.SetColumn(items, "id", c => c with { TypeName = "bigint" });
        b.IdentitySequence(pub, "items_id_seq", (items, "id"), "{postgres=rwU/postgres,grp=w/postgres}");

        AssertFindings(Run(Rule, b.Build(), ["app", "member"]),
            new Shape("PGR006", "public.items_id_seq", "sequence", "grp", Severity.Warning,
                $"grp, inherited by member may UPDATE sequence public.items_id_seq, which feeds the identity column public.items.id: {Why}",
                "GRANT USAGE ON SEQUENCE public.items_id_seq TO grp;\nREVOKE UPDATE ON SEQUENCE public.items_id_seq FROM grp;"),
            new Shape("PGR006", "public.orders_id_seq", "sequence", "app", Severity.Warning,
                $"app may UPDATE sequence public.orders_id_seq, which feeds the serial column public.orders.id: {Why}",
                "REVOKE UPDATE ON SEQUENCE public.orders_id_seq FROM app;"));
    }

    [Fact]
    public void Revokes_as_the_grantor_when_the_owner_did_not_grant_it_and_warns_about_passed_on_grants()
    {
        // GRANT USAGE, UPDATE … TO lead WITH GRANT OPTION; as lead: GRANT UPDATE … TO app WITH GRANT OPTION; as app: GRANT UPDATE … TO helper.
        var b = new SnapshotBuilder(16).WithBootstrap();
        b.Role("lead", login: false);
        b.Role("app");
        b.Role("helper");
        var pub = b.PublicSchema();
        var t = b.Relation(pub, "t", b.Bootstrap, columns: [("id", null)]);
        b.Sequence(pub, "t_id_seq", b.Bootstrap, "{postgres=rwU/postgres,lead=w*U*/postgres,app=w*/lead,helper=w/app}", serialOf: (t, "id"));

        AssertFindings(Run(Rule, b.Build(), ["app", "helper"]),
            new Shape("PGR006", "public.t_id_seq", "sequence", "app", Severity.Warning,
                $"app may UPDATE sequence public.t_id_seq, which feeds the serial column public.t.id: {Why}",
                "GRANT USAGE ON SEQUENCE public.t_id_seq TO app;\n" +
                "SET ROLE lead;\nREVOKE UPDATE ON SEQUENCE public.t_id_seq FROM app;\nRESET ROLE;\n" +
                "-- caution: app granted some of these on WITH GRANT OPTION: the REVOKE fails while those grants exist; " +
                "add CASCADE to also revoke them from those roles, or re-grant them first from the owner."),
            new Shape("PGR006", "public.t_id_seq", "sequence", "helper", Severity.Warning,
                $"helper may UPDATE sequence public.t_id_seq, which feeds the serial column public.t.id: {Why}",
                "GRANT USAGE ON SEQUENCE public.t_id_seq TO helper;\nSET ROLE app;\nREVOKE UPDATE ON SEQUENCE public.t_id_seq FROM helper;\nRESET ROLE;"));
    }

    [Fact]
    public void Update_for_public_on_a_column_default_is_reported_without_a_role()
    {
        var b = new SnapshotBuilder(13).WithBootstrap();
        b.Role("app");
        var pub = b.PublicSchema();
        var c = b.Relation(pub, "c", b.Bootstrap, columns: [("id", null)]);
        var seq = b.Sequence(pub, "free_seq", b.Bootstrap, "{postgres=rwU/postgres,=rwU/postgres}", dataType: "bigint");
        b.UseDefault(seq, c, "id");

        AssertSingle(Run(Rule, b.Build(), ["app"]), new Shape("PGR006", "public.free_seq", "sequence", null, Severity.Warning,
            $"every role (PUBLIC) may UPDATE sequence public.free_seq, which feeds the column default public.c.id: {Why}",
            "REVOKE UPDATE ON SEQUENCE public.free_seq FROM PUBLIC;"));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_for_usage_owners_superusers_and_free_standing_sequences(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("app");
        var owner = b.Role("owner");
        b.Role("admin", superuser: true);
        var pub = b.PublicSchema();
        var t = b.Relation(pub, "t", b.Bootstrap, columns: [("id", null)]);
        b.Sequence(pub, "t_id_seq", b.Bootstrap, "{postgres=rwU/postgres,app=rU/postgres,admin=rwU/postgres}", serialOf: (t, "id"));
        b.Sequence(pub, "counter", b.Bootstrap, "{postgres=rwU/postgres,app=rwU/postgres}");
        var owned = b.Relation(pub, "owned", owner, columns: [("id", null)]);
        b.Sequence(pub, "owned_id_seq", owner, "{owner=rwU/owner}", serialOf: (owned, "id"));

        Assert.Empty(Run(Rule, b.Build(), ["app", "owner", "admin"]));
    }
}
