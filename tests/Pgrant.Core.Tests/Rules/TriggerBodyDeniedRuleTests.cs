using Pgrant.Core.Catalog;

namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR018 on in-memory snapshots; the integration tests' TriggerBodyDeniedTests run the same world on real servers.</summary>
public sealed class TriggerBodyDeniedRuleTests
{
    private static readonly TriggerBodyDenied Rule = new();

    private const string AuditBody = """
        BEGIN
            INSERT INTO audit_log (op, row_id)
            VALUES (TG_OP, NEW.id);
            RETURN NEW;
        END
        """;

    private const short AfterInsertRow = 1 | 4;

    // orders (INSERT granted to the group app_rw, app a member), audit_log (id serial, op, row_id) granted to nobody.
    private static (SnapshotBuilder B, Schema Public, Relation Orders, Relation Audit, Relation Sequence) World(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var group = b.Role("app_rw", login: false);
        b.Grant(group, b.Role("app"));
        var pub = b.PublicSchema();
        var orders = b.Relation(pub, "orders", b.Bootstrap, "{postgres=arwdDxt/postgres,app_rw=ar/postgres}", columns: [("id", null), ("note", null)]);
        var audit = b.Relation(pub, "audit_log", b.Bootstrap, columns: [("id", null), ("op", null), ("row_id", null), ("at", null)]);
        var seq = b.Sequence(pub, "audit_log_id_seq", b.Bootstrap, serialOf: (audit, "id"));
        return (b, pub, orders, audit, seq);
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void A_security_invoker_audit_trigger_needs_column_insert_and_sequence_usage_granted_to_the_group(int major)
    {
        var (b, pub, orders, _, _) = World(major);
        b.Trigger(orders, "orders_audit", b.TriggerFunction(pub, "audit_fn", b.Bootstrap, AuditBody), AfterInsertRow);

        AssertSingle(Run(Rule, b.Build(), ["app"]), new Shape("PGR018", "public.orders", "table", "app_rw", Severity.Error,
            "trigger orders_audit on public.orders runs public.audit_fn() (SECURITY INVOKER) with the privileges of the role that fires it: " +
            "app may INSERT on public.orders (through app_rw, which the fix targets) but lacks what its body needs — " +
            "statement 1 \"INSERT INTO audit_log (op, row_id) VALUES (TG_OP, NEW.id)\" needs INSERT on table public.audit_log (op, row_id), " +
            "USAGE on sequence public.audit_log_id_seq; every INSERT on public.orders fails with \"permission denied for table audit_log\".",
            "GRANT INSERT (op, row_id) ON TABLE public.audit_log TO app_rw;\nGRANT USAGE ON SEQUENCE public.audit_log_id_seq TO app_rw;"));
    }

    [Fact]
    public void What_the_role_already_holds_is_left_out_and_the_first_failure_is_the_sequence()
    {
        var (b, pub, orders, audit, _) = World(16);
        b.Update(audit, a => a with { Acl = b.AclOf("{postgres=arwdDxt/postgres,app_rw=a/postgres}", ObjectKind.Table, b.Bootstrap) });
        b.Trigger(orders, "orders_audit", b.TriggerFunction(pub, "audit_fn", b.Bootstrap, AuditBody), AfterInsertRow);

        var f = AssertSingle(Run(Rule, b.Build(), ["app"]), new Shape("PGR018", "public.orders", "table", "app_rw", Severity.Error,
            "trigger orders_audit on public.orders runs public.audit_fn() (SECURITY INVOKER) with the privileges of the role that fires it: " +
            "app may INSERT on public.orders (through app_rw, which the fix targets) but lacks what its body needs — " +
            "statement 1 \"INSERT INTO audit_log (op, row_id) VALUES (TG_OP, NEW.id)\" needs USAGE on sequence public.audit_log_id_seq; " +
            "every INSERT on public.orders fails with \"permission denied for sequence audit_log_id_seq\".",
            "GRANT USAGE ON SEQUENCE public.audit_log_id_seq TO app_rw;"));
        Assert.Contains("trigger orders_audit on public.orders runs public.audit_fn(), whose statement 1 needs it", f.Fix[0].Reason, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void A_security_definer_body_is_judged_as_its_owner(int major)
    {
        var (b, pub, orders, _, _) = World(major);
        var owner = b.Role("fn_owner", login: false);
        b.Trigger(orders, "by_owner", b.TriggerFunction(pub, "audit_as_owner", owner, AuditBody, securityDefiner: true), AfterInsertRow);
        b.Trigger(orders, "by_superuser", b.TriggerFunction(pub, "audit_as_postgres", b.Bootstrap, AuditBody, securityDefiner: true), AfterInsertRow);

        AssertSingle(Run(Rule, b.Build(), ["app"]), new Shape("PGR018", "public.orders", "table", "fn_owner", Severity.Error,
            "trigger by_owner on public.orders runs public.audit_as_owner() (SECURITY DEFINER) with the privileges of its owner fn_owner, " +
            "who lacks what its body needs — statement 1 \"INSERT INTO audit_log (op, row_id) VALUES (TG_OP, NEW.id)\" needs INSERT on table public.audit_log (op, row_id), " +
            "USAGE on sequence public.audit_log_id_seq; for app, every INSERT on public.orders fails with \"permission denied for table audit_log\".",
            "GRANT INSERT (op, row_id) ON TABLE public.audit_log TO fn_owner;\nGRANT USAGE ON SEQUENCE public.audit_log_id_seq TO fn_owner;"));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_when_the_trigger_does_not_fire_for_the_role_or_the_role_holds_what_the_body_needs(int major)
    {
        var (b, pub, orders, audit, seq) = World(major);
        var fn = b.TriggerFunction(pub, "audit_fn", b.Bootstrap, AuditBody);
        b.Trigger(orders, "disabled", fn, AfterInsertRow, enabled: 'D');
        b.Trigger(orders, "replica_only", fn, AfterInsertRow, enabled: 'R');
        b.Trigger(orders, "on_delete", fn, 1 | 8);
        // The reader: may not write, so fires nothing.
        b.Role("reader");
        b.Update(orders, o => o with { Acl = b.AclOf("{postgres=arwdDxt/postgres,app_rw=ar/postgres,reader=r/postgres}", ObjectKind.Table, b.Bootstrap) });
        // The trusted writer holds INSERT on the audit table and USAGE on its sequence.
        var trusted = b.Role("trusted");
        var other = b.Relation(pub, "other", b.Bootstrap, "{postgres=arwdDxt/postgres,trusted=a/postgres}", columns: [("id", null)]);
        b.Trigger(other, "other_audit", fn, AfterInsertRow);
        b.Update(audit, a => a with { Acl = b.AclOf("{postgres=arwdDxt/postgres,trusted=a/postgres}", ObjectKind.Table, b.Bootstrap) });
        b.Update(seq, s => s with { Acl = b.AclOf("{postgres=rwU/postgres,trusted=U/postgres}", ObjectKind.Sequence, b.Bootstrap) });
        // A body in another language is not read.
        b.Trigger(orders, "in_c", b.TriggerFunction(pub, "c_fn", b.Bootstrap, "c_symbol", language: "c"), AfterInsertRow);

        Assert.Empty(Run(Rule, b.Build(), ["app", "reader", "trusted"]));
    }

    [Fact]
    public void Names_resolve_with_the_pinned_search_path_and_a_schema_without_usage_is_named()
    {
        var b = new SnapshotBuilder(17).WithBootstrap();
        b.Role("app");
        var pub = b.PublicSchema();
        var audit = b.Schema("audit", b.Bootstrap);
        var orders = b.Relation(pub, "orders", b.Bootstrap, "{postgres=arwdDxt/postgres,app=a/postgres}", columns: [("id", null)]);
        b.Relation(audit, "log", b.Bootstrap, "{postgres=arwdDxt/postgres,app=a/postgres}", columns: [("op", null)]);
        // Pinned to audit: "log" is audit.log. Qualified: audit.log too.
        b.Trigger(orders, "pinned", b.TriggerFunction(pub, "log_pinned", b.Bootstrap,
            "BEGIN INSERT INTO log (op) VALUES (1); RETURN NULL; END", config: ["search_path=audit, pg_temp"]), AfterInsertRow);
        b.Trigger(orders, "qualified", b.TriggerFunction(pub, "log_qualified", b.Bootstrap,
            "BEGIN IF TG_OP = 'INSERT' THEN INSERT INTO audit.log (op) VALUES (1); END IF; RETURN NULL; END"), AfterInsertRow);
        // Unpinned and unqualified: app's search_path ("$user", public) has no "log", so the server finds none; no grant helps.
        b.Trigger(orders, "unresolved", b.TriggerFunction(pub, "log_unresolved", b.Bootstrap,
            "BEGIN INSERT INTO log (op) VALUES (1); RETURN NULL; END"), AfterInsertRow);

        AssertFindings(Run(Rule, b.Build(), ["app"]),
            new Shape("PGR018", "public.orders", "table", "app", Severity.Error,
                "trigger pinned on public.orders runs public.log_pinned() (SECURITY INVOKER) with the privileges of the role that fires it: " +
                "app may INSERT on public.orders but lacks what its body needs — statement 1 \"INSERT INTO log (op) VALUES (1)\" needs USAGE on schema audit; " +
                "every INSERT on public.orders fails with \"relation \"log\" does not exist\".",
                "GRANT USAGE ON SCHEMA audit TO app;"),
            new Shape("PGR018", "public.orders", "table", "app", Severity.Error,
                "trigger qualified on public.orders runs public.log_qualified() (SECURITY INVOKER) with the privileges of the role that fires it: " +
                "app may INSERT on public.orders but lacks what its body needs — statement 1 \"INSERT INTO audit.log (op) VALUES (1)\" (on some paths) needs USAGE on schema audit; " +
                "INSERT on public.orders fails with \"permission denied for schema audit\" whenever the body reaches that statement.",
                "GRANT USAGE ON SCHEMA audit TO app;"));
    }
    [Fact]
    public void One_function_behind_many_tables_gives_one_finding_per_table_and_grantee()
    {
        var (b, pub, orders, _, _) = World(18);
        var fn = b.TriggerFunction(pub, "audit_fn", b.Bootstrap, AuditBody);
        var other = b.Role("other_rw", login: false);
        b.Grant(other, b.RoleOid("app"));
        var invoices = b.Relation(pub, "invoices", b.Bootstrap, "{postgres=arwdDxt/postgres,other_rw=a/postgres}", columns: [("id", null)]);
        b.Trigger(orders, "orders_audit", fn, AfterInsertRow);
        b.Trigger(invoices, "invoices_audit", fn, AfterInsertRow);

        var findings = Run(Rule, b.Build(), ["app"]);
        Assert.Equal(
            [
                ("public.invoices", "other_rw", "GRANT INSERT (op, row_id) ON TABLE public.audit_log TO other_rw;\nGRANT USAGE ON SEQUENCE public.audit_log_id_seq TO other_rw;"),
                ("public.orders", "app_rw", "GRANT INSERT (op, row_id) ON TABLE public.audit_log TO app_rw;\nGRANT USAGE ON SEQUENCE public.audit_log_id_seq TO app_rw;"),
            ],
            findings.Select(f => (f.Object, f.Role, FixText(f))));
        Assert.StartsWith("trigger invoices_audit on public.invoices runs public.audit_fn()", findings[0].Message, StringComparison.Ordinal);
    }
}
