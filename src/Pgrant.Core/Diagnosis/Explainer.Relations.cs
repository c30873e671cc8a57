using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

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
        var fix = ImmutableArray.CreateBuilder<SqlStatement>();
        string cause;
        var hints = ImmutableArray<DiagnosisHint>.Empty;
        var attempted = users.Count > 0 && operation == SequenceOperation.Nextval
            ? $"insert a row into {Display(users[0].Table)}, whose column {users[0].Column!.Name} takes its default from nextval('{qSeq}')"
            : $"call {opText} on sequence {qSeq}";
        if (decision.Allowed)
        {
            cause = $"{role.Name} can {opText} on {qSeq} now ({decision.Explanation()}). The privilege was granted since the error, or the error came from another role.";
            hints = [DiagnosisHint.OtherRole];
        }
        else
        {
            var why = operation switch
            {
                SequenceOperation.Nextval => "nextval() needs USAGE or UPDATE on the sequence; USAGE is the least",
                SequenceOperation.Setval => "setval() needs UPDATE on the sequence",
                _ => $"{opText} needs SELECT or USAGE on the sequence",
            };
            missing.Add(MissingPrivilege.Of(needed, ObjectKind.Sequence, qSeq, why));
            fix.Add(Grant(needed, seqRel, role, why));
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

        var durable = ImmutableArray.CreateBuilder<SqlStatement>();
        durable.AddRange(DefaultPrivilegeFix(seqRel.Owner, seqRel.Schema, 'S', needed, role));
        if (seq is not null && users.Count == 1 && !seq.IsIdentity && users[0].Column!.HasDefaultExpression)
        {
            var (table, column) = users[0];
            durable.Add(new SerialToIdentity(Ref(table), column!.Name, Ref(seqRel), new SequenceSettings(seq.Increment, seq.Min, seq.Max, seq.Cycle),
                "an identity column needs no privilege on its sequence; the conversion keeps the next value"));
        }
        var notes = ImmutableArray.CreateBuilder<Note>();
        if (users.Count == 1 && seq is not null && !seq.IsIdentity)
            notes.Add(Note.Info("Identity columns need no privilege on their sequence: converting the serial column to identity removes this whole class of error."));
        if (users.Count > 1)
            notes.Add(Note.Info($"The sequence feeds {users.Count} columns ({string.Join(", ", users.Select(u => Display(u.Table) + "." + u.Column!.Name))}); the identity conversion is not offered for a shared sequence."));

        return new Diagnosis
        {
            KindWord = "sequence", Kind = ObjectKind.Sequence, Object = qSeq, Role = role.Name, Attempted = attempted,
            Missing = missing.ToImmutable(), Cause = cause, Fix = fix.ToImmutable(), DurableFix = durable.ToImmutable(),
            CanFix = missing.Count == 0 ? [] : WhoCanGrant(seqRel, needed), AlreadyAllowed = decision.Allowed && missing.Count == 0,
            Notes = notes.ToImmutable(), Hints = missing.Count == 0 ? hints : [],
        };
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
        var fix = ImmutableArray.CreateBuilder<SqlStatement>();
        var notes = ImmutableArray.CreateBuilder<Note>();
        var checkedRole = role;
        var attempted = $"use {error.ObjectWord} {q}";

        var target = shape is null ? null : ResolveTarget(shape, role);
        if (target is not null && target.Oid != rel.Oid && target.Kind == ObjectKind.View && !target.SecurityInvoker)
        {
            // The statement went through a view: base tables are checked as the view's owner.
            checkedRole = snapshot.RoleByOid(target.Owner) ?? role;
            notes.Add(Note.Info($"{Display(target)} is a view: its base tables are checked with the privileges of its owner {checkedRole.Name}, not {role.Name}."));
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
        var hints = ImmutableArray<DiagnosisHint>.Empty;
        var held = HeldLetters(checkedRole, rel);
        var primary = missing.Count > 0 ? missing[0].Privilege : Privilege.Select;
        if (shape is null)
        {
            cause = $"{role.Name} holds {(held.Length == 0 ? "nothing" : held)} on {q}. The message does not say which privilege the statement needed; give the statement to get the exact fix.";
            notes.Add(Note.Info("A missing column privilege is also reported as \"permission denied for table\"."));
            hints = [DiagnosisHint.Statement];
        }
        else if (missing.Count == 0)
        {
            cause = $"{checkedRole.Name} now holds everything this statement needs on {q} ({(held.Length == 0 ? "column privileges" : held)}): it was granted since, or the error came from another role.";
            hints = [DiagnosisHint.OtherRole];
        }
        else
        {
            cause = $"{checkedRole.Name} holds {(held.Length == 0 ? "nothing" : held)} on {q}; " + string.Join("; ", missing.Select(m => $"{m.Reason}, which needs {m.Name} on {m.Object}")) + ".";
        }
        var durable = ImmutableArray.CreateBuilder<SqlStatement>();
        foreach (var p in missing.Select(m => m.Privilege).Distinct())
        {
            if (p is Privilege.Usage) continue;
            durable.AddRange(DefaultPrivilegeFix(rel.Owner, rel.Schema, 'r', p, checkedRole));
        }
        return new Diagnosis
        {
            KindWord = error.ObjectWord!, Kind = rel.Kind, Object = q, Role = checkedRole.Name, Attempted = attempted,
            Missing = missing.ToImmutable(), Cause = cause, Fix = fix.ToImmutable(), DurableFix = durable.ToImmutable(),
            CanFix = missing.Count == 0 ? [] : WhoCanGrant(rel, primary), AlreadyAllowed = shape is not null && missing.Count == 0,
            Notes = notes.ToImmutable(), Hints = hints,
        };
    }

    /// <summary>Checks each need of the statement; adds what is missing and the least grant for it.</summary>
    private void AddStatementNeeds(Relation table, StatementShape shape, Role role, ImmutableArray<MissingPrivilege>.Builder missing,
        ImmutableArray<SqlStatement>.Builder fix, uint skipSequence)
    {
        foreach (var lacked in _needs.Lacking(table, shape, role, skipSequence))
        {
            missing.Add(lacked.Missing);
            fix.Add(lacked.Fix);
        }
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
