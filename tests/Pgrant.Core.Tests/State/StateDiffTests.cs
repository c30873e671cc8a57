using Pgrant.Core.Catalog;
using Pgrant.Core.Planning;
using Pgrant.Core.Sql;
using Pgrant.Core.State;

namespace Pgrant.Core.Tests.State;

/// <summary>
/// diff(A, B) on in-memory worlds (<see cref="StateWorld"/>), as the exact SQL a superuser runs. Every case here
/// also runs on servers 13–18 in the integration tests' DiffScenarioTests and RandomWorldDiffTests.
/// </summary>
public sealed class StateDiffTests
{
    // Schema w with USAGE for PUBLIC, so grantors need no temporary USAGE unless a case is about it.
    private const string Open = "{o=UC/o,=U/o}";

    private static string T(int major = 15) => $"o={StateWorld.All(major)}/o";

    [Theory]
    [InlineData(13)]
    [InlineData(16)]
    [InlineData(18)]
    public void A_state_diffed_with_itself_is_empty(int major)
    {
        var world = new StateWorld(major)
        {
            Schema = Open,
            Table = $"{{{T(major)},x=r*/o,y=r/x,=w/o}}",
            ColumnA = "{app=r*/o,y=a/app}",
            Function = "{o=X/o}",
            Defaults = [("o", null, 'r', "{app=r*/o}"), ("x", "w", 'S', "{=U/x}")],
            Memberships = [("g", "app", "postgres", true, major >= 16 ? false : null, null), ("g", "x", "app", false, null, null)],
        };
        Assert.Empty(StateDiff.Diff(world.State(), world.State()));
    }

    [Fact]
    public void Grants_follow_the_chain_of_grant_options_down_from_the_owner_each_as_its_grantor()
    {
        var start = new StateWorld(15) { Schema = Open, Table = $"{{{T()}}}" };
        var to = start with { Table = $"{{{T()},x=r*/o,y=r*/x,app=r/y}}" };

        Assert.Equal(
        [
            "GRANT SELECT ON TABLE w.t TO x WITH GRANT OPTION;",
            "SET ROLE x;\nGRANT SELECT ON TABLE w.t TO y WITH GRANT OPTION;\nRESET ROLE;",
            "SET ROLE y;\nGRANT SELECT ON TABLE w.t TO app;\nRESET ROLE;",
        ], start.DiffTo(to));
    }

    [Fact]
    public void Revokes_go_deepest_first_and_never_cascade()
    {
        var start = new StateWorld(15) { Schema = Open, Table = $"{{{T()},x=r*/o,y=r*/x,app=r/y}}" };
        var to = start with { Table = $"{{{T()}}}" };

        Assert.Equal(
        [
            "SET ROLE y;\nREVOKE SELECT ON TABLE w.t FROM app;\nRESET ROLE;",
            "SET ROLE x;\nREVOKE SELECT ON TABLE w.t FROM y;\nRESET ROLE;",
            "REVOKE SELECT ON TABLE w.t FROM x;",
        ], start.DiffTo(to));
    }

    [Fact]
    public void A_grant_option_turns_off_with_revoke_grant_option_for_and_on_with_grant_with_grant_option()
    {
        var start = new StateWorld(15) { Table = $"{{{T()},x=r*w/o}}" };
        var to = start with { Table = $"{{{T()},x=rw*/o}}" };

        Assert.Equal(
        [
            "GRANT UPDATE ON TABLE w.t TO x WITH GRANT OPTION;",
            "REVOKE GRANT OPTION FOR SELECT ON TABLE w.t FROM x;",
        ], start.DiffTo(to));
    }

    [Fact]
    public void The_owner_and_PUBLIC_are_grantees_like_any_other()
    {
        var start = new StateWorld(15) { Table = null, Function = null, Sequence = "{o=rwU/o}" };
        var to = start with { Table = "{o=r/o,=r/o}", Function = "{o=X/o}", Sequence = "{o=rwU*/o}" };

        Assert.Equal(
        [
            "GRANT USAGE ON SEQUENCE w.s TO o WITH GRANT OPTION;",
            "GRANT SELECT ON TABLE w.t TO PUBLIC;",
            "REVOKE EXECUTE ON FUNCTION w.f(integer) FROM PUBLIC;",
            "REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE w.t FROM o;",
        ], start.DiffTo(to));
    }

    [Fact]
    public void A_column_grant_the_target_keeps_is_granted_again_after_the_table_level_revoke_takes_it()
    {
        var start = new StateWorld(15) { Table = $"{{{T()},app=r/o}}", ColumnA = "{app=r/o}" };
        var to = start with { Table = $"{{{T()}}}" };

        Assert.Equal(
        [
            "REVOKE SELECT ON TABLE w.t FROM app;",
            "GRANT SELECT (a) ON TABLE w.t TO app;",
        ], start.DiffTo(to));
    }

