using Pgrant.Core.Sql;

namespace Pgrant.Core.Tests.Rules;

/// <summary>The fix script: per database one transaction of the arranged plan, each statement under its reason, advice as comments.</summary>
public sealed class FixScriptTests
{
    private static Finding MissingUsage(string db, string seq, string role) =>
        new(SequenceUsageMissing.Rule, Severity.Error, db, "app", $"app.{seq}", ObjectKind.Sequence, role, $"{role} cannot call nextval() on app.{seq}",
            [new GrantPrivileges(Privilege.Usage, new SqlObject(ObjectKind.Sequence, "app", seq), role, $"PGR001: nextval(app.{seq}) by {role}")]);

    [Fact]
    public void Findings_of_one_role_merge_into_one_grant_per_database_and_advice_follows_as_comments()
    {
        var advice = new Finding(RoleNamedLikeDatabase.Rule, Severity.Info, "shop", null, "shop", ObjectKind.Database, "shop", "role shop and database shop share a name",
            [], [Note.Advise("consider a distinct name, e.g.:", new RenameObject(SqlObject.Bare(ObjectKind.Database, "shop"), "shop_db", "PGR013"))]);
        var script = FixScript.Write(
        [
            MissingUsage("shop", "a_id_seq", "app"),
            MissingUsage("shop", "b_id_seq", "app"),
            MissingUsage("shop", "b_id_seq", "app"),   // the same statement from two findings is written once
            MissingUsage("Other DB", "c_id_seq", "app"),
            advice,
        ], "pgrant check");

        Assert.Equal("""
            -- Fixes proposed by pgrant check. Review before running: psql -v ON_ERROR_STOP=1 -f THIS_FILE
            -- Each database's statements run in one transaction.

            \connect "Other DB"
            BEGIN;
            SET LOCAL lock_timeout = '5s';
            -- PGR001: nextval(app.c_id_seq) by app
            GRANT USAGE ON SEQUENCE app.c_id_seq TO app;
            COMMIT;

            \connect shop
            BEGIN;
            SET LOCAL lock_timeout = '5s';
            -- PGR001: nextval(app.a_id_seq) by app; PGR001: nextval(app.b_id_seq) by app
            GRANT USAGE ON SEQUENCE app.a_id_seq, app.b_id_seq TO app;
            COMMIT;
            -- PGR013 role-named-like-database (info): shop for shop
            -- advice: consider a distinct name, e.g.:
            --   ALTER DATABASE shop RENAME TO shop_db;

            """.Replace("\r\n", "\n"), script.Replace("\r\n", "\n"));
    }

    [Fact]
    public void A_database_with_advice_only_gets_no_empty_transaction()
    {
        var script = FixScript.Write(
        [
            new Finding(RoleNamedLikeDatabase.Rule, Severity.Info, "db", null, "db", ObjectKind.Database, "db", "m", [], [Note.Advise("rename it")]),
        ], "pgrant check");
        Assert.DoesNotContain("BEGIN;", script);
        Assert.Contains("-- advice: rename it", script);
    }
}
