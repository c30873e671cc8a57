using Pgrant.Core.Acl;

namespace Pgrant.Core.Catalog;

/// <summary>When a trigger fires relative to the event (from pg_trigger.tgtype).</summary>
public enum TriggerTiming
{
    /// <summary>BEFORE the row (or statement) is written.</summary>
    Before,
    /// <summary>AFTER the row (or statement) is written.</summary>
    After,
    /// <summary>INSTEAD OF the write (row triggers on views).</summary>
    InsteadOf,
}

/// <summary>
/// A user-defined trigger (pg_trigger with tgisinternal false: the triggers behind foreign keys and deferred
/// constraints are left out) on a relation of the snapshot, or a partition's clone of a partitioned table's row
/// trigger (internal on 13–14, not on 15+: read on every major). Firing a trigger checks no privilege of its own —
/// EXECUTE on the function is checked when the trigger is created — but its function's body runs with the
/// privileges of the role whose INSERT, UPDATE, DELETE or TRUNCATE fired it, unless the function is SECURITY
/// DEFINER (then as its owner).
/// </summary>
/// <param name="Oid">The trigger's OID.</param>
/// <param name="Relation">tgrelid: the table, partitioned table, view or foreign table it is on.</param>
/// <param name="Name">tgname.</param>
/// <param name="Function">tgfoid: the trigger function's OID (its body: <see cref="CatalogSnapshot.BodyOf"/>).</param>
/// <param name="Type">tgtype: the server's bit set (1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate, 64 instead).</param>
/// <param name="Enabled">tgenabled: 'O' fires in ordinary sessions (origin and local), 'A' always, 'R' only when session_replication_role is replica, 'D' never.</param>
public sealed record Trigger(uint Oid, uint Relation, string Name, uint Function, short Type, char Enabled)
{
    /// <summary>FOR EACH ROW; false for FOR EACH STATEMENT.</summary>
    public bool ForEachRow => (Type & 1) != 0;

    /// <summary>BEFORE, AFTER or INSTEAD OF.</summary>
    public TriggerTiming Timing => (Type & 64) != 0 ? TriggerTiming.InsteadOf : (Type & 2) != 0 ? TriggerTiming.Before : TriggerTiming.After;

    /// <summary>
    /// The events that fire it, as the table privilege each event needs: INSERT, UPDATE, DELETE, TRUNCATE.
    /// A role that holds one of them on the relation may fire the trigger.
    /// </summary>
    public Privilege Events =>
        ((Type & 4) != 0 ? Privilege.Insert : Privilege.None) |
        ((Type & 16) != 0 ? Privilege.Update : Privilege.None) |
        ((Type & 8) != 0 ? Privilege.Delete : Privilege.None) |
        ((Type & 32) != 0 ? Privilege.Truncate : Privilege.None);

    /// <summary>
    /// Whether it fires in an ordinary session (session_replication_role = origin, the default): enabled
    /// ('O') or ENABLE ALWAYS ('A'); a disabled ('D') or ENABLE REPLICA ('R') trigger does not.
    /// </summary>
    public bool FiresInOrdinarySessions => Enabled is 'O' or 'A';
}

/// <summary>
/// The source of a routine (pg_proc.prosrc) in its language. The catalog read holds the bodies of the trigger
/// functions of <see cref="CatalogSnapshot.Triggers"/> only: reading every routine's source would cost
/// a whole-catalog read far more than the few bodies anything judges.
/// </summary>
/// <param name="Function">The routine's OID.</param>
/// <param name="Language">Its language's name (plpgsql, sql, c, internal …).</param>
/// <param name="Source">prosrc: the body's text for plpgsql and sql; the symbol's name for c and internal.</param>
public sealed record RoutineBody(uint Function, string Language, string Source);
