using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>A statement's needs as the server analysed them: every privilege it checks, in one fix.</summary>
public sealed partial class Explainer
{
    /// <summary>
    /// Why <paramref name="role"/> got <paramref name="error"/>, judged on what the server's own analysis of the
    /// statement says it needs (<paramref name="needs"/>, from the connected server): every relation with its
    /// columns and the role it is checked as, the routines, the sequence functions and the schemas, so the fix
    /// covers all of them at once rather than only the object the message names. When the error was raised inside
    /// a routine or trigger body (a CONTEXT line with its SQL statement), that statement is diagnosed too, as the
    /// role the body runs as. Without <paramref name="needs"/>, or when the server could not analyse the statement,
    /// this is <see cref="Explain(PermissionError, Role, string?)"/> (pgrant's own reading of the statement), with
    /// <see cref="Diagnosis.StatementAnalysis"/> saying so.
    /// </summary>
    /// <param name="error">The permission error.</param>
    /// <param name="role">The role that hit it.</param>
    /// <param name="statement">The statement that failed, when known; defaults to the one in the error's text.</param>
    /// <param name="needs">What the server's analysis of the statement says it needs, or null.</param>
    public Diagnosis Explain(PermissionError error, Role role, string? statement, ServerNeeds? needs)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(role);
        return RouteToGroups(NameDefaultPrivilegeGaps(ExplainUnrouted(error, role, statement ?? error.Statement, needs), role));
    }

    /// <summary>
    /// pgrant's own reading, with the CONTEXT of an error raised inside a routine body: the inner SQL statement the
    /// CONTEXT quotes is diagnosed as the role the body runs as (its owner for SECURITY DEFINER, else the caller).
    /// </summary>
    private Diagnosis ExplainWithContext(PermissionError error, Role role, string? statement)
    {
        if (ContextStatement(error) is not { } inner) return ExplainUnrouted(error, role, statement);
        var where = ContextRoutine(error);
        var bodyRole = RunsAs(where, null, role);
        var body = ExplainUnrouted(error, bodyRole, inner);
        return body with
        {
            Attempted = body.Attempted.Length == 0 ? "" : $"{body.Attempted}, inside {where ?? "a routine"}",
            Cause = $"The error itself was raised inside {where ?? "a routine"} (CONTEXT), whose statements run as {bodyRole.Name}" +
                    $"{(bodyRole.Oid == role.Oid ? " (the caller)" : " (its owner: SECURITY DEFINER)")}: {body.Cause}",
        };
    }

    private Diagnosis ExplainUnrouted(PermissionError error, Role role, string? statement, ServerNeeds? needs)
    {
        var baseline = needs is { Analysed: true } ? ExplainUnrouted(error, role, statement) : ExplainWithContext(error, role, statement);
        if (needs is null) return baseline;
        if (!needs.Analysed)
            return baseline with { StatementAnalysis = $"the server could not analyse the statement ({needs.Problem}); pgrant read it itself" };
        // The analysis checks relations, columns, routines, sequences and schemas; an error about anything else (a
        // large object, a foreign server, a parameter, a type …) is answered by pgrant's own path.
        if (error.Kind != PermissionErrorKind.PermissionDenied || error.ObjectKind is not (ObjectKind.Table or ObjectKind.View
                or ObjectKind.MaterializedView or ObjectKind.ForeignTable or ObjectKind.Sequence or ObjectKind.Schema
                or ObjectKind.Function or ObjectKind.Procedure or ObjectKind.Aggregate))
            return baseline with { StatementAnalysis = "the server analysed the statement; this error is not about the privileges it checks, so they were not used" };

        var lacks = _needs.Lacking(needs, role);
        Diagnosis? body = null;
        Role? bodyRole = null;
        var where = ContextRoutine(error);
        if (!Covers(needs, error))
        {
            // The object the message names is not among what the statement itself needs: the error came from a
            // routine or trigger body (CONTEXT), whose own statement says what it needed, as the role it runs as.
            bodyRole = RunsAs(where, needs, role);
            body = ContextStatement(error) is { } inner ? ExplainUnrouted(error, bodyRole, inner) : ExplainUnrouted(error, bodyRole, statement);
        }

        var missing = ImmutableArray.CreateBuilder<MissingPrivilege>();
        var fix = ImmutableArray.CreateBuilder<SqlStatement>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var l in lacks)
        {
            if (!seen.Add(SqlWriter.Standalone(l.Fix))) continue;
            missing.Add(l.Missing);
            fix.Add(l.Fix);
        }
        if (body is not null)
        {
            missing.AddRange(body.Missing);
            foreach (var f in body.Fix)
                if (seen.Add(SqlWriter.Standalone(f))) fix.Add(f);
        }

        var analysis = "the statement's needs come from the server's own analysis (parse analysis and rewrite, nothing run): " +
            $"{Count(needs.Relations.Length, "relation check")}, {Count(needs.Functions.Length, "routine")}, {Count(needs.Sequences.Length, "sequence call")}, " +
            $"{Count(needs.Triggers.Length, "trigger")}";
        var serverNotes = needs.Triggers.Select(t => Note.Info($"Trigger {SqlNames.Ident(t.Name)} on {t.Table} fires ({t.Events}) and runs {t.Function} as {t.RunsAs ?? role.Name}" +
                $"{(t.SecurityDefiner ? " (SECURITY DEFINER)" : " (SECURITY INVOKER)")}: what its body does is checked as that role when it runs, which no analysis before running shows."))
            .Concat(needs.Unseen.Select(u => Note.Info($"Not seen before running: {u}."))).ToList();
        if (body is null && fix.Select(SqlWriter.Standalone).Order(StringComparer.Ordinal).SequenceEqual(baseline.Fix.Select(SqlWriter.Standalone).Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            // The server's analysis confirms pgrant's own reading: keep its words, which say more about this kind of error.
            return baseline with { StatementAnalysis = analysis + "; they agree with pgrant's own reading", Notes = [.. baseline.Notes, .. serverNotes] };
        }

        var canFix = CanRunAll(lacks, body);
        var notes = ImmutableArray.CreateBuilder<Note>();
        foreach (var owner in lacks.Where(l => l.Role.Oid != role.Oid).Select(l => l.Role.Name).Distinct())
            notes.Add(Note.Info($"Relations read through a view are checked with the privileges of the view's owner {owner}, not {role.Name}: those grants go to {owner}."));
        notes.AddRange(serverNotes);
        notes.AddRange((body ?? baseline).Notes.Where(n => n.Kind != NoteKind.Info || body is not null || error.ObjectKind == ObjectKind.Sequence));

        string cause;
        if (missing.Count == 0)
        {
            cause = $"{role.Name} holds everything the server checks for this statement " +
                    $"({Count(needs.Relations.Length, "relation check")}, {Count(needs.Functions.Length, "routine")}, {Count(needs.Sequences.Length, "sequence call")}): " +
                    "it was granted since, or the error came from another role.";
        }
        else
        {
            var lackers = lacks.Select(l => l.Role.Name).Concat(bodyRole is null ? [] : [bodyRole.Name]).Distinct().ToList();
            cause = $"the server checks {Count(missing.Count, "privilege")} for this statement that {string.Join(" and ", lackers)} lack{(lackers.Count == 1 ? "s" : "")}: " +
                    string.Join("; ", missing.Select(m => $"{m.Name} on {m.Object}")) + ".";
            if (body is not null)
                cause += $" The error itself was raised inside {where ?? "a routine"} (CONTEXT), whose statements run as {bodyRole!.Name}: {body.Cause}";
        }
        var named = needs.Relations.Where(r => r.NamedInStatement).Select(r => SqlNames.Qualified(r.Schema, r.Name)).Distinct().ToList();
        var attempted = needs.Command.Length == 0 ? baseline.Attempted
            : named.Count == 0 ? needs.Command : $"{needs.Command} on {string.Join(", ", named)}";
        var lacker = lacks.Select(l => l.Role.Name).Distinct().ToList();
        // Durable: what the owner creates later carries the same grants (relations and sequences the fix names);
        // a sequence error keeps its own durable advice (the serial → identity conversion), a body error the body's.
        var durable = ImmutableArray.CreateBuilder<SqlStatement>();
        if (body is not null) durable.AddRange(body.DurableFix);
        else if (error.ObjectKind == ObjectKind.Sequence) durable.AddRange(baseline.DurableFix.Where(s => s is not GrantDefaultPrivileges));
        foreach (var l in lacks)
        {
            if (l.Object is not Relation rel) continue;
            var type = rel.Kind == ObjectKind.Sequence ? 'S' : 'r';
            foreach (var st in DefaultPrivilegeFix(rel.Owner, rel.Schema, type, l.Privilege, l.Role))
                if (seen.Add(SqlWriter.Standalone(st))) durable.Add(st);
        }
        return baseline with
        {
            Role = body is null && lacker.Count == 1 ? lacker[0] : role.Name,
            Attempted = attempted,
            Missing = missing.ToImmutable(),
            Cause = cause,
            Fix = fix.ToImmutable(),
            DurableFix = durable.ToImmutable(),
            CanFix = fix.Count == 0 ? [] : canFix,
            AlreadyAllowed = missing.Count == 0 && fix.Count == 0,
            Notes = notes.ToImmutable(),
            Hints = missing.Count == 0 ? [DiagnosisHint.OtherRole] : [],
            StatementAnalysis = analysis,
        };
    }


    // Whether the object the message names is one the statement's own analysis checks.
    private static bool Covers(ServerNeeds needs, PermissionError error)
    {
        var name = error.ObjectName;
        return error.ObjectKind switch
        {
            ObjectKind.Sequence => needs.Sequences.Any(s => s.Name == name) || needs.Relations.Any(r => r.Name == name),
            ObjectKind.Table or ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable => needs.Relations.Any(r => r.Name == name),
            ObjectKind.Function or ObjectKind.Procedure or ObjectKind.Aggregate => needs.Functions.Any(f => f.Name == name || name.StartsWith(f.Name + "(", StringComparison.Ordinal)),
            ObjectKind.Schema => needs.Schemas.Contains(name) || needs.Relations.Any(r => r.Schema == name) || needs.Functions.Any(f => f.Schema == name),
            _ => true,
        };
    }

    // The roles that may run every statement of the fix: the intersection of who may grant each.
    private ImmutableArray<FixerRole> CanRunAll(ImmutableArray<ServerLack> lacks, Diagnosis? body)
    {
        IEnumerable<FixerRole>? all = null;
        foreach (var l in lacks.DistinctBy(l => (l.Object, l.Privilege)))
        {
            var who = WhoCanGrant(l.Object, l.Privilege);
            all = all is null ? who : all.Where(a => who.Any(w => w.Name == a.Name));
        }
        if (body is not null && !body.Fix.IsEmpty)
            all = all is null ? body.CanFix : all.Where(a => body.CanFix.Any(w => w.Name == a.Name));
        return [.. all ?? []];
    }

    /// <summary>The routine a CONTEXT names: "PL/pgSQL function app.log_item() line 3 at SQL statement" (the innermost), or null.</summary>
    internal static string? ContextRoutine(PermissionError error)
    {
        foreach (var line in error.Context)
            if (RoutineLine().Match(line) is { Success: true } m) return m.Groups[1].Value;
        return null;
    }

    /// <summary>The SQL statement a CONTEXT line quotes (the innermost), or null.</summary>
    internal static string? ContextStatement(PermissionError error)
    {
        var text = string.Join("\n", error.Context);
        var start = text.IndexOf("SQL statement \"", StringComparison.Ordinal);
        if (start < 0) return null;
        start += "SQL statement \"".Length;
        var stop = text.IndexOf("\nPL/pgSQL function", start, StringComparison.Ordinal);
        if (stop < 0) stop = text.IndexOf("\nSQL function", start, StringComparison.Ordinal);
        var end = text.LastIndexOf('"', stop < 0 ? text.Length - 1 : stop);
        return end > start ? text[start..end] : null;
    }

    // The role a routine's body runs as: its owner when SECURITY DEFINER, else the caller.
    private Role RunsAs(string? routine, ServerNeeds? needs, Role role)
    {
        if (routine is null) return role;
        var bare = routine.Contains('.', StringComparison.Ordinal) ? routine[(routine.LastIndexOf('.') + 1)..] : routine;
        var trigger = needs?.Triggers.FirstOrDefault(t => t.Function == routine || t.Function.EndsWith("." + bare, StringComparison.Ordinal) || t.Function == bare);
        if (trigger is not null)
            return trigger.RunsAs is { } owner ? snapshot.RoleByName(owner) ?? role : role;
        var schema = routine.Length > bare.Length ? routine[..(routine.Length - bare.Length - 1)].Trim('"') : null;
        var fn = snapshot.Functions.Where(f => f.Name == bare.Trim('"'))
            .OrderBy(f => schema is not null && snapshot.SchemaName(f.Schema) == schema ? 0 : 1).FirstOrDefault();
        return fn is { SecurityDefiner: true } ? snapshot.RoleByOid(fn.Owner) ?? role : role;
    }

    [GeneratedRegex(@"^(?:PL/pgSQL|SQL) function ([^\s(]+)\(")]
    private static partial Regex RoutineLine();
}
