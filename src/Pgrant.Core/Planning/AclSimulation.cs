using Pgrant.Core.Acl;

namespace Pgrant.Core.Planning;

/// <summary>An aclitem's identity: the column (null: the object's own ACL), grantee (null: PUBLIC) and grantor.</summary>
internal readonly record struct AclKey(string? Column, string? Grantee, string Grantor);

/// <summary>An aclitem's bits: the privileges held and, among them, those held with the grant option.</summary>
internal readonly record struct AclBits(Privilege Privileges, Privilege Options);

/// <summary>
/// One GRANT or REVOKE on one object, run as <see cref="Actor"/> (the owner: as a superuser, recorded as the
/// owner's; any other role: SET ROLE to it). <see cref="Columns"/> empty: the object's own ACL. For a grant
/// <see cref="Option"/> is WITH GRANT OPTION, for a revoke GRANT OPTION FOR.
/// </summary>
internal sealed record AclOp(bool IsGrant, IReadOnlyList<string> Columns, string? Grantee, string Actor, Privilege Privileges, bool Option)
{
    public bool OnColumns => Columns.Count > 0;
}

/// <summary>
/// The ACLs of one object (and its columns) as the server changes them, so a diff can order its statements
/// and check the order before emitting it. Modelled on the server's aclchk.c / acl.c (13–18), each rule
/// checked on servers 13–18:
/// <list type="bullet">
/// <item>The grantor of a GRANT or REVOKE is the owner when the current role is the owner or a superuser;
/// otherwise the current role when it holds the grant option for every privilege of the statement directly
/// (for a column: on the table or on that column). Otherwise the server would pick another role or warn, so
/// the simulation refuses: the planner first gives the role a grant option of its own.</item>
/// <item>Granting WITH GRANT OPTION to E is refused when the grantor's option depends on E (the server
/// zaps E's options and what depends on them, then checks the grantor) — on the ACL being changed only, so a
/// role whose option is on the table cannot grant a column privilege WITH GRANT OPTION.</item>
/// <item>A REVOKE that takes a grant option from E fails ("dependent privileges exist", RESTRICT) while E has
/// granted that privilege on the same ACL, unless E still holds the option there from another grantor (the
/// server also counts options E inherits through memberships; the simulation does not, so it may demand an
/// order the server would not need, never the reverse). The owner never loses its implicit options.</item>
/// <item>A REVOKE on a relation of a privilege that also exists per column (SELECT, INSERT, UPDATE,
/// REFERENCES) revokes it from the same grantee and grantor on every column too, with the same check per
/// column. A table-level GRANT adds nothing per column, and a revoke of a table-level grant option leaves
/// column grants made with it in place.</item>
/// </list>
/// </summary>
internal sealed class AclSimulation
{
    private const Privilege ColumnPrivileges = Privilege.Select | Privilege.Insert | Privilege.Update | Privilege.References;

    private readonly Dictionary<AclKey, AclBits> _entries;

    public AclSimulation(string owner, bool hasColumns, IEnumerable<KeyValuePair<AclKey, AclBits>> entries)
    {
        Owner = owner;
        HasColumns = hasColumns;
        _entries = new Dictionary<AclKey, AclBits>(entries);
    }

    public string Owner { get; }

    public bool HasColumns { get; }

    public IReadOnlyDictionary<AclKey, AclBits> Entries => _entries;

    public AclSimulation Clone() => new(Owner, HasColumns, _entries);

    public AclBits Get(AclKey key) => _entries.GetValueOrDefault(key);

    /// <summary>Sets an entry outright (building a state, not simulating a statement).</summary>
    public void Set(AclKey key, AclBits bits)
    {
        if (bits.Privileges == Privilege.None) _entries.Remove(key);
        else _entries[key] = bits;
    }

    /// <summary>Same entries (empty ones do not exist).</summary>
    public bool SameAs(AclSimulation other) =>
        _entries.Count == other._entries.Count && _entries.All(e => other._entries.TryGetValue(e.Key, out var b) && b == e.Value);

    /// <summary>The grant options <paramref name="role"/> holds directly on one ACL (the object's: null), as the recursive revoke counts them.</summary>
    public Privilege OptionsAt(string? column, string role)
    {
        if (role == Owner) return (Privilege)0x7FFF;
        var options = Privilege.None;
        foreach (var (key, bits) in _entries)
            if (key.Grantee == role && key.Column == column) options |= bits.Options;
        return options;
    }

    /// <summary>The grant options <paramref name="role"/> may act with on a column (its table's and the column's) or the object.</summary>
    public Privilege ActorOptions(string? column, string role) =>
        column is null ? OptionsAt(null, role) : OptionsAt(null, role) | OptionsAt(column, role);

    /// <summary>Whether <paramref name="actor"/> would be recorded as the grantor of a statement on these privileges.</summary>
    public bool CanAct(string actor, string? column, Privilege privileges) =>
        actor == Owner || (ActorOptions(column, actor) & privileges) == privileges;

