using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;
using Pgrant.Core.State;

namespace Pgrant.Core.Tests.State;

public sealed class GrantStateTests
{
    private static string[] AclLines(GrantState s) => [.. s.Acl.Select(f => f.ToString())];

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    public void Null_acls_are_the_built_in_defaults_one_fact_per_bit(int major)
    {
        var state = new StateWorld(major).State();

        string[] table = major >= 17 ? ["a", "r", "w", "d", "D", "x", "t", "m"] : ["a", "r", "w", "d", "D", "x", "t"];
        Assert.Equal(
        [
            "schema w: o=U/o",
            "schema w: o=C/o",
            "function w.f(integer): =X/o",
            "function w.f(integer): o=X/o",
            "sequence w.s: o=r/o",
            "sequence w.s: o=w/o",
            "sequence w.s: o=U/o",
            .. table.Select(l => $"table w.t: o={l}/o"),
        ], AclLines(state));
        Assert.Equal(["schema w: owner o", "function w.f(integer): owner o", "sequence w.s: owner o", "table w.t: owner o"],
            state.Owners.Select(o => $"{o.Key}: owner {o.Value}"));
    }

    [Fact]
    public void Column_acls_public_and_grant_options_are_facts_of_their_own()
    {
        var state = new StateWorld(15)
        {
            Table = "{o=r/o,=r/o}",
            ColumnA = "{app=r*w/o,x=a/app}",
            ColumnB = "{}",
        }.State();

        Assert.Equal(
        [
            "table w.t: =r/o",
            "table w.t: o=r/o",
            "table w.t (a): x=a/app",
            "table w.t (a): app=r*/o",
            "table w.t (a): app=w/o",
        ], AclLines(state).Where(l => l.StartsWith("table", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(18)]
    public void A_missing_global_default_acl_is_the_built_in_default_a_missing_schema_one_is_nothing(int major)
    {
        var state = new StateWorld(major)
        {
            Defaults = [("o", null, 'r', "{o=r/o,app=r*/o}"), ("o", "w", 'S', "{app=U/o}")],
        }.State();

        var ofO = state.DefaultAcl.Where(f => f.Creator == "o").Select(f => f.ToString()).ToArray();
        Assert.Equal(
        [
            "default privileges of o (global) on tables: app=r*/o",
            "default privileges of o (global) on tables: o=r/o",
            "default privileges of o (global) on sequences: o=r/o",
            "default privileges of o (global) on sequences: o=w/o",
            "default privileges of o (global) on sequences: o=U/o",
            "default privileges of o (global) on functions: =X/o",
            "default privileges of o (global) on functions: o=X/o",
            "default privileges of o (global) on types: =U/o",
            "default privileges of o (global) on types: o=U/o",
            "default privileges of o (global) on schemas: o=U/o",
            "default privileges of o (global) on schemas: o=C/o",
            .. major >= 18 ? new[] { "default privileges of o (global) on largeobjects: o=r/o", "default privileges of o (global) on largeobjects: o=w/o" } : [],
            "default privileges of o in schema w on sequences: app=U/o",
        ], ofO);
        // Every role of the filter has its built-in defaults; roles outside it have none.
        Assert.Equal(StateWorld.Roles.Order(StringComparer.Ordinal), state.DefaultAcl.Select(f => f.Creator).Distinct());
    }

    [Fact]
    public void Memberships_carry_inherit_and_set_on_16_and_only_admin_before()
    {
        StateWorld World(int major) => new(major)
        {
            Memberships = [("g", "app", "postgres", false, false, true), ("g", "x", "o", true, null, false)],
        };

        Assert.Equal(
        [
            "role g: member app granted by postgres (ADMIN FALSE)",
            "role g: member x granted by o (ADMIN TRUE)",
        ], World(15).State().Memberships.Select(m => m.ToString()));
        Assert.Equal(
        [
            "role g: member app granted by postgres (ADMIN FALSE, INHERIT FALSE, SET TRUE)",
            "role g: member x granted by o (ADMIN TRUE, INHERIT TRUE, SET FALSE)",
        ], World(16).State().Memberships.Select(m => m.ToString()));
    }

    [Fact]
    public void The_current_database_is_one_object_whatever_its_name_and_states_compare_by_facts()
    {
        GrantState Of(string database, string acl)
        {
            var b = new SnapshotBuilder(16).WithBootstrap();
            var o = b.Role("o");
            b.Role("app");
            b.Database(database, o, acl);
            return GrantState.Of(b.Build(), new GrantStateFilter(r => r is "o" or "app", x => x.IsCurrentDatabase));
        }

        var a = Of("one", "{o=CTc/o,app=c/o}");
        var b2 = Of("two", "{app=c/o,o=CTc/o}");
        Assert.Equal(a, b2);
        Assert.True(a == b2);
        Assert.Equal(a.GetHashCode(), b2.GetHashCode());
        Assert.Equal("database (current): app=c/o", a.Acl.First().ToString());
        Assert.Equal(("one", "two"), (a.Database, b2.Database));
        Assert.NotEqual(a, Of("one", "{o=CTc/o,app=c*/o}"));
    }

    [Fact]
    public void Lines_print_owners_then_facts_in_a_fixed_order()
    {
        var state = new GrantState(new PgVersion(160004), "db", "postgres",
            [new(new StateObject(ObjectKind.Table, "w", "t"), "o")],
            [new AclFact(new StateObject(ObjectKind.Table, "w", "t"), null, "b", Privilege.Select, false, "o"),
             new AclFact(new StateObject(ObjectKind.Table, "w", "t"), "Col", null, Privilege.Insert, false, "o")],
            [new DefaultAclFact("o", "w", DefaultObjectType.Tables, "b", Privilege.Select, true)],
            [new MembershipFact("g", "b", "postgres", true, false, true)]);

        Assert.Equal(
        [
            "table w.t: owner o",
            "table w.t: b=r/o",
            "table w.t (\"Col\"): =a/o",
            "default privileges of o in schema w on tables: b=r*/o",
            "role g: member b granted by postgres (ADMIN TRUE, INHERIT FALSE, SET TRUE)",
        ], state.Lines());
    }

    [Fact]
    public void A_fact_about_an_object_without_owner_or_a_grant_option_for_public_is_refused()
    {
        var t = new StateObject(ObjectKind.Table, "w", "t");
        Assert.Throws<ArgumentException>(() => new GrantState(new PgVersion(160004), "db", null, [],
            [new AclFact(t, null, "b", Privilege.Select, false, "o")], [], []));
        Assert.Throws<ArgumentException>(() => new GrantState(new PgVersion(160004), "db", null, [new(t, "o")],
            [new AclFact(t, null, null, Privilege.Select, true, "o")], [], []));
    }
}
