using Pgrant.Core.Sql;
using Pgrant.Core.State;

namespace Pgrant.Core.Planning;

/// <summary>
/// Memberships on 16+: rows (role, member, grantor) with ADMIN, INHERIT and SET each. Grants run in waves
/// (a grant by a role waits for its ADMIN option), then the revokes that can run, and again: a grant that would
/// make a role a member of itself waits for the revoke that breaks the loop, and a revoke of an ADMIN option
/// its member has granted with waits for those grants' revokes. Each step is checked against the server's
/// rules (checked on 16–18): the grantor named in GRANTED BY must be the bootstrap superuser or hold ADMIN on
/// the role in a row of its own; ADMIN cannot be granted back to the role's own grantor; a row's ADMIN option
/// cannot be revoked while its member's grants depend on it and no other row gives the member ADMIN.
/// </summary>
internal sealed class MembershipPlanner16 : MembershipPlanner<MembershipPlanner16.Row, MembershipPlanner16.Options>
{
    internal readonly record struct Row(string Role, string Member, string Grantor);
    internal readonly record struct Options(bool Admin, bool Inherit, bool Set);

    private readonly string? _bootstrap;

    private MembershipPlanner16(GrantState from, GrantState to)
        : base(from, to, f => new Row(f.Role, f.Member, f.Grantor), f => new Options(f.Admin, f.Inherit ?? true, f.Set ?? true)) =>
        _bootstrap = from.BootstrapSuperuser;

    public static List<SqlStatement> Plan(GrantState from, GrantState to) => new MembershipPlanner16(from, to).Run();

    protected override string Describe(Row key, Options value) => $"{key.Role} to {key.Member} granted by {key.Grantor}";

    protected override bool Grants()
    {
        var done = false;
        var wave = new List<(Row Row, Options Want, bool New)>();
        foreach (var (row, want) in _target.OrderBy(t => t.Key.Grantor == _bootstrap ? 0 : 1).ThenBy(t => t.Key.Role, StringComparer.Ordinal)
                     .ThenBy(t => t.Key.Member, StringComparer.Ordinal).ThenBy(t => t.Key.Grantor, StringComparer.Ordinal))
        {
            var exists = _current.TryGetValue(row, out var have);
            if (exists && !(want.Admin && !have.Admin) && !(want.Inherit && !have.Inherit) && !(want.Set && !have.Set)) continue;
            if (CanGrant(row, want.Admin && !(exists && have.Admin), isNew: !exists)) wave.Add((row, want, !exists));
        }
        foreach (var (row, want, isNew) in wave)
        {
            // Re-checked: an earlier grant of this wave may have closed a loop.
            var exists = _current.TryGetValue(row, out var have);
            if (!CanGrant(row, want.Admin && !(exists && have.Admin), isNew: !exists)) continue;
            MembershipOptions options;
            if (isNew)
            {
                options = new MembershipOptions(want.Admin, want.Inherit, want.Set);
                _current[row] = want;
            }
            else
            {
                options = new MembershipOptions(want.Admin && !have.Admin ? true : null, want.Inherit && !have.Inherit ? true : null, want.Set && !have.Set ? true : null);
                _current[row] = new Options(have.Admin || want.Admin, have.Inherit || want.Inherit, have.Set || want.Set);
            }
            _statements.Add(new GrantRole(row.Role, row.Member, isNew ? "diff: the target state has this membership" : "diff: the target state has this membership with more options",
                options, row.Grantor));
            done = true;
        }
        return done;
    }

    private bool CanGrant(Row row, bool addsAdmin, bool isNew)
    {
        if (row.Grantor != _bootstrap && !HasAdminRow(row.Role, row.Grantor, except: null)) return false;
        if (isNew && (row.Role == row.Member || IsMemberOf(row.Role, row.Member))) return false;
        if (addsAdmin && row.Grantor != _bootstrap && !GrantorKeepsAdmin(row)) return false;
        if (addsAdmin && row.Member == _bootstrap) return false;
        return true;
    }

    private bool HasAdminRow(string role, string member, Row? except) =>
        _current.Any(c => c.Key.Role == role && c.Key.Member == member && c.Value.Admin && c.Key != except);

    // Whether `role` is a member of `of`, through any rows (options do not matter to the loop check).
    private bool IsMemberOf(string role, string of) => Memberships.IsMemberOf(_current.Keys.Select(k => (k.Role, k.Member)), role, of);

