using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>A privilege a role lacks for a statement, and the least grant that gives it.</summary>
/// <param name="Missing">What the role lacks, and why it is needed.</param>
/// <param name="Fix">The least grant that gives it.</param>
internal sealed record LackedNeed(MissingPrivilege Missing, GrantPrivileges Fix);

/// <summary>A privilege a role lacks for a statement as the server analysed it: what, the grant, on which object, for whom.</summary>
/// <param name="Missing">What is missing, and why.</param>
/// <param name="Fix">The least grant that gives it.</param>
/// <param name="Object">The object it is missing on.</param>
/// <param name="Privilege">The privilege bit granted.</param>
/// <param name="Role">The role that lacks it (the statement's role, or a view's owner).</param>
internal sealed record ServerLack(MissingPrivilege Missing, GrantPrivileges Fix, ISecurable Object, Privilege Privilege, Role Role);

/// <summary>
/// Judges the <see cref="Need"/>s of a statement for one role (what explain reports for the failing
/// statement, and what an application's start-up check reports before it runs): each need the role
/// does not hold, with the least grant — USAGE for a sequence, the missing columns only when the need
/// names columns and some of them are held.
/// </summary>
internal sealed class NeedChecker(CatalogSnapshot snapshot, AccessEvaluator access)
{
    /// <summary>What <paramref name="role"/> lacks to run <paramref name="shape"/> on <paramref name="table"/>; the sequence <paramref name="skipSequence"/> (an OID, 0 for none) is judged elsewhere.</summary>
    public IEnumerable<LackedNeed> Lacking(Relation table, StatementShape shape, Role role, uint skipSequence = 0)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(role);
        foreach (var need in StatementNeeds.Of(shape, table, snapshot))
        {
            if (need.SequenceOperation is { } op)
            {
                if (need.Object.Oid == skipSequence || access.DecideSequence(role.Oid, need.Object, op).Allowed) continue;
                var qs = Name(need.Object);
                yield return new LackedNeed(MissingPrivilege.Of(Privilege.Usage, ObjectKind.Sequence, qs, need.Reason),
                    new GrantPrivileges(Privilege.Usage, SqlObject.Of(snapshot, need.Object), role.Name, need.Reason));
                continue;
            }
            if (access.Decide(role.Oid, need.Object, need.Privilege).Allowed) continue;
            if (Privileges.Split(need.AnyOf).Any(b => access.Decide(role.Oid, need.Object, b).Allowed)) continue;
            var lacking = need.Columns.Where(c => !access.DecideColumn(role.Oid, need.Object, c, need.Privilege).Allowed).ToImmutableArray();
            if (!need.Columns.IsEmpty && lacking.IsEmpty) continue;
            var qt = Name(need.Object);
            var everyColumn = need.Columns.IsEmpty || lacking.Length == need.Object.Columns.Length;
            var kind = need.Object.Kind == ObjectKind.View ? ObjectKind.View : ObjectKind.Table;
            yield return new LackedNeed(
                MissingPrivilege.Of(need.Privilege, kind, everyColumn ? qt : $"{qt} ({string.Join(", ", lacking.Select(c => SqlNames.Ident(c.Name)))})", need.Reason),
                new GrantPrivileges(need.Privilege, [SqlObject.Of(snapshot, need.Object)], [role.Name], need.Reason,
                    Columns: everyColumn ? default : lacking.Select(c => c.Name).ToValueList()));
        }
    }

    /// <summary>
    /// What <paramref name="role"/> lacks for a statement the server analysed (<paramref name="needs"/>), by the
    /// executor's own rule (ExecCheckOneRelPerms): a bit held on the table passes; else SELECT, INSERT and UPDATE
    /// pass when every column of their set is held (one column when the set is empty, every column for a
    /// whole-row read). Each relation is judged as the role it is checked as (a view's owner for its base
    /// relations). Column grants for one role, relation and privilege are merged into one statement; a column
    /// set that covers the whole table becomes a table grant. Then EXECUTE on the routines called, the sequence
    /// privilege of each sequence function, and USAGE on the schemas the statement's names are looked up in.
    /// Objects the snapshot does not hold are skipped (system routines with default ACLs, which PUBLIC may run).
    /// </summary>
    public ImmutableArray<ServerLack> Lacking(ServerNeeds needs, Role role)
    {
        ArgumentNullException.ThrowIfNull(needs);
        ArgumentNullException.ThrowIfNull(role);
        var result = ImmutableArray.CreateBuilder<ServerLack>();
        foreach (var schemaName in needs.Schemas)
        {
            if (snapshot.Schemas.FirstOrDefault(s => s.Name == schemaName) is not { } schema || access.Decide(role.Oid, schema, Privilege.Usage).Allowed) continue;
            const string why = "the statement names objects in it, and looking a name up in a schema needs USAGE on it";
            result.Add(new ServerLack(MissingPrivilege.Of(Privilege.Usage, ObjectKind.Schema, SqlNames.Ident(schema.Name), why),
                new GrantPrivileges(Privilege.Usage, SqlObject.Of(snapshot, schema), role.Name, why), schema, Privilege.Usage, role));
        }

        // (role, relation, privilege) → columns needed (null: the table), reasons.
        var wanted = new Dictionary<(uint Role, uint Rel, Privilege Bit), (HashSet<string>? Columns, List<string> Reasons, Role Who, Relation Rel)>();
        foreach (var check in needs.Relations)
        {
            if (snapshot.RelationByOid(check.Oid) is not { } rel) continue;
            var who = check.CheckAs is null ? role : snapshot.RoleByName(check.CheckAs) ?? role;
            var through = check.CheckAs is null ? "" : $", checked as {who.Name}, the owner of the view that reads it";
            foreach (var bit in new[] { Privilege.Select, Privilege.Insert, Privilege.Update, Privilege.Delete, Privilege.Truncate, Privilege.References, Privilege.Trigger })
            {
                if ((check.Required & bit) == 0 || access.Decide(who.Oid, rel, bit).Allowed) continue;
                var set = bit switch
                {
                    Privilege.Select => check.WholeRow ? [.. rel.Columns.Select(c => c.Name)] : check.Selected,
                    Privilege.Insert => check.Inserted,
                    Privilege.Update => check.Updated,
                    _ => default,
                };
                HashSet<string>? columns;
                string reason;
                if (set.IsDefault)
                {
                    columns = null;
                    reason = bit switch
                    {
                        Privilege.Delete => "the statement deletes rows",
                        _ => $"the statement needs {SqlWriter.PrivilegeList(bit)} on the table",
                    };
                }
                else if (set.IsEmpty)
                {
                    // Any one column would do; the table grant is what people mean.
                    if (rel.Columns.Any(c => access.DecideColumn(who.Oid, rel, c, bit).Allowed)) continue;
                    columns = null;
                    reason = $"the statement needs {SqlWriter.PrivilegeList(bit)} on the table or on at least one column";
                }
                else
                {
                    var lacking = set.Where(n => rel.Columns.FirstOrDefault(c => c.Name == n) is not { } c || !access.DecideColumn(who.Oid, rel, c, bit).Allowed).ToList();
                    if (lacking.Count == 0) continue;
                    columns = [.. lacking];
                    var verb = bit switch
                    {
                        Privilege.Select => check.WholeRow ? "the statement reads whole rows" : "the statement reads",
                        Privilege.Insert => "the statement inserts into",
                        _ => "the statement sets",
                    };
                    reason = check.WholeRow && bit == Privilege.Select ? verb : $"{verb} \u0001{string.Join(", ", set)}";
                }
                var key = (who.Oid, rel.Oid, bit);
                if (!wanted.TryGetValue(key, out var entry)) wanted[key] = entry = (columns, [], who, rel);
                else if (entry.Columns is not null)
                {
                    if (columns is null) wanted[key] = entry = (null, entry.Reasons, who, rel);
                    else entry.Columns.UnionWith(columns);
                }
                var full = reason.Contains('\u0001', StringComparison.Ordinal) ? reason + "\u0002" + through : reason + through;
                if (!entry.Reasons.Contains(full)) entry.Reasons.Add(full);
            }
        }
        foreach (var ((_, _, bit), (columns, reasons, who, rel)) in wanted)
        {
            var ordered = columns is null ? [] : rel.Columns.Where(c => columns.Contains(c.Name)).Select(c => c.Name)
                .Concat(columns.Where(n => rel.Columns.All(c => c.Name != n)).Order(StringComparer.Ordinal)).ToList();
            // A name the snapshot does not know as a column (a system column) can only be granted on the table.
            var everyColumn = columns is null || ordered.Count >= rel.Columns.Length || ordered.Any(n => rel.Columns.All(c => c.Name != n));
            var qt = Name(rel);
            // "reads key" and "reads value" from two checks of one relation read as "reads key, value".
            var reason = string.Join("; ", reasons
                .Select(r => r.Split('\u0001', '\u0002') is [var verb, var cols, var via] ? (Verb: verb, Cols: cols, Via: via) : (Verb: r, Cols: "", Via: ""))
                .GroupBy(r => (r.Verb, r.Via))
                .Select(g => g.Key.Verb + string.Join(", ", g.Where(x => x.Cols.Length > 0).SelectMany(x => x.Cols.Split(", ")).Distinct(StringComparer.Ordinal)) + g.Key.Via));
            var kind = rel.Kind is ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable ? rel.Kind : ObjectKind.Table;
            result.Add(new ServerLack(
                MissingPrivilege.Of(bit, kind, everyColumn ? qt : $"{qt} ({string.Join(", ", ordered.Select(SqlNames.Ident))})", reason),
                new GrantPrivileges(bit, [SqlObject.Of(snapshot, rel)], [who.Name], reason, Columns: everyColumn ? default : ordered.ToValueList()),
                rel, bit, who));
        }

        foreach (var call in needs.Functions)
        {
            if (snapshot.FunctionByOid(call.Oid) is not { } fn || access.Decide(role.Oid, fn, Privilege.Execute).Allowed) continue;
            var why = $"the statement calls {call.Name}({call.IdentityArguments}), which needs EXECUTE (checked as the role that runs the statement, also inside a view)";
            result.Add(new ServerLack(MissingPrivilege.Of(Privilege.Execute, fn.Kind, Name(fn), why),
                new GrantPrivileges(Privilege.Execute, SqlObject.Of(snapshot, fn), role.Name, why), fn, Privilege.Execute, role));
        }

        foreach (var calls in needs.Sequences.GroupBy(s => s.Oid))
        {
            if (snapshot.RelationByOid(calls.Key) is not { } seq) continue;
            var denied = calls.Where(c => !access.DecideSequence(role.Oid, seq, c.Operation).Allowed).ToList();
            if (denied.Count == 0) continue;
            // One grant may serve several calls: UPDATE lets setval and nextval run, USAGE nextval and currval.
            var ops = denied.Select(c => c.Operation).ToHashSet();
            var bits = new List<(Privilege Bit, string Why)>();
            if (ops.Contains(SequenceOperation.Setval))
                bits.Add((Privilege.Update, "the statement calls setval(), which needs UPDATE on the sequence" +
                    (ops.Contains(SequenceOperation.Nextval) ? " (UPDATE lets nextval() run too)" : "")));
            if (ops.Contains(SequenceOperation.Nextval) && !ops.Contains(SequenceOperation.Setval))
                bits.Add((Privilege.Usage, (denied.Any(c => c.Operation == SequenceOperation.Nextval && c.FromDefault)
                    ? "a column default the statement fires calls nextval()" : "the statement calls nextval()") +
                    ", which needs USAGE (or UPDATE) on the sequence; USAGE is the least" +
                    (ops.Contains(SequenceOperation.Currval) ? " and lets currval() run too" : "")));
            if ((ops.Contains(SequenceOperation.Currval) || ops.Contains(SequenceOperation.Lastval)) && !ops.Contains(SequenceOperation.Nextval))
                bits.Add((Privilege.Select, "the statement calls currval(), which needs SELECT or USAGE on the sequence; SELECT is the least"));
            if (ops.Contains(SequenceOperation.Currval) && ops.Contains(SequenceOperation.Nextval) && ops.Contains(SequenceOperation.Setval))
                bits.Add((Privilege.Select, "the statement calls currval(), which needs SELECT or USAGE on the sequence; SELECT is the least"));
            foreach (var (bit, why) in bits)
            {
                if (access.Decide(role.Oid, seq, bit).Allowed) continue;
                result.Add(new ServerLack(MissingPrivilege.Of(bit, ObjectKind.Sequence, Name(seq), why),
                    new GrantPrivileges(bit, SqlObject.Of(snapshot, seq), role.Name, why), seq, bit, role));
            }
        }
        return result.ToImmutable();
    }

    private string Name(ISecurable obj) => SqlWriter.Name(SqlObject.Of(snapshot, obj));
}
