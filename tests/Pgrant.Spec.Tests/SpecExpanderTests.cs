using Pgrant.Core.Catalog;
using Pgrant.Core.Planning;
using Pgrant.Core.Sql;
using Pgrant.Core.State;
using Pgrant.Core.Tests.Access;

namespace Pgrant.Spec.Tests;

/// <summary>spec + hand-built snapshot → desired state, scope and warnings; and the statements StateDiff makes of them.</summary>
public sealed class SpecExpanderTests
{
    private static AccessSpec Spec(string yaml) => SpecLoader.Parse(yaml, "spec.yaml");

    private static string[] Acl(SpecExpansion e, string grantee) =>
        [.. e.Desired.Acl.Where(f => f.Grantee == grantee).Select(f => f.ToString())];

    // Per-schema default ACLs (a role's global built-in defaults are the server's, not the spec's).
    private static string[] Defaults(SpecExpansion e, string grantee) =>
        [.. e.Desired.DefaultAcl.Where(f => f.Grantee == grantee && f.Schema is not null).Select(f => f.ToString())];

    private static string[] Sql(CatalogSnapshot snapshot, SpecExpansion e) =>
        [.. StateDiff.Diff(GrantState.Of(snapshot), e.Desired).Select(SqlWriter.Text)];

    private const string ReadWriteOnApp = "roles:\n  app: {login: true}\naccess:\n  - to: app\n    profile: readwrite\n    schemas: [app]\n";

