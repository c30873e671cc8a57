namespace Pgrant.IntegrationTests.Rules;

/// <summary>
/// PGR018 on real servers: the INSERT the finding says fails does fail as the role, with the error it predicts;
/// each statement of the fix is needed and together they make the INSERT work.
/// </summary>
public sealed class TriggerBodyDeniedTests
{
    // Hostile names: quotes, spaces, unicode (multi-byte, still under 63 bytes with the serial's "_id_seq").
    private const string Table = "Bestellung \"x\" ü";
    private const string Trigger = "audit trg \"1\"";
    private const string Audit = "audit log ✓";

    private static string World(string group, string app, string function, string security) => $"""
        CREATE ROLE {group} NOLOGIN;
        CREATE ROLE {app} LOGIN PASSWORD 'pw' IN ROLE {group};
        CREATE TABLE {SqlNames.Ident(Table)} (id integer, note text);
        CREATE TABLE {SqlNames.Ident(Audit)} (id serial PRIMARY KEY, op text, row_id integer, at timestamptz DEFAULT now());
        CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql {security} AS $body$
        BEGIN
            -- one row per change; the ';' here splits nothing
            INSERT INTO {SqlNames.Ident(Audit)} (op, row_id)
            VALUES (TG_OP, NEW.id);
            RETURN NEW;
        END
        $body$;
        CREATE TRIGGER {SqlNames.Ident(Trigger)} AFTER INSERT ON {SqlNames.Ident(Table)} FOR EACH ROW EXECUTE FUNCTION {function}();
        GRANT INSERT ON {SqlNames.Ident(Table)} TO {group};
        """;

