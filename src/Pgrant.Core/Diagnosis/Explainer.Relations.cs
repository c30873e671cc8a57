using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Planning;

namespace Pgrant.Core.Diagnosis;

public sealed partial class Explainer
{
    private static readonly IReadOnlySet<ObjectKind> TableKinds = new HashSet<ObjectKind> { ObjectKind.Table, ObjectKind.PartitionedTable };

    private static IReadOnlySet<ObjectKind> KindsFor(ObjectKind kind) => kind switch
    {
        ObjectKind.Table => TableKinds,
        _ => new HashSet<ObjectKind> { kind },
    };

    private Diagnosis ExplainSequence(PermissionError error, Role role, StatementShape? shape, string? statement)
    {
        var resolution = _names.Relation(error.ObjectName, null, role.Name, KindsFor(ObjectKind.Sequence));
        if (resolution.Object is not { } seqRel)
            return NotFound(error, role, resolution, r => SqlNames.Qualified(snapshot.SchemaName(r.Schema), r.Name));
        var seq = snapshot.SequenceByOid(seqRel.Oid);
        var operation = SequenceOperationOf(statement, shape, seq);
        var (needed, opText) = operation switch
        {
            SequenceOperation.Nextval => (Privilege.Usage, "nextval()"),
            SequenceOperation.Currval => (Privilege.Select, "currval()"),
            SequenceOperation.Lastval => (Privilege.Select, "lastval()"),
            _ => (Privilege.Update, "setval()"),
        };
        var qSeq = Display(seqRel);
        var decision = access.DecideSequence(role.Oid, seqRel, operation);
        var users = (seq?.UsedByDefaults ?? []).Select(u => (Table: snapshot.RelationByOid(u.Relation), u.Column))
            .Where(u => u.Table is not null)
            .Select(u => (Table: u.Table!, Column: u.Table!.ColumnByNumber(u.Column)))
            .Where(u => u.Column is not null)
            .ToList();

        var missing = ImmutableArray.CreateBuilder<MissingPrivilege>();
        var fix = ImmutableArray.CreateBuilder<string>();
        string cause;
        var attempted = users.Count > 0 && operation == SequenceOperation.Nextval
            ? $"insert a row into {Display(users[0].Table)}, whose column {users[0].Column!.Name} takes its default from nextval('{qSeq}')"
            : $"call {opText} on sequence {qSeq}";
        if (decision.Allowed)
        {
            cause = $"{role.Name} can {opText} on {qSeq} now ({decision.Explanation()}). The privilege was granted since the error, or the error came from another role (use --role).";
        }
        else
        {
            var why = operation switch
            {
                SequenceOperation.Nextval => "nextval() needs USAGE or UPDATE on the sequence; USAGE is the least",
                SequenceOperation.Setval => "setval() needs UPDATE on the sequence",
                _ => $"{opText} needs SELECT or USAGE on the sequence",
            };
            missing.Add(new MissingPrivilege(Privileges.SqlName(needed), "sequence", qSeq, why));
            fix.Add(GrantSql.Grant(needed, ObjectKind.Sequence, qSeq, role.Name));
            var seqHeld = HeldLetters(role, seqRel);
            var onSeq = seqHeld.Length == 0 ? "nothing on the sequence" : $"only {seqHeld} on the sequence";
            if (users.Count > 0)
            {
                var (table, column) = users[0];
                var tableHeld = HeldLetters(role, table);
                var holds = tableHeld.Length == 0 ? "nothing" : tableHeld;
                cause = $"the column default of {Display(table)}.{SqlNames.Ident(column!.Name)} calls nextval('{qSeq}'); " +
                        $"{role.Name} holds {holds} on the table but {onSeq}; table grants never reach sequences.";
            }
            else
            {
                cause = $"{role.Name} holds {onSeq} {qSeq}; {why}.";
            }
        }

        // With a statement, add whatever else it needs on the table (e.g. SELECT for RETURNING).
        if (shape is not null && users.Count > 0 && shape.Target is not null)
        {
            var target = ResolveTarget(shape, role);
            if (target is not null)
                AddStatementNeeds(target, shape, role, missing, fix, skipSequence: seqRel.Oid);
        }

        var durable = ImmutableArray.CreateBuilder<string>();
        durable.AddRange(DefaultPrivilegeFix(seqRel.Owner, seqRel.Schema, 'S', needed, role));
        if (seq is not null && users.Count == 1 && !seq.IsIdentity && users[0].Column!.HasDefaultExpression)
        {
            var (table, column) = users[0];
            durable.Add(string.Join("\n", GrantSql.SerialToIdentity(snapshot.SchemaName(table.Schema), table.Name, column!.Name, seqRel.Name, seq)));
        }
        var notes = ImmutableArray.CreateBuilder<string>();
        if (users.Count == 1 && seq is not null && !seq.IsIdentity)
            notes.Add("Identity columns need no privilege on their sequence: converting the serial column to identity removes this whole class of error.");
        if (users.Count > 1)
            notes.Add($"The sequence feeds {users.Count} columns ({string.Join(", ", users.Select(u => Display(u.Table) + "." + u.Column!.Name))}); the identity conversion is not offered for a shared sequence.");

        return new Diagnosis("sequence", qSeq, role.Name, attempted, missing.ToImmutable(), cause, fix.ToImmutable(), durable.ToImmutable(),
            missing.Count == 0 ? [] : WhoCanGrant(seqRel, needed), decision.Allowed && missing.Count == 0, [], notes.ToImmutable());
    }