    // ADMIN may not be granted back to one's own grantor: with every grant to the member (and what depends on
    // it) gone, the grantor must still hold ADMIN.
    private bool GrantorKeepsAdmin(Row row)
    {
        var rows = _current.Where(c => c.Key.Role == row.Role).ToDictionary(c => c.Key, c => c.Value);
        var lost = new Queue<string>([row.Member]);
        var gone = new HashSet<string>(StringComparer.Ordinal);
        while (lost.Count > 0)
        {
            var m = lost.Dequeue();
            if (!gone.Add(m)) continue;
            foreach (var k in rows.Keys.Where(k => k.Member == m).ToList()) rows.Remove(k);
            foreach (var k in rows.Keys.Where(k => k.Grantor == m).ToList())
            {
                var member = k.Member;
                rows.Remove(k);
                if (!rows.Any(r => r.Key.Member == member && r.Value.Admin)) lost.Enqueue(member);
            }
        }
        return rows.Any(r => r.Key.Member == row.Grantor && r.Value.Admin);
    }

    protected override bool Revokes()
    {
        var done = false;
        foreach (var (row, have) in _current.OrderBy(c => c.Key.Grantor == _bootstrap ? 1 : 0).ThenBy(c => c.Key.Role, StringComparer.Ordinal)
                     .ThenBy(c => c.Key.Member, StringComparer.Ordinal).ThenBy(c => c.Key.Grantor, StringComparer.Ordinal).ToList())
        {
            var wanted = _target.TryGetValue(row, out var want);
            var dropsAdmin = have.Admin && (!wanted || !want.Admin);
            var dependents = dropsAdmin && !HasAdminRow(row.Role, row.Member, except: row)
                ? _current.Keys.Where(k => k.Role == row.Role && k.Grantor == row.Member).ToList()
                : [];
            if (dependents.Count > 0)
            {
                // Its member's grants go first — unless the target keeps them: then ADMIN goes the one way the
                // server allows without them (GRANT … WITH ADMIN FALSE does not check dependent grants, 16–18).
                if (!dependents.All(_target.ContainsKey) || (row.Grantor != _bootstrap && !HasAdminRow(row.Role, row.Grantor, except: null))) continue;
                _statements.Add(new GrantRole(row.Role, row.Member, "diff: the target keeps grants this member made with its ADMIN option, which REVOKE would refuse to leave",
                    new MembershipOptions(Admin: false), row.Grantor));
                _current[row] = have with { Admin = false };
                done = true;
                continue;
            }
            if (!wanted)
            {
                _current.Remove(row);
                _statements.Add(new RevokeRole(row.Role, row.Member, "diff: the target state lacks this membership", GrantedBy: row.Grantor));
                done = true;
                continue;
            }
            foreach (var (option, on) in new[] { (MembershipOption.Admin, dropsAdmin), (MembershipOption.Inherit, have.Inherit && !want.Inherit), (MembershipOption.Set, have.Set && !want.Set) })
            {
                if (!on) continue;
                _statements.Add(new RevokeRole(row.Role, row.Member, $"diff: the target state has this membership without {option.ToString().ToUpperInvariant()}", option, row.Grantor));
                done = true;
            }
            if (dropsAdmin || (have.Inherit && !want.Inherit) || (have.Set && !want.Set))
                _current[row] = new Options(have.Admin && want.Admin, have.Inherit && want.Inherit, have.Set && want.Set);
        }
        return done;
    }
}

/// <summary>
/// Memberships on 13–15: one row per (role, member), with its grantor and ADMIN option (checked on 13, 14,
/// 15): GRANT … GRANTED BY records any role a superuser names; granting an existing membership changes it
/// only when it adds the ADMIN option (and then records the new grantor); REVOKE removes the row whoever
/// granted it (GRANTED BY is accepted and ignored); REVOKE ADMIN OPTION FOR keeps the grantor; nothing
/// depends on a grantor's ADMIN option. A changed grantor is therefore a REVOKE and a GRANT, unless the GRANT
/// adds ADMIN. A grant that would make a role a member of itself waits for the revoke that breaks the loop.
/// </summary>
internal sealed class MembershipPlanner13 : MembershipPlanner<MembershipPlanner13.Pair, MembershipPlanner13.Row>
{
    internal readonly record struct Pair(string Role, string Member);
    internal readonly record struct Row(string Grantor, bool Admin);

    private MembershipPlanner13(GrantState from, GrantState to)
        : base(from, to, f => new Pair(f.Role, f.Member), f => new Row(f.Grantor, f.Admin)) { }

    public static List<SqlStatement> Plan(GrantState from, GrantState to) => new MembershipPlanner13(from, to).Run();

