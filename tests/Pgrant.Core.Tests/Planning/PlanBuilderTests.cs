using Pgrant.Core.Planning;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Tests.Planning;

public sealed class PlanBuilderTests
{
    private static readonly SqlObject T1 = new(ObjectKind.Table, "s", "t1");
    private static readonly SqlObject T2 = new(ObjectKind.Table, "s", "t2");
    private static readonly SqlObject Seq = new(ObjectKind.Sequence, "s", "q");
    private static readonly SqlObject S = SqlObject.Bare(ObjectKind.Schema, "s");

    private static GrantPrivileges Grant(Privilege p, SqlObject on, string to, string? grantor = null, params string[] columns) =>
        new(p, [on], [to], "why", columns.ToValueList(), Grantor: grantor);

    private static RevokePrivileges Revoke(Privilege p, SqlObject on, string from, string? grantor = null) =>
        new(p, [on], [from], "why", Grantor: grantor);

    private static string[] Plan(params SqlStatement[] statements) => SqlText.Of(PlanBuilder.Arrange(statements));

    [Fact]
    public void Statements_on_different_subjects_are_ordered_by_phase_and_merged()
    {
        Assert.Equal(
        [
            "GRANT g TO r;",
            "GRANT SELECT ON TABLE s.t1, s.t2 TO r;",
            "GRANT USAGE ON SEQUENCE s.q TO r;",
            "REVOKE EXECUTE ON FUNCTION s.f() FROM PUBLIC;",
        ], Plan(
            new RevokePrivileges(Privilege.Execute, [new SqlObject(ObjectKind.Function, "s", "f", "")], [Grantee.Public], "why"),
            Grant(Privilege.Select, T1, "r"),
            Grant(Privilege.Usage, Seq, "r"),
            Grant(Privilege.Select, T2, "r"),
            new GrantRole("g", "r", "why")));
    }

    [Fact]
    public void A_column_grant_given_after_a_table_level_revoke_stays_after_it()
    {
        // The table-level REVOKE also revokes SELECT on every column: the other order would lose the column grant.
        Assert.Equal(
        [
            "GRANT USAGE ON SEQUENCE s.q TO r;",
            "REVOKE SELECT ON TABLE s.t1 FROM r;",
            "GRANT SELECT (a) ON TABLE s.t1 TO r;",
        ], Plan(
            Revoke(Privilege.Select, T1, "r"),
            Grant(Privilege.Select, T1, "r", null, "a"),
            Grant(Privilege.Usage, Seq, "r")));
    }

    [Fact]
    public void Merging_never_moves_a_statement_across_another_about_the_same_object()
    {
        // The second grant by x needs the option the revoke… grant pair in between leaves; merging it into the
        // first would run it before them.
        Assert.Equal(
        [
            "SET ROLE x;\nGRANT SELECT ON TABLE s.t1 TO y;\nRESET ROLE;",
            "REVOKE UPDATE ON TABLE s.t1 FROM x;",
            "GRANT UPDATE ON TABLE s.t1 TO x WITH GRANT OPTION;",
            "SET ROLE x;\nGRANT UPDATE ON TABLE s.t1 TO y;\nRESET ROLE;",
        ], Plan(
            Grant(Privilege.Select, T1, "y", "x"),
            Revoke(Privilege.Update, T1, "x"),
            new GrantPrivileges(Privilege.Update, [T1], ["x"], "why", WithGrantOption: true),
            Grant(Privilege.Update, T1, "y", "x")));
        // Without anything about t1 in between, they merge.
        Assert.Equal(["SET ROLE x;\nGRANT INSERT, SELECT ON TABLE s.t1 TO y;\nRESET ROLE;", "GRANT USAGE ON SEQUENCE s.q TO y;"],
            Plan(Grant(Privilege.Select, T1, "y", "x"), Grant(Privilege.Usage, Seq, "y"), Grant(Privilege.Insert, T1, "y", "x")));
    }

    [Fact]
    public void An_equal_statement_is_kept_twice_when_something_about_its_object_lies_between()
    {
        var temporary = new GrantPrivileges(Privilege.Select, [T1], ["x"], "again", WithGrantOption: true);
        Assert.Equal(
        [
            "GRANT SELECT ON TABLE s.t1 TO x WITH GRANT OPTION;",
            "REVOKE GRANT OPTION FOR SELECT ON TABLE s.t1 FROM x;",
            "GRANT SELECT ON TABLE s.t1 TO x WITH GRANT OPTION;",
        ], Plan(temporary, new RevokePrivileges(Privilege.Select, [T1], ["x"], "why", GrantOptionOnly: true), temporary));
        Assert.Equal(["GRANT SELECT ON TABLE s.t1 TO x WITH GRANT OPTION;"], Plan(temporary, temporary));
    }

    [Fact]
    public void A_statement_run_as_another_role_keeps_its_place_among_the_statements_on_its_schema()
    {
        // x needs USAGE on s to name s.t1: granted before, revoked after.
        Assert.Equal(
        [
            "GRANT USAGE ON SCHEMA s TO x;",
            "SET ROLE x;\nGRANT SELECT ON TABLE s.t1 TO y;\nRESET ROLE;",
            "GRANT SELECT ON TABLE s.t2 TO y;",
            "REVOKE USAGE ON SCHEMA s FROM x;",
        ], Plan(
            Grant(Privilege.Usage, S, "x"),
            Grant(Privilege.Select, T1, "y", "x"),
            Revoke(Privilege.Usage, S, "x"),
            Grant(Privilege.Select, T2, "y")));
    }

    [Fact]
    public void Membership_statements_keep_their_given_order()
    {
        // GRANT b TO a closes a loop until REVOKE a FROM b has run.
        Assert.Equal(["GRANT USAGE ON SEQUENCE s.q TO r;", "REVOKE a FROM b;", "GRANT b TO a;"],
            Plan(new RevokeRole("a", "b", "why"), new GrantRole("b", "a", "why"), Grant(Privilege.Usage, Seq, "r")));
    }

    [Fact]
    public void Reasons_of_merged_statements_are_joined()
    {
        var plan = PlanBuilder.Arrange([
            new GrantPrivileges(Privilege.Select, [T1], ["r"], "one"),
            new GrantPrivileges(Privilege.Select, [T1], ["r"], "two"),
            new GrantPrivileges(Privilege.Insert, [T1], ["r"], "three"),
        ]);
        Assert.Equal("one; two; three", Assert.Single(plan).Reason);
    }
}