    private static SequenceOperation SequenceOperationOf(string? statement, StatementShape? shape, Sequence? seq)
    {
        var text = statement?.ToLowerInvariant() ?? "";
        if (text.Contains("setval(", StringComparison.Ordinal)) return SequenceOperation.Setval;
        if (text.Contains("currval(", StringComparison.Ordinal)) return SequenceOperation.Currval;
        if (text.Contains("lastval(", StringComparison.Ordinal)) return SequenceOperation.Lastval;
        _ = shape;
        _ = seq;
        return SequenceOperation.Nextval;
    }

    private Relation? ResolveTarget(StatementShape shape, Role role)
    {
        if (shape.Target is null) return null;
        var kinds = new HashSet<ObjectKind> { ObjectKind.Table, ObjectKind.PartitionedTable, ObjectKind.View, ObjectKind.MaterializedView, ObjectKind.ForeignTable };
        return _names.Relation(shape.Target.Name, shape.Target.Schema, role.Name, kinds).Object;
    }

    private Diagnosis ExplainRelation(PermissionError error, Role role, StatementShape? shape)
    {
        var kind = error.ObjectKind!.Value;
        // The message never names the schema; a statement whose target carries the same name does.
        var schemaHint = shape?.Target is { Schema: { } s } t && t.Name == error.ObjectName ? s : null;
        var resolution = _names.Relation(error.ObjectName, schemaHint, role.Name, KindsFor(kind));
        if (resolution.Object is null && schemaHint is not null)
            resolution = _names.Relation(error.ObjectName, null, role.Name, KindsFor(kind));
        if (resolution.Object is not { } rel)
            return NotFound(error, role, resolution, r => SqlNames.Qualified(snapshot.SchemaName(r.Schema), r.Name));
        var q = Display(rel);
        var missing = ImmutableArray.CreateBuilder<MissingPrivilege>();
        var fix = ImmutableArray.CreateBuilder<string>();
        var notes = ImmutableArray.CreateBuilder<string>();
        var checkedRole = role;
        var attempted = $"use {error.ObjectWord} {q}";

        var target = shape is null ? null : ResolveTarget(shape, role);
        if (target is not null && target.Oid != rel.Oid && target.Kind == ObjectKind.View && !target.SecurityInvoker)
        {
            // The statement went through a view: base tables are checked as the view's owner.
            checkedRole = snapshot.RoleByOid(target.Owner) ?? role;
            notes.Add($"{Display(target)} is a view: its base tables are checked with the privileges of its owner {checkedRole.Name}, not {role.Name}.");
            attempted = $"use view {Display(target)}, which reads {q} as its owner {checkedRole.Name}";
            // Which base columns the view reads (its own WHERE, joins, expressions) is in its definition,
            // which the snapshot does not hold: a column grant named after the statement's identifiers
            // can fall short (proved on 15 and 18), so reads through a view need the whole table.
            var viewShape = shape! with
            {
                Target = new QualifiedName(snapshot.SchemaName(rel.Schema), rel.Name),
                ReadIdentifiers = [],
                ReturningAll = shape.ReturningAll || shape.Command is StatementCommand.Select or StatementCommand.CopyTo,
            };
            AddStatementNeeds(rel, viewShape, checkedRole, missing, fix, skipSequence: 0);
        }
        else if (shape is not null && target is not null && target.Oid != rel.Oid)
        {
            // The statement's main target is another relation: this one is read by a join, a subquery
            // or INSERT … SELECT. Without this branch nothing was "missing" and the diagnosis claimed
            // the role already held everything.
            attempted = $"read {q} in a statement on {Display(target)}";
            var readShape = new StatementShape(StatementCommand.Select, new QualifiedName(snapshot.SchemaName(rel.Schema), rel.Name),
                [], false, shape.ReadIdentifiers, shape.ReturningAll, shape.ReturningAll, false, false);
            AddStatementNeeds(rel, readShape, role, missing, fix, skipSequence: 0);
        }
        else if (shape is not null && (target is null || target.Oid == rel.Oid))
        {
            attempted = $"{shape.Command.ToString().ToUpperInvariant()} on {q}";
            AddStatementNeeds(rel, shape, role, missing, fix, skipSequence: 0);
        }

        string cause;
        var held = HeldLetters(checkedRole, rel);
        var primary = missing.Count > 0 ? Privileges.Parse(missing[0].Privilege) ?? Privilege.Select : Privilege.Select;
        if (shape is null)
        {
            cause = $"{role.Name} holds {(held.Length == 0 ? "nothing" : held)} on {q}. The message does not say which privilege the statement needed; pass it with --statement to get the exact fix.";
            notes.Add("A missing column privilege is also reported as \"permission denied for table\".");
        }
        else if (missing.Count == 0)
        {
            cause = $"{checkedRole.Name} now holds everything this statement needs on {q} ({(held.Length == 0 ? "column privileges" : held)}): it was granted since, or the error came from another role (use --role).";
        }
        else
        {
            cause = $"{checkedRole.Name} holds {(held.Length == 0 ? "nothing" : held)} on {q}; " + string.Join("; ", missing.Select(m => $"{m.Reason}, which needs {m.Privilege} on {m.Object}")) + ".";
        }
        var durable = ImmutableArray.CreateBuilder<string>();
        foreach (var p in missing.Select(m => Privileges.Parse(m.Privilege)).OfType<Privilege>().Distinct())
        {
            if (p is Privilege.Usage) continue;
            durable.AddRange(DefaultPrivilegeFix(rel.Owner, rel.Schema, 'r', p, checkedRole));
        }
        return new Diagnosis(error.ObjectWord!, q, checkedRole.Name, attempted, missing.ToImmutable(), cause, fix.ToImmutable(),
            durable.ToImmutable(), missing.Count == 0 ? [] : WhoCanGrant(rel, primary), shape is not null && missing.Count == 0, [], notes.ToImmutable());
    }

