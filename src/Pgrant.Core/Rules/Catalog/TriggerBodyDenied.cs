using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR018: a trigger whose body the roles that fire it cannot run. A trigger's function runs with the privileges
/// of the role whose INSERT, UPDATE, DELETE or TRUNCATE fired it (SECURITY INVOKER, the default), so a role
/// granted INSERT on a table may still fail every INSERT: "permission denied for table audit_log", raised by a
/// statement of the body. For each enabled trigger of a table in scope whose function is PL/pgSQL, every audited
/// role that holds the trigger's event privilege (table- or column-level) is judged against what the body's
/// statements need (<see cref="RoutineBodyStatements"/> finds them, <see cref="StatementAnalyzer"/> and
/// <see cref="NeedChecker"/> judge them, as for explain's statements): USAGE on the schema a name is looked up in,
/// the written and read columns, USAGE on the sequence behind a serial default. The fix goes to the group whose
/// grant gave the role the event privilege (one finding per trigger and grantee), with the least privileges.
/// A SECURITY DEFINER body runs as its owner: the owner is judged instead (one finding per trigger, the fix to
/// the owner). Names in the body are resolved with the function's pinned search_path, else the firing role's.
/// </summary>
public sealed class TriggerBodyDenied : IAuditRule
{
    /// <summary>PGR018 (trigger-body-denied): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR018", "trigger-body-denied", Severity.Error,
        "Role may write to a table but lacks what a trigger's SECURITY INVOKER body needs",
        "A trigger function runs with the privileges of the role whose INSERT, UPDATE, DELETE or TRUNCATE fired it (its owner's when SECURITY DEFINER): " +
        "a role granted INSERT on a table still fails every INSERT when the body's statements need privileges it lacks, e.g. INSERT on an audit table " +
        "and USAGE on its serial sequence — an error, since the write fails now. The SQL statements of PL/pgSQL bodies are judged (SQL cannot write " +
        "trigger functions; other languages are not read); dynamic SQL (EXECUTE) is not, and functions the body calls are not followed.");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    private static readonly IReadOnlySet<ObjectKind> TargetKinds = new HashSet<ObjectKind>
    {
        ObjectKind.Table, ObjectKind.PartitionedTable, ObjectKind.View, ObjectKind.MaterializedView, ObjectKind.ForeignTable,
    };

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var snapshot = context.Snapshot;
        if (snapshot.Triggers.IsEmpty) yield break;
        var judge = new Judge(context);
        foreach (var trigger in snapshot.Triggers)
        {
            if (!trigger.FiresInOrdinarySessions || snapshot.RelationByOid(trigger.Relation) is not { } table || !context.InScope(table.Schema)) continue;
            if (snapshot.FunctionByOid(trigger.Function) is not { } function || judge.Statements(trigger.Function) is not { Length: > 0 } statements) continue;
            var firing = Firing(context, table, trigger.Events);
            if (firing.Count == 0) continue;
            if (function.SecurityDefiner)
            {
                if (context.Snapshot.RoleByOid(function.Owner) is not { } owner) continue;
                var lacks = judge.Lacks(owner, function, statements, context.RoleName(firing[0].Role));
                if (lacks.Count == 0) continue;
                yield return DefinerFinding(context, trigger, table, function, owner, firing, lacks);
                continue;
            }
            foreach (var group in firing.GroupBy(f => f.Grantee).OrderBy(g => context.RoleName(g.Key), StringComparer.Ordinal))
            {
                var lacks = new List<Lack>();
                foreach (var (role, _, _) in group)
                    if (snapshot.RoleByOid(role) is { } who)
                        foreach (var lack in judge.Lacks(who, function, statements, who.Name))
                            if (!lacks.Any(l => l.Statement == lack.Statement && l.Missing == lack.Missing)) lacks.Add(lack);
                if (lacks.Count == 0) continue;
                yield return InvokerFinding(context, trigger, table, function, group.Key, [.. group], [.. lacks.OrderBy(l => l.Statement.Number)]);
            }
        }
    }

    /// <summary>An audited role that may fire the trigger: the event it holds and the role its grant came through.</summary>
    private readonly record struct Firer(uint Role, Privilege Event, uint Grantee);

    /// <summary>
    /// The audited roles that hold one of <paramref name="events"/> on the table (a column's INSERT or UPDATE
    /// fires the trigger too), in role-name order, each with the first event it holds and where that came from.
    /// </summary>
    private static List<Firer> Firing(AuditContext context, Relation table, Privilege events)
    {
        var found = new Dictionary<uint, Firer>();
        foreach (var ev in Privileges.Split(events))
        {
            foreach (var role in context.Access.Holders(table, ev))
                if (context.IsAudited(role) && !found.ContainsKey(role))
                    found[role] = new Firer(role, ev, Grantee(role, context.Access.Decide(role, table, ev)));
            if (ev is not (Privilege.Insert or Privilege.Update) || !table.HasColumnAcls()) continue;
            foreach (var role in context.AuditedRoles)
            {
                if (found.ContainsKey(role.Oid)) continue;
                foreach (var column in table.Columns)
                {
                    if (column.Acl.Entries.IsEmpty) continue;
                    var d = context.Access.DecideColumn(role.Oid, table, column, ev);
                    if (!d.Allowed) continue;
                    found[role.Oid] = new Firer(role.Oid, ev, Grantee(role.Oid, d));
                    break;
                }
            }
        }
        return [.. found.Values.OrderBy(f => context.RoleName(f.Role), StringComparer.Ordinal)];
    }

    // The grant goes where the write privilege came from: the group it was granted to, else the role.
    private static uint Grantee(uint role, AccessDecision decision) =>
        decision.Source == AccessSource.Membership && decision.Holder is { } holder ? holder : role;

    /// <summary>What one statement of the body needs that the role running it lacks, and the least grant that gives it.</summary>
    private sealed record Lack(BodyStatement Statement, MissingPrivilege Missing, GrantPrivileges Fix, string Error, int Order);

    /// <summary>The statements of each trigger function (read once per function) and what they need, judged for a role.</summary>
    private sealed class Judge(AuditContext context)
    {
        private readonly CatalogSnapshot _snapshot = context.Snapshot;
        private readonly Dictionary<uint, ImmutableArray<BodyStatement>> _statements = [];
        private readonly NeedChecker _needs = new(context.Snapshot, context.Access);
        private readonly Dictionary<string, List<Relation>> _byName = new(StringComparer.Ordinal);

        // The relations a body names, found once per name: bodies name a handful, a catalog holds 100,000s.
        private List<Relation> Named(string name)
        {
            if (!_byName.TryGetValue(name, out var found))
                _byName.Add(name, found = [.. _snapshot.Relations.Where(r => r.Name == name && TargetKinds.Contains(r.Kind))]);
            return found;
        }

        public ImmutableArray<BodyStatement> Statements(uint function)
        {
            if (_statements.TryGetValue(function, out var known)) return known;
            var body = _snapshot.BodyOf(function);
            known = body is { Language: "plpgsql" } ? RoutineBodyStatements.Split(body.Source, body.Language).Statements : [];
            _statements.Add(function, known);
            return known;
        }

        /// <summary>
        /// What <paramref name="runner"/> lacks to run the statements, names resolved with the function's pinned
        /// search_path or else that of <paramref name="sessionRole"/>'s sessions ("$user" is the runner).
        /// </summary>
        public IReadOnlyList<Lack> Lacks(Role runner, Function function, ImmutableArray<BodyStatement> statements, string sessionRole)
        {
            var pinned = function.Config.FirstOrDefault(c => c.StartsWith("search_path=", StringComparison.Ordinal));
            var searchPath = pinned is null ? _snapshot.SearchPathOf(sessionRole) : pinned["search_path=".Length..];
            // The answer depends on the body, the role and the path, not on the table: one audit function behind
            // the triggers of 100,000 tables is judged once per role (an INSERT's needs walk every sequence).
            var key = (runner.Oid, function.Oid, searchPath);
            if (!_lacks.TryGetValue(key, out var known)) _lacks.Add(key, known = Judged(runner, statements, searchPath));
            return known;
        }

        private readonly Dictionary<(uint Runner, uint Function, string SearchPath), IReadOnlyList<Lack>> _lacks = [];

        private List<Lack> Judged(Role runner, ImmutableArray<BodyStatement> statements, string searchPath)
        {
            var resolver = new NameResolver(_snapshot, searchPath);
            var path = resolver.SearchPathFor(runner.Name);
            var lacks = new List<Lack>();
            foreach (var statement in statements)
            {
                var shape = StatementAnalyzer.Analyze(statement.Analyzable);
                if (shape.Command == StatementCommand.Other || shape.Target is not { } target) continue;
                var resolution = resolver.Resolve(Named(target.Name), r => r.Schema, target.Name, target.Schema, runner.Name);
                // A name the server would not find fails with "does not exist", which no grant fixes.
                if (resolution.Object is not { } table || (target.Schema is null && !path.Contains(table.Schema))) continue;
                if (_snapshot.SchemaByOid(table.Schema) is { } schema && !context.Access.Decide(runner.Oid, schema, Privilege.Usage).Allowed)
                {
                    // Unqualified, the lookup skips a schema without USAGE: the relation is then not found at all.
                    var why = "the statement names " + SqlWriter.Name(SqlObject.Of(_snapshot, table)) + ", and looking a name up in a schema needs USAGE on it";
                    lacks.Add(new Lack(statement, MissingPrivilege.Of(Privilege.Usage, ObjectKind.Schema, SqlNames.Ident(schema.Name), why),
                        new GrantPrivileges(Privilege.Usage, SqlObject.Of(_snapshot, schema), runner.Name, why),
                        target.Schema is null ? $"relation \"{target.Name}\" does not exist" : $"permission denied for schema {schema.Name}", 0));
                }
                foreach (var lacked in _needs.Lacking(table, shape, runner))
                {
                    var on = lacked.Fix.Objects[0];
                    // The executor checks the statement's relations before it runs; a default's nextval() fails while it runs.
                    lacks.Add(new Lack(statement, lacked.Missing, lacked.Fix,
                        $"permission denied for {lacked.Missing.KindWord} {on.Name}", on.Kind == ObjectKind.Sequence ? 2 : 1));
                }
            }
            return lacks;
        }
    }

    private static Finding InvokerFinding(AuditContext context, Trigger trigger, Relation table, Function function, uint grantee,
        List<Firer> firers, IReadOnlyList<Lack> lacks)
    {
        var roles = string.Join(", ", firers.Select(f => context.RoleName(f.Role)));
        var target = context.RoleName(grantee);
        var via = firers.All(f => f.Role == grantee) ? "" : $" (through {target}, which the fix targets)";
        var events = Events(firers.Select(f => f.Event));
        var display = context.Display(table);
        return context.At(Rule, table, grantee,
            $"trigger {SqlNames.Ident(trigger.Name)} on {display} runs {context.Display(function)} (SECURITY INVOKER) with the privileges of the role that fires it: " +
            $"{roles} may {events} on {display}{via} but {(firers.Count == 1 ? "lacks" : "lack")} what its body needs — {Needs(lacks)}; " +
            Failure(lacks, events, display),
            Fixes(context, trigger, table, function, lacks, target));
    }

    private static Finding DefinerFinding(AuditContext context, Trigger trigger, Relation table, Function function, Role owner,
        List<Firer> firers, IReadOnlyList<Lack> lacks)
    {
        var events = Events(firers.Select(f => f.Event));
        var display = context.Display(table);
        return context.At(Rule, table, owner.Oid,
            $"trigger {SqlNames.Ident(trigger.Name)} on {display} runs {context.Display(function)} (SECURITY DEFINER) with the privileges of its owner {owner.Name}, " +
            $"who lacks what its body needs — {Needs(lacks)}; for {string.Join(", ", firers.Select(f => context.RoleName(f.Role)))}, " +
            Failure(lacks, events, display),
            Fixes(context, trigger, table, function, lacks, owner.Name));
    }

    // "statement 1 "INSERT INTO …" needs INSERT on table public.audit (op); USAGE on sequence public.audit_id_seq"
    private static string Needs(IReadOnlyList<Lack> lacks) =>
        string.Join("; ", lacks.GroupBy(l => l.Statement).Select(g =>
            $"statement {g.Key.Number} \"{Shorten(g.Key.Text)}\"{(g.Key.Conditional ? " (on some paths)" : "")} needs " +
            string.Join(", ", g.Select(l => $"{l.Missing.Name} on {l.Missing.KindWord} {l.Missing.Object}"))));

    // What the server says: the first lacking statement's first check (schema lookup, then the relations, then a default's sequence).
    private static string Failure(IReadOnlyList<Lack> lacks, string events, string display)
    {
        var first = lacks.Where(l => l.Statement == lacks[0].Statement).OrderBy(l => l.Order).First();
        return first.Statement.Conditional
            ? $"{events} on {display} fails with \"{first.Error}\" whenever the body reaches that statement."
            : $"every {events} on {display} fails with \"{first.Error}\".";
    }

    private static ImmutableArray<SqlStatement> Fixes(AuditContext context, Trigger trigger, Relation table, Function function, IReadOnlyList<Lack> lacks, string grantee)
    {
        var fixes = new List<SqlStatement>();
        foreach (var lack in lacks)
        {
            var fix = lack.Fix with
            {
                Grantees = [grantee],
                Reason = $"{Rule.Id}: trigger {SqlNames.Ident(trigger.Name)} on {context.Display(table)} runs {context.Display(function)}, whose statement {lack.Statement.Number} needs it ({lack.Missing.Reason})",
            };
            if (!fixes.Contains(fix)) fixes.Add(fix);
        }
        return [.. fixes];
    }

    private static string Events(IEnumerable<Privilege> events) => SqlWriter.PrivilegeList(events.Aggregate(Privilege.None, (a, e) => a | e)).Replace(", ", " or ", StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "…";
}
