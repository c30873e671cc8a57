using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Postgres.Catalog;

namespace Pgrant.IntegrationTests.Catalog;

/// <summary>
/// The triggers and trigger-function bodies of a snapshot, on real servers: user triggers only (not the ones behind
/// foreign keys), their events, timing, level and enabled state as tgtype/tgenabled encode them, and the bodies of
/// exactly the functions they call; a scoped read keeps those of the scope's relations.
/// </summary>
public sealed class TriggerCatalogTests
{
    private const string Body = "\nBEGIN\n    INSERT INTO \"audit log ✓\" (op) VALUES (TG_OP); -- ';' in a comment\n    RETURN NULL;\nEND\n";

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Reads_user_triggers_and_only_the_bodies_of_their_functions(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        await db.ExecuteAsync($""""
            CREATE TABLE "audit log ✓" (id serial PRIMARY KEY, op text);
            CREATE TABLE parent (id integer PRIMARY KEY);
            CREATE TABLE "Child ""t""" (id integer, parent_id integer REFERENCES parent (id), note text);
            CREATE VIEW child_view AS SELECT id, note FROM "Child ""t""";
            CREATE FUNCTION audit_fn() RETURNS trigger LANGUAGE plpgsql AS $fn${Body}$fn$;
            CREATE FUNCTION view_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE FUNCTION never_a_trigger() RETURNS integer LANGUAGE sql AS 'SELECT 1';
            CREATE TRIGGER "row after ""ins""" AFTER INSERT ON "Child ""t""" FOR EACH ROW EXECUTE FUNCTION audit_fn();
            CREATE TRIGGER stmt_before BEFORE UPDATE OR DELETE ON "Child ""t""" FOR EACH STATEMENT EXECUTE FUNCTION audit_fn();
            CREATE TRIGGER on_truncate AFTER TRUNCATE ON parent FOR EACH STATEMENT EXECUTE FUNCTION audit_fn();
            CREATE TRIGGER off AFTER INSERT ON parent FOR EACH ROW EXECUTE FUNCTION audit_fn();
            ALTER TABLE parent DISABLE TRIGGER off;
            CREATE TRIGGER replica AFTER INSERT ON parent FOR EACH ROW EXECUTE FUNCTION audit_fn();
            ALTER TABLE parent ENABLE REPLICA TRIGGER replica;
            CREATE TRIGGER suppress BEFORE UPDATE ON parent FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
            CREATE TRIGGER instead INSTEAD OF INSERT ON child_view FOR EACH ROW EXECUTE FUNCTION view_insert();
            CREATE TABLE measures (id integer PRIMARY KEY, parent_id integer REFERENCES parent (id)) PARTITION BY RANGE (id);
            CREATE TABLE measures_1 PARTITION OF measures FOR VALUES FROM (0) TO (100);
            CREATE TRIGGER part_audit AFTER INSERT ON measures FOR EACH ROW EXECUTE FUNCTION audit_fn();
            """");
        await using var conn = await db.OpenAsync();
        var s = await CatalogReader.ReadAsync(conn);

        string Name(uint relation) => s.RelationByOid(relation)!.Name;
        // The foreign keys' internal triggers (RI_ConstraintTrigger_…, and their clones on the partition) are left out.
        Assert.Equal(
            [
                ("Child \"t\"", "row after \"ins\"", "audit_fn", true, TriggerTiming.After, Privilege.Insert, 'O', true),
                ("Child \"t\"", "stmt_before", "audit_fn", false, TriggerTiming.Before, Privilege.Update | Privilege.Delete, 'O', true),
                ("child_view", "instead", "view_insert", true, TriggerTiming.InsteadOf, Privilege.Insert, 'O', true),
                // The partitioned table's trigger and its clone on the partition (internal on 13-14, not on 15+: read on both).
                ("measures", "part_audit", "audit_fn", true, TriggerTiming.After, Privilege.Insert, 'O', true),
                ("measures_1", "part_audit", "audit_fn", true, TriggerTiming.After, Privilege.Insert, 'O', true),
                ("parent", "off", "audit_fn", true, TriggerTiming.After, Privilege.Insert, 'D', false),
                ("parent", "on_truncate", "audit_fn", false, TriggerTiming.After, Privilege.Truncate, 'O', true),
                ("parent", "replica", "audit_fn", true, TriggerTiming.After, Privilege.Insert, 'R', false),
                ("parent", "suppress", "suppress_redundant_updates_trigger", true, TriggerTiming.Before, Privilege.Update, 'O', true),
            ],
            s.Triggers
                .Select(t => (Name(t.Relation), t.Name, Function: FunctionName(conn, t.Function), t.ForEachRow, t.Timing, t.Events, t.Enabled, t.FiresInOrdinarySessions))
                .OrderBy(t => t.Item1, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal));

        // Bodies: the three trigger functions, each once (the system one is built in, "internal": its prosrc is its symbol); no other routine.
        Assert.Equal(
            [("internal", "suppress_redundant_updates_trigger"), ("plpgsql", " BEGIN RETURN NEW; END "), ("plpgsql", Body)],
            s.RoutineBodies.Select(b => (b.Language, b.Source)).OrderBy(b => b.Language, StringComparer.Ordinal).ThenBy(b => b.Source.Length));
        Assert.All(s.Triggers, t => Assert.NotNull(s.BodyOf(t.Function)));

        // A scoped read keeps the triggers of the scope's relations, and their functions' bodies.
        var scoped = await CatalogReader.ReadAsync(conn, CatalogScope.ForObject(null, "Child \"t\"", ObjectKind.Table));
        Assert.Equal(["row after \"ins\"", "stmt_before"], scoped.Triggers.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal([Body], scoped.RoutineBodies.Select(b => b.Source));
    }

    private static string FunctionName(NpgsqlConnection conn, uint oid)
    {
        using var cmd = new NpgsqlCommand("SELECT proname::text FROM pg_proc WHERE oid = $1", conn) { Parameters = { new() { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid } } };
        return (string)cmd.ExecuteScalar()!;
    }
}