    private static readonly string Insert = $"INSERT INTO {SqlNames.Ident(Table)} (id, note) VALUES (1, 'n')";

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_security_invoker_audit_trigger_fails_the_insert_as_predicted_and_the_fix_makes_it_work(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var group = TestDatabase.UniqueName("rw");
        var app = TestDatabase.UniqueName("app");
        await db.ExecuteAsync(World(group, app, "audit_fn", "SECURITY INVOKER"));

        var f = Assert.Single(await RuleHarness.RunAsync(db, new TriggerBodyDenied(), [app]));
        var table = SqlWriter.Name(new SqlObject(Pgrant.Core.Acl.ObjectKind.Table, "public", Table));
        var audit = SqlWriter.Name(new SqlObject(Pgrant.Core.Acl.ObjectKind.Table, "public", Audit));
        var sequence = SqlWriter.Name(new SqlObject(Pgrant.Core.Acl.ObjectKind.Sequence, "public", Audit + "_id_seq"));
        Assert.Equal(("PGR018", table, group, string.Join("\n",
            $"GRANT INSERT (op, row_id) ON TABLE {audit} TO {group};",
            $"GRANT USAGE ON SEQUENCE {sequence} TO {group};")), RuleHarness.Shape(f));
        Assert.Equal((Severity.Error, "table", "public"), (f.Severity, f.ObjectKindWord, f.Schema));
        Assert.Equal(
            $"trigger {SqlNames.Ident(Trigger)} on {table} runs public.audit_fn() (SECURITY INVOKER) with the privileges of the role that fires it: " +
            $"{app} may INSERT on {table} (through {group}, which the fix targets) but lacks what its body needs — " +
            $"statement 1 \"INSERT INTO {SqlNames.Ident(Audit)} (op, row_id) VALUES (TG_OP, NEW.id)\" needs INSERT on table {audit} (op, row_id), " +
            $"USAGE on sequence {sequence}; every INSERT on {table} fails with \"permission denied for table {Audit}\".", f.Message);

        // The server agrees, statement by statement: denied on the audit table, then (with only the first grant) on its
        // sequence, and the INSERT works once both are in place.
        var denied = await ServerProbe.DeniedAsync(db, app, Insert);
        Assert.EndsWith($"fails with \"{denied.MessageText}\".", f.Message, StringComparison.Ordinal);
        await db.ExecuteAsync(SqlWriter.Text(f.Fix[0]));
        Assert.Equal($"permission denied for sequence {Audit}_id_seq", (await ServerProbe.DeniedAsync(db, app, Insert)).MessageText);
        await db.ExecuteAsync(SqlWriter.Text(f.Fix[1]));
        Assert.Equal(1, await ServerProbe.RunAsAsync(db, app, Insert));
        Assert.Empty(await RuleHarness.RunAsync(db, new TriggerBodyDenied(), [app]));

        // The whole fix, as the fix script runs it, from the start: the same result.
        await db.ExecuteAsync($"REVOKE ALL ON {audit} FROM {group}; REVOKE ALL ON SEQUENCE {sequence} FROM {group};");
        await ServerProbe.DeniedAsync(db, app, Insert);
        await RuleFix.ApplyAsync(db, f);
        Assert.Equal(1, await ServerProbe.RunAsAsync(db, app, Insert));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_security_definer_body_runs_as_its_owner_and_a_role_holding_the_privileges_is_not_reported(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var group = TestDatabase.UniqueName("rw");
        var app = TestDatabase.UniqueName("app");
        var trusted = TestDatabase.UniqueName("trusted");
        var owner = TestDatabase.UniqueName("fnowner");
        // Owned by the superuser that created it: the body runs with every privilege.
        await db.ExecuteAsync(World(group, app, "audit_fn", "SECURITY DEFINER SET search_path = public, pg_temp") + $"""

            CREATE ROLE {trusted} LOGIN PASSWORD 'pw';
            GRANT INSERT ON {SqlNames.Ident(Table)} TO {trusted};
            CREATE TABLE plain (id integer);
            CREATE FUNCTION audit_plain() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO {SqlNames.Ident(Audit)} (op) VALUES (TG_OP); RETURN NULL; END $$;
            CREATE TRIGGER plain_audit AFTER INSERT ON plain FOR EACH STATEMENT EXECUTE FUNCTION audit_plain();
            GRANT INSERT ON plain TO {trusted};
            GRANT INSERT (op) ON {SqlNames.Ident(Audit)} TO {trusted};
            GRANT USAGE ON SEQUENCE {SqlNames.Ident(Audit + "_id_seq")} TO {trusted};
            """);

        Assert.Empty(await RuleHarness.RunAsync(db, new TriggerBodyDenied(), [app, trusted]));
        Assert.Equal(1, await ServerProbe.RunAsAsync(db, app, Insert));
        Assert.Equal(1, await ServerProbe.RunAsAsync(db, trusted, Insert));
        Assert.Equal(1, await ServerProbe.RunAsAsync(db, trusted, "INSERT INTO plain VALUES (1)"));

        // Handed to an owner who lacks the audit table: every firing role fails, and the fix goes to the owner.
        await db.ExecuteAsync($"CREATE ROLE {owner} NOLOGIN; ALTER FUNCTION audit_fn() OWNER TO {owner};");
        var f = Assert.Single(await RuleHarness.RunAsync(db, new TriggerBodyDenied(), [app, trusted]));
        var audit = SqlWriter.Name(new SqlObject(Pgrant.Core.Acl.ObjectKind.Table, "public", Audit));
        var sequence = SqlWriter.Name(new SqlObject(Pgrant.Core.Acl.ObjectKind.Sequence, "public", Audit + "_id_seq"));
        Assert.Equal(("PGR018", SqlWriter.Name(new SqlObject(Pgrant.Core.Acl.ObjectKind.Table, "public", Table)), owner, string.Join("\n",
            $"GRANT INSERT (op, row_id) ON TABLE {audit} TO {owner};",
            $"GRANT USAGE ON SEQUENCE {sequence} TO {owner};")), RuleHarness.Shape(f));
        Assert.Contains($"(SECURITY DEFINER) with the privileges of its owner {owner}", f.Message, StringComparison.Ordinal);
        Assert.Contains($"for {app}, {trusted}, every INSERT", f.Message, StringComparison.Ordinal);
        var denied = await ServerProbe.DeniedAsync(db, trusted, Insert);
        Assert.EndsWith($"fails with \"{denied.MessageText}\".", f.Message, StringComparison.Ordinal);
        await RuleFix.ApplyAsync(db, f);
        Assert.Equal(1, await ServerProbe.RunAsAsync(db, app, Insert));
        Assert.Empty(await RuleHarness.RunAsync(db, new TriggerBodyDenied(), [app, trusted]));
    }
}