    /// <summary>Checks each need of the statement; adds what is missing and the least grant for it.</summary>
    private void AddStatementNeeds(Relation table, StatementShape shape, Role role, ImmutableArray<MissingPrivilege>.Builder missing,
        ImmutableArray<string>.Builder fix, uint skipSequence)
    {
        foreach (var need in StatementNeeds.Of(shape, table, snapshot))
        {
            if (need.SequenceOperation is { } op)
            {
                if (need.Object.Oid == skipSequence) continue;
                if (access.DecideSequence(role.Oid, need.Object, op).Allowed) continue;
                var qs = Display(need.Object);
                missing.Add(new MissingPrivilege("USAGE", "sequence", qs, need.Reason));
                fix.Add(GrantSql.Grant(Privilege.Usage, ObjectKind.Sequence, qs, role.Name));
                continue;
            }
            if (access.Decide(role.Oid, need.Object, need.Privilege).Allowed) continue;
            var lacking = need.Columns.Where(c => !access.DecideColumn(role.Oid, need.Object, c, need.Privilege).Allowed).ToImmutableArray();
            if (!need.Columns.IsEmpty && lacking.IsEmpty) continue;
            var qt = Display(need.Object);
            var name = Privileges.SqlName(need.Privilege);
            var everyColumn = need.Columns.IsEmpty || lacking.Length == need.Object.Columns.Length;
            missing.Add(new MissingPrivilege(name, need.Object.Kind == ObjectKind.View ? "view" : "table",
                everyColumn ? qt : $"{qt} ({string.Join(", ", lacking.Select(c => SqlNames.Ident(c.Name)))})", need.Reason));
            fix.Add(everyColumn
                ? GrantSql.Grant(need.Privilege, need.Object.Kind, qt, role.Name)
                : GrantSql.GrantColumns(need.Privilege, qt, lacking.Select(c => c.Name), role.Name));
        }
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