    protected override string Describe(Pair key, Row value) => $"{key.Role} to {key.Member} granted by {value.Grantor}";

    private static List<KeyValuePair<Pair, Row>> Ordered(Dictionary<Pair, Row> rows) =>
        rows.OrderBy(t => t.Key.Role, StringComparer.Ordinal).ThenBy(t => t.Key.Member, StringComparer.Ordinal).ToList();

    protected override bool Grants()
    {
        var done = false;
        foreach (var (pair, want) in Ordered(_target))
        {
            var exists = _current.TryGetValue(pair, out var have);
            // A new row, or one that gains ADMIN (which also records the grantor named).
            if (exists && !(want.Admin && !have.Admin)) continue;
            if (!exists && (pair.Role == pair.Member || IsMemberOf(pair.Role, pair.Member))) continue;
            _current[pair] = want;
            _statements.Add(new GrantRole(pair.Role, pair.Member,
                exists ? "diff: the target state has this membership with ADMIN" : "diff: the target state has this membership",
                want.Admin ? new MembershipOptions(Admin: true) : null, want.Grantor));
            done = true;
        }
        return done;
    }

    protected override bool Revokes()
    {
        var done = false;
        foreach (var (pair, have) in Ordered(_current))
        {
            if (!_target.TryGetValue(pair, out var want) || want.Grantor != have.Grantor)
            {
                // Gone, or granted by another role: revoked, and granted again by the next wave.
                _current.Remove(pair);
                _statements.Add(new RevokeRole(pair.Role, pair.Member, _target.ContainsKey(pair)
                    ? $"diff: the target state has this membership granted by {want.Grantor}, which only a new grant records"
                    : "diff: the target state lacks this membership"));
                done = true;
            }
            else if (have.Admin && !want.Admin)
            {
                _current[pair] = want;
                _statements.Add(new RevokeRole(pair.Role, pair.Member, "diff: the target state has this membership without ADMIN", MembershipOption.Admin));
                done = true;
            }
        }
        return done;
    }

    private bool IsMemberOf(string role, string of) => Memberships.IsMemberOf(_current.Keys.Select(k => (k.Role, k.Member)), role, of);
}

/// <summary>
/// What both membership planners share: the current and target rows, and the rounds — the grants that can
/// run, then the revokes that can, until the rows match (or nothing can move, which names what is left).
/// </summary>
internal abstract class MembershipPlanner<TKey, TValue>
    where TKey : struct, IEquatable<TKey>
    where TValue : struct, IEquatable<TValue>
{
    protected readonly Dictionary<TKey, TValue> _current;
    protected readonly Dictionary<TKey, TValue> _target;
    protected readonly List<SqlStatement> _statements = [];

    protected MembershipPlanner(GrantState from, GrantState to, Func<MembershipFact, TKey> key, Func<MembershipFact, TValue> value)
    {
        _current = from.Memberships.ToDictionary(key, value);
        _target = to.Memberships.ToDictionary(key, value);
    }

    protected abstract bool Grants();

    protected abstract bool Revokes();

    protected abstract string Describe(TKey key, TValue value);

    protected List<SqlStatement> Run()
    {
        for (var round = 0; round < 10_000; round++)
        {
            if (_current.Count == _target.Count && _current.All(c => _target.TryGetValue(c.Key, out var t) && t.Equals(c.Value))) return _statements;
            if (Grants() || Revokes()) continue;
            throw StateDiff.Stuck("the role memberships",
                _target.Where(t => !_current.TryGetValue(t.Key, out var c) || !c.Equals(t.Value)).Select(t => $"grant {Describe(t.Key, t.Value)}")
                    .Concat(_current.Where(c => !_target.TryGetValue(c.Key, out var t) || !t.Equals(c.Value)).Select(c => $"revoke {Describe(c.Key, c.Value)}")));
        }
        throw StateDiff.Stuck("the role memberships (too many rounds)", []);
    }
}

/// <summary>Membership walks both planners share.</summary>
internal static class Memberships
{
    /// <summary>Whether <paramref name="role"/> is a member of <paramref name="of"/> through any of the (role, member) rows.</summary>
    public static bool IsMemberOf(IEnumerable<(string Role, string Member)> rows, string role, string of)
    {
        var byMember = rows.ToLookup(r => r.Member, r => r.Role, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { role };
        var queue = new Queue<string>([role]);
        while (queue.Count > 0)
        {
            foreach (var group in byMember[queue.Dequeue()])
            {
                if (group == of) return true;
                if (seen.Add(group)) queue.Enqueue(group);
            }
        }
        return false;
    }
}
