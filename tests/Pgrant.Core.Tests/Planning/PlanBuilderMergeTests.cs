using Pgrant.Core.Planning;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Tests.Planning;

/// <summary>Plans: each statement once, merged only where nothing widens, ordered so each runs.</summary>
public sealed class PlanBuilderMergeTests
{
    private static SqlObject Seq(string name) => new(ObjectKind.Sequence, "app", name);
    private static SqlObject Table(string name) => new(ObjectKind.Table, "app", name);

    private static string[] Sql(IEnumerable<SqlStatement> plan) => [.. plan.Select(SqlWriter.Text)];

    [Fact]
    public void Sequence_grants_to_one_role_become_one_statement_and_duplicates_go()
    {
        var plan = PlanBuilder.Arrange(
        [
            new GrantPrivileges(Privilege.Usage, Seq("a_id_seq"), "app", "PGR001: a"),
            new GrantPrivileges(Privilege.Usage, Seq("b_id_seq"), "app", "PGR001: b"),
            new GrantPrivileges(Privilege.Usage, Seq("a_id_seq"), "app", "explain: a again"),
            new GrantPrivileges(Privilege.Usage, Seq("c_id_seq"), "other", "PGR001: c"),
        ]);

        Assert.Equal(["GRANT USAGE ON SEQUENCE app.a_id_seq, app.b_id_seq TO app;", "GRANT USAGE ON SEQUENCE app.c_id_seq TO other;"], Sql(plan));
        Assert.Equal("PGR001: a; explain: a again; PGR001: b", plan[0].Reason);
    }

    [Fact]
    public void Privileges_on_one_object_join_before_objects_do()
    {
        var plan = PlanBuilder.Arrange(
        [
            new GrantPrivileges(Privilege.Select, Table("t"), "app", "r1"),
            new GrantPrivileges(Privilege.Insert, Table("t"), "app", "r2"),
            new GrantPrivileges(Privilege.Insert | Privilege.Select, Table("u"), "app", "r3"),
            new GrantPrivileges(Privilege.Select, Table("v"), "app", "r4"),
        ]);

        Assert.Equal(["GRANT INSERT, SELECT ON TABLE app.t, app.u TO app;", "GRANT SELECT ON TABLE app.v TO app;"], Sql(plan));
    }

    [Fact]
    public void Nothing_widens_columns_grant_options_grantors_and_kinds_stay_apart()
    {
        var plan = PlanBuilder.Arrange(
        [
            new GrantPrivileges(Privilege.Select, [Table("t")], ["app"], "r", Columns: ["id"]),
            new GrantPrivileges(Privilege.Select, [Table("u")], ["app"], "r", Columns: ["id"]),
            new GrantPrivileges(Privilege.Select, Table("v"), "app", "r"),
            new GrantPrivileges(Privilege.Select, [Table("w")], ["app"], "r", WithGrantOption: true),
            new GrantPrivileges(Privilege.Select, [Table("x")], ["app"], "r", Grantor: "mid"),
            new GrantPrivileges(Privilege.Select, Seq("s"), "app", "r"),
            new GrantPrivileges(Privilege.Execute, new SqlObject(ObjectKind.Procedure, "app", "p", ""), "app", "r"),
            new GrantPrivileges(Privilege.Execute, new SqlObject(ObjectKind.Function, "app", "f", ""), "app", "r"),
        ]);

        Assert.Equal(8, plan.Length);
    }

    [Fact]
    public void Statements_on_different_objects_run_by_phase_and_those_on_one_object_keep_their_given_order()
    {
        var plan = PlanBuilder.Arrange(
        [
            new AlterColumnType(Table("u"), "id", IntegerType.BigInt, "widen"),
            new RevokePrivileges(Privilege.Update, [Seq("r")], ["app"], "setval is too much on r"),
            // A rule's USAGE grant comes before the REVOKE of UPDATE on the same sequence, and stays there.
            new GrantPrivileges(Privilege.Usage, Seq("s"), "app", "nextval needs USAGE"),
            new RevokePrivileges(Privilege.Update, [Seq("s")], ["app"], "setval is too much"),
            new GrantRole("owner", "migrator", "migrations run as the owner"),
            new GrantPrivileges(Privilege.Select, [Table("t")], ["mid"], "first in chain", WithGrantOption: true),
            new GrantPrivileges(Privilege.Select, [Table("t")], ["app"], "second in chain", Grantor: "mid"),
        ]);

        Assert.Equal(
        [
            "GRANT owner TO migrator;",
            "GRANT USAGE ON SEQUENCE app.s TO app;",
            "GRANT SELECT ON TABLE app.t TO mid WITH GRANT OPTION;",
            "SET ROLE mid;\nGRANT SELECT ON TABLE app.t TO app;\nRESET ROLE;",
            // Not merged with the one on r: that would move the REVOKE on s across the GRANT on s.
            "REVOKE UPDATE ON SEQUENCE app.r FROM app;",
            "REVOKE UPDATE ON SEQUENCE app.s FROM app;",
            "ALTER TABLE app.u ALTER COLUMN id TYPE bigint;",
        ], Sql(plan));
    }

    [Fact]
    public void A_merged_statement_names_at_most_the_limit_of_objects()
    {
        var grants = Enumerable.Range(0, PlanBuilder.MaxObjectsPerStatement + 3)
            .Select(i => new GrantPrivileges(Privilege.Usage, Seq($"s{i}"), "app", "r"));
        var plan = PlanBuilder.Arrange(grants);
        Assert.Equal([PlanBuilder.MaxObjectsPerStatement, 3], plan.Cast<GrantPrivileges>().Select(g => g.Objects.Count));
    }

    [Fact]
    public void Many_reasons_are_summarised()
    {
        var plan = PlanBuilder.Arrange(Enumerable.Range(0, 5).Select(i => new GrantPrivileges(Privilege.Usage, Seq($"s{i}"), "app", $"r{i}")));
        Assert.Equal("r0; r1; r2; and 2 more", Assert.Single(plan).Reason);
    }
}
