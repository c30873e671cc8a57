using Pgrant.Core.Acl;
using Pgrant.Core.Sql;
using Pgrant.Core.State;

namespace Pgrant.Core.Planning;

/// <summary>
/// Orders the GRANTs and REVOKEs that take one object's ACLs (its own and its columns') from
/// <c>current</c> to <c>target</c>, checking every step on an <see cref="AclSimulation"/>. It works in waves:
/// every grant that can run now (grants along a chain of grant options come one wave after the option they
/// use), then, when no grant can, the revokes that can run, deepest in the chains first, and again. When
/// neither can run it unblocks one step: a role that must grant or revoke as itself without a grant option
/// of its own gets one from the owner (revoked again when no longer needed); a revoke that other grants
/// depend on first revokes them (granted again after it, when the target has them).
/// </summary>
internal sealed class ObjectPlanner(StateObject obj, SqlObject sql, AclSimulation current, AclSimulation target, IReadOnlySet<AclKey>? schemaUsage = null)
{
    private const int MaxRounds = 10_000;

    // One privilege bit of one aclitem to grant (Option: WITH GRANT OPTION) or revoke (Option: GRANT OPTION FOR).
    private readonly record struct Step(AclKey Key, Privilege Bit, bool Option)
    {
        public AclOp Op(bool grant) => new(grant, Key.Column is null ? [] : [Key.Column], Key.Grantee, Key.Grantor, Bit, Option);
    }

    // Target bits revoked for now so a revoke they depend on can run; granted again once it has.
    private readonly Dictionary<(AclKey, Privilege), Step> _forced = [];
    // Grant options the owner gave a role so it could act as itself (not in the target).
    private readonly HashSet<(string, Privilege)> _temporary = [];
    private readonly HashSet<(AclKey, Privilege)> _fromState = [.. current.Entries.SelectMany(e => Privileges.Split(e.Value.Privileges).Select(b => (e.Key, b)))];
    private readonly List<SqlStatement> _statements = [];

