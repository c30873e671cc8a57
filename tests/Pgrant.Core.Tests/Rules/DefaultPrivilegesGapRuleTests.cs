using Pgrant.Core.Catalog;

namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR004 on in-memory snapshots; the same worlds run on real servers in the integration tests' DefaultPrivilegesGapTests.</summary>
public sealed class DefaultPrivilegesGapRuleTests
{
    private static readonly DefaultPrivilegesGap Rule = new();

    private static string GrantAll(int major) => major >= 17 ? "arwdDxtm" : "arwdDxt";

    /// <summary>
    /// migrator created s.orders (serial id); app was granted SELECT, INSERT on the table and USAGE, SELECT
    /// on its sequence by hand.
    /// </summary>
    private static (SnapshotBuilder B, Schema S, uint Migrator) World(int major, string appOnTable = "ar", string appOnSequence = "rU", bool withGroup = false)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var migrator = b.Role("migrator");
        b.Role("app");
        b.Role("admin", login: false);
        var group = b.Role("grp", login: false);
        b.Grant(group, b.Role("reader"));
        var s = b.Schema("s", b.Bootstrap, "{postgres=UC/postgres,migrator=UC/postgres,app=U/postgres,grp=U/postgres}");
        var orders = b.Relation(s, "orders", migrator, $"{{migrator={GrantAll(major)}/migrator,app={appOnTable}/migrator{(withGroup ? ",grp=r/migrator" : "")}}}",
            columns: [("id", null), ("v", null)]);
        b.Sequence(s, "orders_id_seq", migrator, $"{{migrator=rwU/migrator,app={appOnSequence}/migrator}}", serialOf: (orders, "id"));
        return (b, s, migrator);
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Finds_defaults_for_the_wrong_creator_and_proposes_them_for_the_real_one(int major)
    {
        var (b, s, _) = World(major);
        // Run by admin: defaults for admin, who creates nothing in s.
        b.DefaultAcl(b.RoleOid("admin"), s, 'r', "{app=ar/admin}");

        AssertFindings(Run(Rule, b.Build(), ["app"]),
            new Shape("PGR004", "s", "schema", "app", Severity.Warning,
                "app holds INSERT, SELECT on 1 table (a new table would give it nothing) and SELECT, USAGE on 1 sequence (a new sequence would give it nothing) " +
                "that migrator created in schema s, but no default privileges for migrator give it that on the next ones: after the next migration by migrator, " +
                "statements on the new objects fail with \"permission denied\".",
                "ALTER DEFAULT PRIVILEGES FOR ROLE migrator IN SCHEMA s GRANT INSERT, SELECT ON TABLES TO app;\n" +
                "ALTER DEFAULT PRIVILEGES FOR ROLE migrator IN SCHEMA s GRANT USAGE ON SEQUENCES TO app;"),
            new Shape("PGR004", "s", "schema", "admin", Severity.Info,
                "default privileges ON TABLES for admin in schema s never apply: they cover only objects admin creates, and admin owns no table or sequence in schema s; " +
                "the objects there are owned (created) by migrator.",
                "-- advice: default privileges follow the creator: define them FOR ROLE migrator (see the PGR004 gap findings), " +
                "and remove the unused ones for admin (ALTER DEFAULT PRIVILEGES FOR ROLE admin IN SCHEMA s REVOKE …)."));
    }

    [Fact]
    public void A_global_entry_replaces_the_built_in_default_a_schema_entry_is_merged_on_top_and_only_the_missing_bits_are_proposed()
    {
        var (b, s, migrator) = World(16, appOnTable: "arw");
        b.DefaultAcl(migrator, null, 'r', "{migrator=arwdDxt/migrator,app=r/migrator}");
        b.DefaultAcl(migrator, s, 'r', "{app=a/migrator}");
        b.DefaultAcl(migrator, s, 'S', "{app=w/migrator}");   // UPDATE also lets nextval() work: covered

        AssertSingle(Run(Rule, b.Build(), ["app"]), new Shape("PGR004", "s", "schema", "app", Severity.Warning,
            "app holds INSERT, SELECT, UPDATE on 1 table (a new table would give it INSERT, SELECT) " +
            "that migrator created in schema s, but no default privileges for migrator give it that on the next ones: after the next migration by migrator, " +
            "statements on the new objects fail with \"permission denied\".",
            "ALTER DEFAULT PRIVILEGES FOR ROLE migrator IN SCHEMA s GRANT UPDATE ON TABLES TO app;"));
    }

    [Fact]
    public void Global_defaults_for_a_role_that_creates_nothing_are_reported_on_the_database()
    {
        var (b, s, migrator) = World(15);
        b.Database("shop", b.Bootstrap);
        b.DefaultAcl(migrator, s, 'r', "{app=ar/migrator}");
        b.DefaultAcl(migrator, s, 'S', "{app=U/migrator}");
        b.DefaultAcl(b.RoleOid("admin"), null, 'r', "{admin=arwdDxt/admin,app=r/admin}");
        b.DefaultAcl(b.RoleOid("admin"), null, 'S', "{admin=rwU/admin,app=U/admin}");

        var f = AssertSingle(Run(Rule, b.Build(), ["app"]), new Shape("PGR004", "shop", "database", "admin", Severity.Info,
            "default privileges ON TABLES and SEQUENCES for admin never apply: they cover only objects admin creates, and admin owns no table or sequence in database shop; " +
            "the objects there are owned (created) by migrator.",
            "-- advice: default privileges follow the creator: define them FOR ROLE migrator (see the PGR004 gap findings), " +
            "and remove the unused ones for admin (ALTER DEFAULT PRIVILEGES FOR ROLE admin REVOKE …)."));
        Assert.Null(f.Schema);
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_when_defaults_name_the_creator_in_schema_or_globally_or_through_a_group(int major)
    {
        // app holds ALL on the sequence (GRANT ALL ON ALL SEQUENCES); new ones give USAGE, which is what nextval() needs: covered.
        var (b, s, migrator) = World(major, appOnSequence: "rwU", withGroup: true);
        b.Relation(s, "open_to_all", migrator, $"{{migrator={GrantAll(major)}/migrator,=r/migrator}}");
        b.DefaultAcl(migrator, s, 'r', "{app=ar/migrator,grp=r/migrator}");
        b.DefaultAcl(migrator, null, 'S', "{migrator=rwU/migrator,app=U/migrator}");

        Assert.Empty(Run(Rule, b.Build(), ["app", "reader"]));
    }

    [Fact]
    public void Defaults_set_up_before_the_first_migration_are_not_misplaced()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        b.Role("app");
        var admin = b.Role("admin", login: false);
        var empty = b.Schema("empty", b.Bootstrap);
        b.DefaultAcl(admin, empty, 'r', "{app=r/admin}");

        Assert.Empty(Run(Rule, b.Build(), ["app"]));
    }
}