    [Fact]
    public void Grants_that_depend_on_a_column_option_the_table_level_revoke_takes_are_revoked_first_and_granted_again()
    {
        var start = new StateWorld(15) { Schema = Open, Table = $"{{{T()},x=w/o}}", ColumnA = "{x=w*/o,y=w/x}" };
        var to = start with { Table = $"{{{T()}}}" };

        Assert.Equal(
        [
            "SET ROLE x;\nREVOKE UPDATE (a) ON TABLE w.t FROM y;\nRESET ROLE;",
            "REVOKE UPDATE ON TABLE w.t FROM x;",
            "GRANT UPDATE (a) ON TABLE w.t TO x WITH GRANT OPTION;",
            "SET ROLE x;\nGRANT UPDATE (a) ON TABLE w.t TO y;\nRESET ROLE;",
        ], start.DiffTo(to));
    }

    [Fact]
    public void A_grantor_without_a_grant_option_of_its_own_gets_one_for_as_long_as_it_acts()
    {
        // y=r/x on column a outlived x's table-level option (the server does not cascade it to columns).
        var orphan = new StateWorld(15) { Schema = Open, Table = $"{{{T()},x=r/o}}", ColumnA = "{y=r/x}" };
        var clean = orphan with { ColumnA = null };
        string[] temporary = ["GRANT SELECT ON TABLE w.t TO x WITH GRANT OPTION;", "REVOKE GRANT OPTION FOR SELECT ON TABLE w.t FROM x;"];

        Assert.Equal([temporary[0], "SET ROLE x;\nREVOKE SELECT (a) ON TABLE w.t FROM y;\nRESET ROLE;", temporary[1]], orphan.DiffTo(clean));
        Assert.Equal([temporary[0], "SET ROLE x;\nGRANT SELECT (a) ON TABLE w.t TO y;\nRESET ROLE;", temporary[1]], clean.DiffTo(orphan));
    }

    [Fact]
    public void A_grantor_without_usage_on_the_schema_gets_it_before_it_acts_and_loses_it_after()
    {
        var start = new StateWorld(15) { Schema = "{o=UC/o,y=U/o}", Table = $"{{{T()},x=r*/o}}" };
        var to = start with { Schema = "{o=UC/o}", Table = $"{{{T()},x=r*/o,y=r/x}}" };

        Assert.Equal(
        [
            "GRANT USAGE ON SCHEMA w TO x;",
            "SET ROLE x;\nGRANT SELECT ON TABLE w.t TO y;\nRESET ROLE;",
            "REVOKE USAGE ON SCHEMA w FROM x;",
            "REVOKE USAGE ON SCHEMA w FROM y;",
        ], start.DiffTo(to));
    }

    [Fact]
    public void Default_privileges_change_relative_to_the_built_in_default_globally_and_to_nothing_in_a_schema()
    {
        var start = new StateWorld(15) { Defaults = [("o", null, 'r', "{o=r/o,app=r*/o}"), ("o", "w", 'S', "{app=U/o}")] };
        var to = start with { Defaults = [("o", "w", 'S', "{app=U*/o,x=r/o}"), ("x", null, 'f', "{x=X/x}"), ("x", null, 'n', "{x=UC/x,y=C*/x}")] };

        Assert.Equal(
        [
            "ALTER DEFAULT PRIVILEGES FOR ROLE o GRANT INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLES TO o;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE o IN SCHEMA w GRANT USAGE ON SEQUENCES TO app WITH GRANT OPTION;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE o IN SCHEMA w GRANT SELECT ON SEQUENCES TO x;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE x GRANT CREATE ON SCHEMAS TO y WITH GRANT OPTION;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE o REVOKE SELECT ON TABLES FROM app;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE x REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;",
        ], start.DiffTo(to));
    }

    [Fact]
    public void Large_object_default_privileges_are_global_on_18()
    {
        var start = new StateWorld(18);
        var to = start with { Defaults = [("x", null, 'L', "{x=r/x,y=r*/x}")] };

        Assert.Equal(
        [
            "ALTER DEFAULT PRIVILEGES FOR ROLE x GRANT SELECT ON LARGE OBJECTS TO y WITH GRANT OPTION;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE x REVOKE UPDATE ON LARGE OBJECTS FROM x;",
        ], start.DiffTo(to));
    }

    [Fact]
    public void Memberships_13_to_15_one_row_per_pair_whose_grantor_only_a_new_grant_or_one_adding_admin_records()
    {
        var start = new StateWorld(15)
        {
            Memberships = [("g", "app", "postgres", false, null, null), ("g", "x", "o", true, null, null), ("g", "y", "o", true, null, null)],
        };
        var to = start with
        {
            Memberships = [("g", "app", "x", true, null, null), ("g", "x", "o", false, null, null), ("g", "y", "x", true, null, null), ("app", "o", "postgres", false, null, null)],
        };

        Assert.Equal(
        [
            "GRANT app TO o GRANTED BY postgres;",
            "GRANT g TO app WITH ADMIN OPTION GRANTED BY x;",
            "REVOKE ADMIN OPTION FOR g FROM x;",
            "REVOKE g FROM y;",
            "GRANT g TO y WITH ADMIN OPTION GRANTED BY x;",
        ], start.DiffTo(to));
    }