    public List<SqlStatement> Plan()
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            if (current.SameAs(target)) return _statements;
            if (GrantWave() || RevokeWave() || Unblock()) continue;
            throw StateDiff.Stuck($"the privileges on {obj}", GrantSteps().Select(s => "grant " + Describe(s)).Concat(RevokeSteps().Select(s => "revoke " + Describe(s))));
        }
        throw StateDiff.Stuck($"the privileges on {obj} (too many rounds)", []);
    }

    // ---- what is left to do

    private IEnumerable<Step> GrantSteps()
    {
        foreach (var (key, want) in target.Entries)
        {
            var have = current.Get(key);
            foreach (var bit in Privileges.Split(want.Privileges & ~have.Privileges))
                yield return new Step(key, bit, (want.Options & bit) != 0);
            foreach (var bit in Privileges.Split(want.Options & have.Privileges & ~have.Options))
                yield return new Step(key, bit, true);
        }
    }

    private IEnumerable<Step> RevokeSteps()
    {
        foreach (var (key, have) in current.Entries)
        {
            var want = target.Get(key);
            foreach (var bit in Privileges.Split(have.Privileges))
            {
                if ((want.Privileges & bit) == 0 || (_forced.ContainsKey((key, bit)) && Pending(_forced[(key, bit)])))
                    yield return new Step(key, bit, false);
                else if ((have.Options & bit) != 0 && (want.Options & bit) == 0)
                    yield return new Step(key, bit, true);
            }
        }
    }

    // A revoke step not yet done: the current state still holds what it takes away.
    private bool Pending(Step revoke)
    {
        var have = current.Get(revoke.Key);
        return revoke.Option ? (have.Options & revoke.Bit) != 0 : (have.Privileges & revoke.Bit) != 0;
    }

    // A grant that must wait: its bit was revoked for a revoke still to come, or a table-level revoke still to
    // come would take it away again from the column.
    private bool Deferred(Step grant)
    {
        if (_forced.TryGetValue((grant.Key, grant.Bit), out var blocker) && Pending(blocker)) return true;
        if (grant.Key.Column is null) return false;
        var table = new AclKey(null, grant.Key.Grantee, grant.Key.Grantor);
        return RevokeSteps().Any(r => r.Key == table && r.Bit == grant.Bit);
    }

    // A revoke that would take a grant option from a role that still has to grant or revoke with it.
    private bool Protected(Step revoke, IReadOnlyCollection<Step> grants, IReadOnlyCollection<Step> revokes)
    {
        var role = revoke.Key.Grantee;
        if (role is null || role == current.Owner || (current.Get(revoke.Key).Options & revoke.Bit) == 0) return false;
        var needs = grants.Concat(revokes.Where(r => r != revoke))
            .Where(s => s.Key.Grantor == role && s.Bit == revoke.Bit && (revoke.Key.Column is null || revoke.Key.Column == s.Key.Column))
            .Select(s => s.Key.Column).Distinct().ToList();
        if (needs.Count == 0) return false;
        return needs.Any(column => (OptionsWithout(revoke.Key, column, role) & revoke.Bit) == 0);
    }

    private Privilege OptionsWithout(AclKey removed, string? column, string role)
    {
        var options = Privilege.None;
        foreach (var (key, bits) in current.Entries)
            if (key != removed && key.Grantee == role && (key.Column is null || key.Column == column)) options |= bits.Options;
        return options;
    }

    // ---- waves

    private bool GrantWave()
    {
        var steps = GrantSteps().Where(s => !Deferred(s)).OrderBy(s => s, GrantOrder()).ToList();
        var ready = steps.Where(s => current.Clone().TryApply(s.Op(grant: true))).ToList();
        return Emit(ready, grant: true);
    }

    private bool RevokeWave()
    {
        var grants = GrantSteps().ToList();
        var revokes = RevokeSteps().ToList();
        var ready = revokes.Where(s => !Protected(s, grants, revokes)).OrderBy(s => s, RevokeOrder()).ToList();
        return Emit(ready, grant: false);
    }

    // Applies the steps that still run in order (dropping those that no longer do), merged into as few
    // statements as the simulation accepts in the same order.
    private bool Emit(List<Step> steps, bool grant)
    {
        var sequence = new List<(Step Step, AclOp Op)>();
        var sim = current.Clone();
        foreach (var s in steps)
        {
            var op = s.Op(grant);
            if (sim.TryApply(op)) sequence.Add((s, op));
        }
        if (sequence.Count == 0) return false;
        var grouped = Group(sequence);
        var check = current.Clone();
        if (!grouped.All(g => check.TryApply(g.Op)) || !check.SameAs(sim))
            grouped = [.. sequence.Select(x => (x.Op, (IReadOnlyList<Step>)[x.Step]))];
        foreach (var (op, parts) in grouped)
        {
            if (!current.TryApply(op)) throw new InvalidOperationException($"planned {Describe(parts[0])} no longer runs");
            _statements.Add(Statement(op, parts));
        }
        return true;
    }

    // Steps of one grantee, grantor and option on the object, or on columns with the same privileges, in one statement.
    private static List<(AclOp Op, IReadOnlyList<Step> Parts)> Group(List<(Step Step, AclOp Op)> sequence)
    {
        var byEntry = new List<(AclKey Key, bool Option, Privilege Bits, List<Step> Parts)>();
        foreach (var (step, _) in sequence)
        {
            var i = byEntry.FindIndex(e => e.Key == step.Key && e.Option == step.Option);
            if (i < 0) byEntry.Add((step.Key, step.Option, step.Bit, [step]));
            else
            {
                byEntry[i].Parts.Add(step);
                byEntry[i] = byEntry[i] with { Bits = byEntry[i].Bits | step.Bit };
            }
        }
        var grant = sequence[0].Op.IsGrant;
        var result = new List<(AclOp Op, IReadOnlyList<Step> Parts)>();
        var columns = new Dictionary<(string?, string, bool, Privilege), int>();
        foreach (var (key, option, bits, parts) in byEntry)
        {
            if (key.Column is null)
            {
                result.Add((new AclOp(grant, [], key.Grantee, key.Grantor, bits, option), parts));
                continue;
            }
            var columnKey = (key.Grantee, key.Grantor, option, bits);
            if (columns.TryGetValue(columnKey, out var at))
            {
                var (op, earlier) = result[at];
                result[at] = (op with { Columns = [.. op.Columns, key.Column] }, [.. earlier, .. parts]);
            }
            else
            {
                columns[columnKey] = result.Count;
                result.Add((new AclOp(grant, [key.Column], key.Grantee, key.Grantor, bits, option), parts));
            }
        }
        return result;
    }

    // ---- when neither grants nor revokes can run

    private bool Unblock()
    {
        var grants = GrantSteps().Where(s => !Deferred(s)).ToList();
        var revokes = RevokeSteps().ToList();
        var open = revokes.Where(s => !Protected(s, GrantSteps().ToList(), revokes)).ToList();
        // A role that has to act as itself without a grant option of its own: the owner gives it one.
        foreach (var s in grants.Concat(open).OrderBy(s => s, GrantOrder()))
        {
            var actor = s.Key.Grantor;
            if (current.CanAct(actor, s.Key.Column, s.Bit)) continue;
            var key = new AclKey(null, actor, current.Owner);
            var op = new AclOp(true, [], actor, current.Owner, s.Bit, true);
            if (!current.TryApply(op)) continue;
            _temporary.Add((actor, s.Bit));
            _statements.Add(Statement(op, [new Step(key, s.Bit, true)]));
            return true;
        }
        // A revoke that grants of the target depend on: revoke those first, grant them again after.
        var added = false;
        foreach (var s in open.OrderBy(s => s, RevokeOrder()))
        {
            if (current.Clone().TryApply(s.Op(grant: false), out var blocking)) continue;
            foreach (var dependent in blocking)
            {
                if ((target.Get(dependent).Privileges & s.Bit) == 0 || _forced.ContainsKey((dependent, s.Bit))) continue;
                _forced[(dependent, s.Bit)] = s;
                added = true;
            }
            if (added) return true;
        }
        return false;
    }

    // ---- order

    // How far a role is from the owner along grant options (the owner 0; unreachable roles last).
    private Dictionary<string, int> Depths()
    {
        var depth = new Dictionary<string, int> { [current.Owner] = 0 };
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (key, bits) in current.Entries)
            {
                if (bits.Options == Privilege.None || key.Grantee is null || !depth.TryGetValue(key.Grantor, out var d)) continue;
                if (!depth.TryGetValue(key.Grantee, out var e) || e > d + 1)
                {
                    depth[key.Grantee] = d + 1;
                    changed = true;
                }
            }
        }
        return depth;
    }

    private Comparer<Step> GrantOrder()
    {
        var depth = Depths();
        return Comparer<Step>.Create((a, b) =>
        {
            var c = depth.GetValueOrDefault(a.Key.Grantor, int.MaxValue).CompareTo(depth.GetValueOrDefault(b.Key.Grantor, int.MaxValue));
            return c != 0 ? c : Tiebreak(a, b);
        });
    }

    private Comparer<Step> RevokeOrder()
    {
        var depth = Depths();
        return Comparer<Step>.Create((a, b) =>
        {
            var c = depth.GetValueOrDefault(b.Key.Grantor, int.MaxValue).CompareTo(depth.GetValueOrDefault(a.Key.Grantor, int.MaxValue));
            // Column revokes before table-level ones: a table-level revoke reaches every column too.
            if (c == 0) c = (a.Key.Column is null).CompareTo(b.Key.Column is null);
            return c != 0 ? c : Tiebreak(a, b);
        });
    }

    private static int Tiebreak(Step a, Step b)
    {
        var c = string.CompareOrdinal(a.Key.Grantor, b.Key.Grantor);
        if (c == 0) c = AclFact.CompareNullable(a.Key.Column, b.Key.Column);
        if (c == 0) c = AclFact.CompareNullable(a.Key.Grantee, b.Key.Grantee);
        if (c == 0) c = a.Option.CompareTo(b.Option);
        if (c == 0) c = a.Bit.CompareTo(b.Bit);
        return c;
    }

    // ---- statements

    private SqlStatement Statement(AclOp op, IReadOnlyList<Step> parts)
    {
        var reason = PlanBuilder.JoinReasons([.. parts.Select(p => Reason(op.IsGrant, p)).Distinct()]);
        var grantor = op.Actor == current.Owner ? null : op.Actor;
        ValueList<string> columns = op.OnColumns ? op.Columns.ToValueList() : default;
        return op.IsGrant
            ? new GrantPrivileges(op.Privileges, [sql], [new Grantee(op.Grantee)], reason, columns, op.Option, grantor)
            : new RevokePrivileges(op.Privileges, [sql], [new Grantee(op.Grantee)], reason, columns, op.Option, Cascade: false, grantor);
    }

    private string Reason(bool grant, Step step)
    {
        var who = step.Key.Grantee ?? "PUBLIC";
        if (schemaUsage?.Contains(step.Key) == true && step.Bit == Privilege.Usage)
            return grant
                ? $"diff: {who} grants or revokes as itself on objects of this schema and needs USAGE to name them; revoked again after"
                : $"diff: the USAGE {who} needed to name the objects it granted or revoked on";
        var isTemporary = step.Key.Column is null && step.Key.Grantor == current.Owner && step.Key.Grantee is { } g && _temporary.Contains((g, step.Bit))
            && (target.Get(step.Key).Options & step.Bit) == 0;
        if (grant)
        {
            if (isTemporary)
                return $"diff: {who} needs a grant option of its own to grant or revoke as itself; revoked again below";
            if (_forced.ContainsKey((step.Key, step.Bit)))
                return $"diff: granted again after the revoke it depended on";
            if (step.Key.Column is not null && _fromState.Contains((step.Key, step.Bit)))
                return "diff: the table-level revoke above also took it from the column; the target keeps it";
            return step.Option ? "diff: the target state has this grant with the grant option" : "diff: the target state has this grant";
        }
        if (isTemporary) return $"diff: the grant option {who} needed for its own grants and revokes";
        if (_forced.TryGetValue((step.Key, step.Bit), out _) && (target.Get(step.Key).Privileges & step.Bit) != 0)
            return "diff: revoked for now: a revoke below depends on it; granted again after";
        return step.Option ? "diff: the target state has this grant without the grant option" : "diff: the target state lacks this grant";
    }

    private string Describe(Step s) =>
        $"{Privileges.SqlName(s.Bit)}{(s.Option ? " (grant option)" : "")} on {obj}{(s.Key.Column is null ? "" : $" ({s.Key.Column})")} " +
        $"for {s.Key.Grantee ?? "PUBLIC"} by {s.Key.Grantor}";
}