    /// <summary>The classic world: orders with a serial id, events with an identity id, and a sequence no default calls.</summary>
    private static (SnapshotBuilder B, CatalogSnapshot Snapshot) Classic(int major = 16)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var migrator = b.Role("migrator");
        b.Role("app");
        var app = b.Schema("app", migrator);
        var orders = b.Relation(app, "orders", migrator, columns: [("id", null), ("total", null)]);
        b.Sequence(app, "orders_id_seq", migrator, serialOf: (orders, "id"));
        var events = b.Relation(app, "events", migrator, columns: [("id", null)]);
        b.IdentitySequence(app, "events_id_seq", (events, "id"));
        b.Sequence(app, "invoice_numbers", migrator);
        return (b, b.Build());
    }

    [Fact]
    public void Sequences_follow_tables_usage_only_on_the_sequences_column_defaults_call()
    {
        var (_, snapshot) = Classic();
        var e = SpecExpander.Expand(Spec(ReadWriteOnApp), snapshot);

        Assert.Equal(
        [
            "schema app: app=U/migrator",
            "sequence app.orders_id_seq: app=U/migrator",
            .. new[] { "events", "orders" }.SelectMany(t => new[] { "a", "d", "r", "w" }.Select(l => $"table app.{t}: app={l}/migrator")),
        ], Acl(e, "app").Order(StringComparer.Ordinal));
        var reason = e.AclReasons.Single(r => r.Key.Object.Name == "orders_id_seq").Value;
        Assert.Equal("spec.yaml:4:5: profile readwrite: INSERT on app.orders, whose default of id calls this sequence", reason);
        Assert.Empty(e.Warnings);
    }

    [Fact]
    public void A_column_grant_of_insert_brings_the_sequence_of_that_column_only()
    {
        var b = new SnapshotBuilder(15).WithBootstrap();
        var o = b.Role("o");
        b.Role("app");
        var s = b.Schema("s", o);
        var t = b.Relation(s, "t", o, columns: [("id", null), ("n", null), ("note", null)]);
        b.Sequence(s, "t_id_seq", o, serialOf: (t, "id"));
        b.Sequence(s, "t_n_seq", o, serialOf: (t, "n"));
        var e = SpecExpander.Expand(Spec("grants:\n  - {to: app, on: tables, schema: s, names: [t], columns: [n, note], privileges: [INSERT]}\n"), b.Build());

        Assert.Equal(["sequence s.t_n_seq: app=U/o", "table s.t (n): app=a/o", "table s.t (note): app=a/o"], Acl(e, "app").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Future_objects_get_default_privileges_for_the_roles_that_really_create_there()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var migrator = b.Role("migrator");
        var deployer = b.Role("deployer");
        var creatorOnPaper = b.Role("can_create");
        b.Role("app");
        var rds = b.Role("rds_superuser");
        var app = b.Schema("app", migrator, "{migrator=UC/migrator,can_create=UC/migrator}");
        b.Relation(app, "a", migrator);
        b.Relation(app, "b", deployer);
        b.Relation(app, "c", b.Bootstrap);        // a superuser's table: never a creator unless listed
        b.Relation(app, "d", rds);                // a managed service's: never a creator unless listed
        _ = creatorOnPaper;
        var e = SpecExpander.Expand(Spec(ReadWriteOnApp), b.Build());

        Assert.Equal(
        [
            .. new[] { "deployer", "migrator" }.SelectMany(c => new[]
            {
                $"default privileges of {c} in schema app on tables: app=a/{c}",
                $"default privileges of {c} in schema app on tables: app=r/{c}",
                $"default privileges of {c} in schema app on tables: app=w/{c}",
                $"default privileges of {c} in schema app on tables: app=d/{c}",
                $"default privileges of {c} in schema app on sequences: app=U/{c}",
            }),
        ], Defaults(e, "app"));
        Assert.Contains(("migrator", "app", DefaultObjectType.Tables), e.Scope.DefaultAcls);
        Assert.DoesNotContain(e.Scope.DefaultAcls, d => d.Creator is "can_create" or "postgres" or "rds_superuser");
    }

    [Fact]
    public void A_listed_creator_that_creates_nothing_there_is_a_warning_and_the_real_creator_gets_defaults_too()
    {
        var (_, snapshot) = Classic(15);
        var spec = Spec("roles:\n  app: {}\n  ci: {}\naccess:\n  - to: app\n    profile: readonly\n    schemas: app\n    creators: [ci]\n");
        var e = SpecExpander.Expand(spec, snapshot);

        Assert.Equal(["spec.yaml:5:5: warning: creator ci owns nothing in schema app, where objects are created by migrator: default privileges are set for those too"],
            e.Warnings.Select(w => w.ToString()));
        Assert.Equal(["ci", "migrator"], e.Desired.DefaultAcl.Where(f => f.Grantee == "app" && f.Schema == "app").Select(f => f.Creator).Distinct().Order(StringComparer.Ordinal));
        // readonly has no INSERT: no sequence follows.
        Assert.DoesNotContain(e.Desired.DefaultAcl, f => f.Grantee == "app" && f.Schema is not null && f.On == DefaultObjectType.Sequences);
    }

    [Theory]
    [InlineData(16, "arwdDxt")]
    [InlineData(17, "arwdDxtm")]
    public void All_is_the_majors_privilege_set(int major, string letters)
    {
        var (_, snapshot) = Classic(major);
        var e = SpecExpander.Expand(Spec("grants:\n  - {to: app, on: tables, schema: app, names: [orders], privileges: ALL}\n"), snapshot);

        Assert.Equal(letters, string.Concat(e.Desired.Acl.Where(f => f.Grantee == "app" && f.Object.Kind == ObjectKind.Table).Select(f => Privileges.Letter(f.Privilege))));
        // INSERT is in ALL: the serial sequence of orders follows, with USAGE only.
        Assert.Equal(["sequence app.orders_id_seq: app=U/migrator"], Acl(e, "app").Where(l => l.StartsWith("sequence", StringComparison.Ordinal)));
    }

    [Fact]
    public void Maintain_named_on_a_major_before_17_is_a_spec_error()
    {
        var (_, snapshot) = Classic(16);
        var e = Assert.Throws<SpecException>(() => SpecExpander.Expand(Spec("grants:\n  - {to: app, on: tables, schema: app, names: [orders], privileges: [MAINTAIN]}\n"), snapshot));
        Assert.Equal("spec.yaml:2:5: MAINTAIN needs PostgreSQL 17 or later (this server is 16)", e.Message);
    }

    [Fact]
    public void Profiles_apply_over_globbed_schemas_minus_except_per_relation_kind()
    {
        var b = new SnapshotBuilder(15).WithBootstrap();
        var o = b.Role("o");
        b.Role("rep");
        b.PublicSchema();
        foreach (var name in new[] { "app_1", "app_2", "app_archive", "other" })
        {
            var s = b.Schema(name, o);
            b.Relation(s, "t", o);
            b.Relation(s, "tmp_x", o);
            b.View(s, "v", o);
            b.View(s, "mv", o, kind: ObjectKind.MaterializedView);
            b.Relation(s, "p", o, kind: ObjectKind.PartitionedTable);
            b.Relation(s, "f", o, kind: ObjectKind.ForeignTable);
            b.Sequence(s, "q", o);
        }
        b.Schema("pg_catalog", b.Bootstrap);
        var spec = Spec("access:\n  - to: rep\n    profile: readonly\n    schemas: [\"app_*\", nothing_*]\n    except: [app_archive]\n    except_objects: [\"tmp_*\"]\n    future_objects: false\n");
        var e = SpecExpander.Expand(spec, b.Build());

        Assert.Equal(
        [
            .. new[] { "app_1", "app_2" }.SelectMany(s => new[]
            {
                $"foreign table {s}.f: rep=r/o", $"materialized view {s}.mv: rep=r/o", $"partitioned table {s}.p: rep=r/o",
                $"table {s}.t: rep=r/o", $"view {s}.v: rep=r/o", $"schema {s}: rep=U/o",
            }),
        ], e.Desired.Acl.Where(f => f.Grantee == "rep").OrderBy(f => f.Object.Schema ?? f.Object.Name, StringComparer.Ordinal).ThenBy(f => f.Object.Kind == ObjectKind.Schema).ThenBy(f => f.ToString(), StringComparer.Ordinal).Select(f => f.ToString()));
        Assert.Equal(["spec.yaml:2:5: warning: schemas \"nothing_*\" match no schema in database app"], e.Warnings.Select(w => w.ToString()));
        Assert.DoesNotContain(e.Desired.DefaultAcl, f => f.Grantee == "rep" && f.Schema is not null);
    }

    [Fact]
    public void Protected_entries_survive_and_undeclared_grants_of_managed_roles_on_declared_objects_go()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var migrator = b.Role("migrator");
        b.Role("app");
        b.Role("other");
        b.Role("rds_iam");
        b.AttributedRole("pg_monitor", predefined: true);
        b.Role("admin", superuser: true);
        var app = b.Schema("app", migrator);
        b.Relation(app, "orders", migrator, "{migrator=arwdDxt/migrator,app=rD/migrator,other=r/migrator,rds_iam=r/migrator,pg_monitor=r/migrator,admin=r/migrator,=r/migrator}");
        var snapshot = b.Build();
        var e = SpecExpander.Expand(Spec(ReadWriteOnApp.Replace("readwrite", "readonly", StringComparison.Ordinal)), snapshot);

        var orders = e.Desired.Acl.Where(f => f.Object.Name == "orders").Select(f => f.ToString()).ToArray();
        Assert.Contains("table app.orders: app=r/migrator", orders);
        Assert.DoesNotContain("table app.orders: app=D/migrator", orders);    // managed role, undeclared privilege
        foreach (var kept in new[] { "other=r", "rds_iam=r", "pg_monitor=r", "admin=r", "=r", "migrator=D" })
            Assert.Contains($"table app.orders: {kept}/migrator", orders);
        Assert.Equal(
        [
            "GRANT USAGE ON SCHEMA app TO app;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE migrator IN SCHEMA app GRANT SELECT ON TABLES TO app;",
            "REVOKE TRUNCATE ON TABLE app.orders FROM app;",
        ], Sql(snapshot, e));
    }

    [Fact]
    public void Public_is_managed_only_where_the_spec_grants_it()
    {
        var b = new SnapshotBuilder(15).WithBootstrap();
        var o = b.Role("o");
        var s = b.Schema("s", o, "{o=UC/o,=U/o}");
        b.Relation(s, "t", o, "{o=arwdDxt/o,=r/o}");
        b.Relation(s, "u", o, "{o=arwdDxt/o,=r/o}");
        var snapshot = b.Build();
        var e = SpecExpander.Expand(Spec("grants:\n  - {to: PUBLIC, on: tables, schema: s, names: [t], privileges: [SELECT, UPDATE]}\n"), snapshot);

        Assert.Equal(["GRANT UPDATE ON TABLE s.t TO PUBLIC;"], Sql(snapshot, e));
        Assert.Contains(new StateObject(ObjectKind.Table, "s", "t"), e.Scope.PublicObjects);
        Assert.DoesNotContain(new StateObject(ObjectKind.Table, "s", "u"), e.Scope.PublicObjects);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(15)]
    [InlineData(18)]
    public void An_empty_spec_and_the_built_in_defaults_are_no_drift(int major)
    {
        var (_, snapshot) = Classic(major);
        var e = SpecExpander.Expand(Spec(""), snapshot);

        Assert.Equal(GrantState.Of(snapshot), e.Desired);
        Assert.Empty(Sql(snapshot, e));
    }

    [Fact]
    public void A_database_that_already_matches_the_spec_plans_nothing()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var migrator = b.Role("migrator");
        b.Role("app");
        var app = b.Schema("app", migrator, "{migrator=UC/migrator,app=U/migrator}");
        var orders = b.Relation(app, "orders", migrator, "{migrator=arwdDxt/migrator,app=arwd/migrator}", columns: [("id", null)]);
        b.Sequence(app, "orders_id_seq", migrator, "{migrator=rwU/migrator,app=U/migrator}", serialOf: (orders, "id"));
        b.DefaultAcl(migrator, app, 'r', "{app=arwd/migrator}");
        b.DefaultAcl(migrator, app, 'S', "{app=U/migrator}");
        var snapshot = b.Build();

        var e = SpecExpander.Expand(Spec(ReadWriteOnApp), snapshot);

        Assert.Empty(Sql(snapshot, e));
    }

    [Fact]
    public void Expansion_diffed_with_the_live_state_grants_what_is_missing()
    {
        var (_, snapshot) = Classic(16);
        var e = SpecExpander.Expand(Spec(ReadWriteOnApp), snapshot);

        Assert.Equal(
        [
            "ALTER DEFAULT PRIVILEGES FOR ROLE migrator IN SCHEMA app GRANT INSERT, SELECT, UPDATE, DELETE ON TABLES TO app;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE migrator IN SCHEMA app GRANT USAGE ON SEQUENCES TO app;",
            "GRANT INSERT, SELECT, UPDATE, DELETE ON TABLE app.events, app.orders TO app;",
            "GRANT USAGE ON SCHEMA app TO app;",
            "GRANT USAGE ON SEQUENCE app.orders_id_seq TO app;",
        ], Sql(snapshot, e).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Hostile_names_reach_sql_quoted_by_the_writer()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var o = b.Role("we\"ird role");
        b.Role("select");
        var s = b.Schema("My Schema", o);
        b.Relation(s, "Order Lines", o);
        var snapshot = b.Build();
        var e = SpecExpander.Expand(Spec("grants:\n  - to: select\n    on: tables\n    schema: My Schema\n    names: [Order Lines]\n    privileges: SELECT\n"), snapshot);

        Assert.Equal(["GRANT SELECT ON TABLE \"My Schema\".\"Order Lines\" TO \"select\";"], Sql(snapshot, e));
    }

    [Fact]
    public void Memberships_16_keep_options_and_the_live_grantor_and_drop_undeclared_ones_of_declared_members()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var app = b.Role("app");
        var readers = b.Role("readers", login: false);
        var old = b.Role("old_group", login: false);
        var monitor = b.AttributedRole("pg_monitor", predefined: true);
        b.Grant(readers, app);
        b.Grant(old, app);
        b.Grant(monitor, app);
        var snapshot = b.Build();
        var e = SpecExpander.Expand(Spec("roles:\n  app: {login: true}\nmemberships:\n  - {role: readers, member: app, set: false}\n"), snapshot);

        Assert.Equal(
        [
            "role pg_monitor: member app granted by postgres (ADMIN FALSE, INHERIT TRUE, SET TRUE)",
            "role readers: member app granted by postgres (ADMIN FALSE, INHERIT TRUE, SET FALSE)",
        ], e.Desired.Memberships.Select(m => m.ToString()));
    }

    [Fact]
    public void A_membership_option_before_16_is_refused_clearly()
    {
        var b = new SnapshotBuilder(15).WithBootstrap();
        b.Role("app");
        b.Role("readers");
        var e = Assert.Throws<SpecException>(() => SpecExpander.Expand(Spec("memberships:\n  - {role: readers, member: app, set: false}\n"), b.Build()));
        Assert.Equal("spec.yaml:2:29: the SET option of a membership needs PostgreSQL 16 or later (this server is 15)", e.Message);
    }

    [Fact]
    public void A_role_neither_declared_nor_in_the_cluster_is_a_spec_error()
    {
        var (_, snapshot) = Classic();
        var e = Assert.Throws<SpecException>(() => SpecExpander.Expand(Spec("access:\n  - {to: ghost, profile: readonly, schemas: app}\n"), snapshot));
        Assert.Equal("spec.yaml:2:5: role \"ghost\" is neither declared under roles: nor in the cluster (expected a role of either)", e.Message);
    }

    [Fact]
    public void Grants_the_grant_state_does_not_hold_yet_and_missing_objects_are_warnings()
    {
        var (_, snapshot) = Classic();
        var e = SpecExpander.Expand(Spec(
            "grants:\n  - {to: app, on: foreign_servers, names: [w], privileges: USAGE}\n  - {to: app, on: tables, schema: app, names: [nope], privileges: SELECT}\n"), snapshot);

        Assert.Equal(
        [
            "spec.yaml:2:5: warning: grants on foreign_servers are not part of the grant state yet: not expanded",
            "spec.yaml:3:5: warning: table app.nope does not exist: skipped",
        ], e.Warnings.Select(w => w.ToString()));
        Assert.Empty(Sql(snapshot, e));
    }

    [Theory]
    [InlineData("rds_superuser", true)]
    [InlineData("cloudsqlsuperuser", true)]
    [InlineData("azure_pg_admin", true)]
    [InlineData("alloydbsuperuser", true)]
    [InlineData("supabase_admin", true)]
    [InlineData("pg_read_all_data", true)]
    [InlineData("app", false)]
    [InlineData("rdsadmin", true)]
    [InlineData("rdsapp", false)]
    public void Protected_roles_by_name(string name, bool isProtected) =>
        Assert.Equal(isProtected, SpecExpander.IsProtected(new Role(1, name, false, true, true, false, false, false, false)));
}