    [Fact]
    public void Memberships_16_rows_per_grantor_with_granted_by_options_per_row_and_admin_chains()
    {
        var start = new StateWorld(16)
        {
            Memberships = [("g", "app", "postgres", false, true, true), ("g", "x", "postgres", true, true, true), ("g", "y", "x", true, false, true)],
        };
        var to = start with
        {
            Memberships = [("g", "app", "postgres", true, false, false), ("g", "app", "x", false, true, true), ("g", "y", "postgres", true, true, true)],
        };

        Assert.Equal(
        [
            "GRANT g TO app WITH ADMIN OPTION GRANTED BY postgres;",
            "GRANT g TO y WITH ADMIN TRUE, INHERIT TRUE, SET TRUE GRANTED BY postgres;",
            "GRANT g TO app WITH ADMIN FALSE, INHERIT TRUE, SET TRUE GRANTED BY x;",
            "REVOKE g FROM y GRANTED BY x;",
            "REVOKE INHERIT OPTION FOR g FROM app GRANTED BY postgres;",
            "REVOKE SET OPTION FOR g FROM app GRANTED BY postgres;",
            // x's ADMIN goes, but the target keeps app's membership granted by x: REVOKE would refuse.
            "GRANT g TO x WITH ADMIN FALSE GRANTED BY postgres;",
            "REVOKE g FROM x GRANTED BY postgres;",
        ], start.DiffTo(to));
    }

    [Theory]
    [InlineData(15, "GRANT app TO g GRANTED BY postgres;")]
    [InlineData(16, "GRANT app TO g WITH ADMIN FALSE, INHERIT TRUE, SET TRUE GRANTED BY postgres;")]
    public void A_membership_loop_is_broken_before_the_grant_that_would_close_it(int major, string grant)
    {
        var start = new StateWorld(major) { Memberships = [("g", "app", "postgres", false, major >= 16 ? true : null, null)] };
        var to = start with { Memberships = [("app", "g", "postgres", false, major >= 16 ? true : null, null)] };

        Assert.Equal([major >= 16 ? "REVOKE g FROM app GRANTED BY postgres;" : "REVOKE g FROM app;", grant], start.DiffTo(to));
    }

    [Fact]
    public void The_current_database_is_named_by_the_state_the_diff_applies_to()
    {
        GrantState Of(string name, string acl)
        {
            var b = new Access.SnapshotBuilder(15).WithBootstrap();
            var o = b.Role("o");
            b.Role("app");
            b.Database(name, o, acl);
            return GrantState.Of(b.Build(), new GrantStateFilter(r => r is "o" or "app", x => x.IsCurrentDatabase));
        }

        Assert.Equal(["GRANT CONNECT ON DATABASE \"Target DB\" TO app;"],
            SqlText.Of(StateDiff.Diff(Of("Target DB", "{o=CTc/o}"), Of("other", "{o=CTc/o,app=c/o}"))));
    }

    [Fact]
    public void Objects_and_owners_must_be_the_same_in_both_states()
    {
        var world = new StateWorld(15);
        var state = world.State();
        var fewer = new GrantState(state.Version, state.Database, state.BootstrapSuperuser,
            state.Owners.Where(o => o.Key.Kind != ObjectKind.Sequence), state.Acl.Where(f => f.Object.Kind != ObjectKind.Sequence), state.DefaultAcl, state.Memberships);
        var reowned = new GrantState(state.Version, state.Database, state.BootstrapSuperuser,
            state.Owners.Select(o => o.Key.Kind == ObjectKind.Sequence ? new KeyValuePair<StateObject, string>(o.Key, "x") : o), state.Acl, state.DefaultAcl, state.Memberships);

        Assert.Contains("in the target state only", Assert.Throws<ArgumentException>(() => StateDiff.Diff(fewer, state)).Message, StringComparison.Ordinal);
        Assert.Contains("in the current state only", Assert.Throws<ArgumentException>(() => StateDiff.Diff(state, fewer)).Message, StringComparison.Ordinal);
        Assert.Contains("not owners", Assert.Throws<ArgumentException>(() => StateDiff.Diff(state, reowned)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StateDiff.Diff(state, new StateWorld(16).State()));
    }

    [Fact]
    public void Every_statement_says_why()
    {
        var start = new StateWorld(15) { Table = $"{{{T()},x=r/o}}", ColumnA = "{y=r/x}" };
        var diff = StateDiff.Diff(start.State(), (start with { ColumnA = null }).State());

        Assert.Equal(
        [
            "diff: x grants or revokes as itself on objects of this schema and needs USAGE to name them; revoked again after",
            "diff: x needs a grant option of its own to grant or revoke as itself; revoked again below",
            "diff: the target state lacks this grant",
            "diff: the grant option x needed for its own grants and revokes",
            "diff: the USAGE x needed to name the objects it granted or revoked on",
        ], diff.Select(s => s.Reason));
    }
}