    /// <summary>Applies <paramref name="op"/>; false (and nothing changed) when the server would refuse or warn. <paramref name="blocking"/> lists the dependent entries of a refused revoke.</summary>
    public bool TryApply(AclOp op, out List<AclKey> blocking)
    {
        blocking = [];
        var work = Clone();
        var ok = op.IsGrant ? work.Grant(op) : work.Revoke(op, blocking);
        if (!ok) return false;
        _entries.Clear();
        foreach (var e in work._entries) _entries.Add(e.Key, e.Value);
        return true;
    }

    public bool TryApply(AclOp op) => TryApply(op, out _);

    private bool Grant(AclOp op)
    {
        if (op.Option && op.Grantee is null) return false;
        foreach (var column in Levels(op))
        {
            if (!CanAct(op.Actor, column, op.Privileges)) return false;
            if (op.Option && op.Actor != Owner && !CircularityAllows(column, op.Grantee!, op.Actor, op.Privileges)) return false;
            var key = new AclKey(column, op.Grantee, op.Actor);
            var bits = Get(key);
            _entries[key] = new AclBits(bits.Privileges | op.Privileges, bits.Options | (op.Option ? op.Privileges : Privilege.None));
        }
        return true;
    }

    private bool Revoke(AclOp op, List<AclKey> blocking)
    {
        foreach (var column in Levels(op))
        {
            if (!CanAct(op.Actor, column, op.Privileges)) return false;
            if (!RevokeAt(column, op.Grantee, op.Actor, op.Privileges, op.Option, blocking)) return false;
            if (column is null && HasColumns && (op.Privileges & ColumnPrivileges) != 0)
            {
                // The server revokes the same privileges from the same grantee, as the same grantor, on every column.
                foreach (var c in _entries.Keys.Where(k => k.Column is not null).Select(k => k.Column!).Distinct(StringComparer.Ordinal).ToList())
                    if (!RevokeAt(c, op.Grantee, op.Actor, op.Privileges & ColumnPrivileges, op.Option, blocking)) return false;
            }
        }
        return true;
    }

    private static IEnumerable<string?> Levels(AclOp op)
    {
        if (!op.OnColumns)
        {
            yield return null;
            yield break;
        }
        foreach (var column in op.Columns) yield return column;
    }

    private bool RevokeAt(string? column, string? grantee, string grantor, Privilege privileges, bool optionOnly, List<AclKey> blocking)
    {
        var key = new AclKey(column, grantee, grantor);
        if (!_entries.TryGetValue(key, out var old)) return true;
        var updated = new AclBits(optionOnly ? old.Privileges : old.Privileges & ~privileges, old.Options & ~privileges);
        if (updated.Privileges == Privilege.None) _entries.Remove(key);
        else _entries[key] = updated;
        var lost = old.Options & ~updated.Options;
        if (lost == Privilege.None || grantee is null || grantee == Owner) return true;
        lost &= ~OptionsAt(column, grantee);
        if (lost == Privilege.None) return true;
        var dependents = _entries.Where(e => e.Key.Column == column && e.Key.Grantor == grantee && (e.Value.Privileges & lost) != 0).Select(e => e.Key).ToList();
        if (dependents.Count == 0) return true;
        blocking.AddRange(dependents);
        return false;
    }

    // check_circularity: without the grantee's grant options (and, by cascade, what depends on them), does the
    // grantor still hold the options it grants? Only the ACL being changed counts.
    private bool CircularityAllows(string? column, string grantee, string grantor, Privilege privileges)
    {
        var work = new Dictionary<AclKey, AclBits>(_entries.Where(e => e.Key.Column == column));
        while (true)
        {
            var zap = work.FirstOrDefault(e => e.Key.Grantee == grantee && e.Value.Options != Privilege.None);
            if (zap.Value.Options == Privilege.None) break;
            CascadeDelete(work, zap.Key, zap.Value.Privileges);
        }
        var options = Privilege.None;
        foreach (var (key, bits) in work)
            if (key.Grantee == grantor) options |= bits.Options;
        return (options & privileges) == privileges;
    }

    private void CascadeDelete(Dictionary<AclKey, AclBits> acl, AclKey key, Privilege privileges)
    {
        if (!acl.TryGetValue(key, out var old)) return;
        var updated = new AclBits(old.Privileges & ~privileges, old.Options & ~privileges);
        if (updated.Privileges == Privilege.None) acl.Remove(key);
        else acl[key] = updated;
        var lost = old.Options & ~updated.Options;
        if (lost == Privilege.None || key.Grantee is null || key.Grantee == Owner) return;
        var still = Privilege.None;
        foreach (var (k, b) in acl)
            if (k.Grantee == key.Grantee) still |= b.Options;
        lost &= ~still;
        if (lost == Privilege.None) return;
        foreach (var dependent in acl.Where(e => e.Key.Grantor == key.Grantee && (e.Value.Privileges & lost) != 0).Select(e => e.Key).ToList())
            CascadeDelete(acl, dependent, lost);
    }
}
