using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Planning;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// Something an application declares it needs from its database role: a SQL statement it runs
/// (<see cref="StatementRequirement"/>), or a privilege on an object (<see cref="PrivilegeRequirement"/>).
/// A tuple <c>("INSERT", "public.descriptions")</c> converts to a privilege requirement.
/// </summary>
public abstract record AccessRequirement
{
    private protected AccessRequirement() { }

    /// <summary>A statement the application runs (parameters as $1, $2 …): it needs what the server checks for it.</summary>
    public static StatementRequirement Statement(string sql) => new(sql);

    /// <summary>A privilege on an object, as <c>can</c> takes them ("INSERT", "public.descriptions"; "nextval", "public.descriptions_id_seq").</summary>
    public static PrivilegeRequirement Privilege(string privilege, string objectName, string? kind = null) => new(privilege, objectName, kind);

    /// <summary>("INSERT", "public.descriptions") is <see cref="Privilege"/>("INSERT", "public.descriptions").</summary>
    public static implicit operator AccessRequirement((string Privilege, string Object) privilege) =>
        new PrivilegeRequirement(privilege.Privilege, privilege.Object);
}

/// <summary>A statement the application runs; judged like the server does for its one target table (INSERT, UPDATE, DELETE, SELECT … FROM, TRUNCATE, COPY).</summary>
public sealed record StatementRequirement : AccessRequirement
{
    /// <summary>A statement requirement; <paramref name="sql"/> must not be blank.</summary>
    public StatementRequirement(string sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        Sql = sql;
    }

    /// <summary>The statement as the application sends it.</summary>
    public string Sql { get; }

    /// <summary>The statement on one line.</summary>
    public override string ToString() => string.Join(" ", Sql.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>
/// A privilege on an object: a privilege name, ACL letter or sequence operation, and the object as <c>can</c>
/// names it (schema.name, schema.f(argtypes), schema.table(column)), with an optional kind word. The privilege,
/// the name and the kind are parsed when the requirement is made, so a typo fails at once, before any server.
/// </summary>
public sealed record PrivilegeRequirement : AccessRequirement
{
    /// <summary>A privilege requirement; throws a <see cref="PgrantException"/> for an unknown privilege or kind, or a malformed name.</summary>
    public PrivilegeRequirement(string privilege, string objectName, string? kind = null)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        ArgumentNullException.ThrowIfNull(objectName);
        PrivilegeRequest.Parse(privilege);
        ObjectReference.Parse(objectName);
        if (kind is not null) ObjectLocator.KindsFor(kind);
        PrivilegeName = privilege.Trim();
        ObjectName = objectName;
        Kind = kind;
    }

    /// <summary>The privilege as given (SELECT, INSERT, USAGE, nextval …).</summary>
    public string PrivilegeName { get; }

    /// <summary>The object as given.</summary>
    public string ObjectName { get; }

    /// <summary>The kind word given with it, or null.</summary>
    public string? Kind { get; }

    /// <summary>"INSERT on public.descriptions".</summary>
    public override string ToString() => $"{PrivilegeRequest.Parse(PrivilegeName).Display} on {(Kind is null ? "" : Kind + " ")}{ObjectName}";
}

/// <summary>
/// The verdict on one requirement: what the role lacks (each with its reason) and the least grants that give
/// it, or why it could not be judged (<see cref="Problem"/>: an unknown table, a statement pgrant does not read).
/// </summary>
public sealed record RequirementResult(AccessRequirement Requirement, ImmutableArray<MissingPrivilege> Missing, ImmutableArray<SqlStatement> Fix, string? Problem = null)
{
    /// <summary>Judged, and nothing is missing.</summary>
    public bool Satisfied => Problem is null && Missing.IsEmpty;
}

/// <summary>
/// A start-up check: for <see cref="Role"/> in <see cref="Database"/>, the verdict on each requirement, and one
/// fix for all of them (<see cref="PlanBuilder.Arrange"/>: each grant once, merged where the server allows it).
/// </summary>
public sealed record RequirementReport(string Role, string Database, ImmutableArray<RequirementResult> Results, ImmutableArray<SqlStatement> Fix)
{
    /// <summary>Every requirement was judged and nothing is missing.</summary>
    public bool Satisfied => Results.All(r => r.Satisfied);

    /// <summary>What the role lacks, each privilege on each object once (the first reason kept).</summary>
    public ImmutableArray<MissingPrivilege> Missing =>
        [.. Results.SelectMany(r => r.Missing).DistinctBy(m => (m.What, m.Privilege, m.Kind, m.Object))];

    /// <summary>Requirements that could not be judged: "requirement: why".</summary>
    public ImmutableArray<string> Problems =>
        [.. Results.Where(r => r.Problem is not null).Select(r => $"{r.Requirement}: {r.Problem}")];

    /// <summary>The report as plain text (<see cref="DiagnosisReport.Text(RequirementReport)"/>).</summary>
    public override string ToString() => DiagnosisReport.Text(this);
}

/// <summary>
/// Judges what an application declares it needs against one catalog snapshot, for one role: for a statement,
/// what the server checks when it runs (<see cref="NeedChecker"/>: the written columns, the sequence behind a
/// serial default, SELECT for WHERE / RETURNING); for a privilege, the privilege itself (<see cref="AccessQuestions"/>);
/// for both, USAGE on the object's schema and CONNECT on the database when the role lacks them. Pure.
/// </summary>
public static class RequirementCheck
{
    private static readonly IReadOnlySet<ObjectKind> TargetKinds = new HashSet<ObjectKind>
    {
        ObjectKind.Table, ObjectKind.PartitionedTable, ObjectKind.View, ObjectKind.MaterializedView, ObjectKind.ForeignTable,
    };

    /// <summary>What a scoped read must hold to judge <paramref name="requirements"/>: each statement's target, each privilege's object.</summary>
    public static CatalogScope Scope(IEnumerable<AccessRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var scope = CatalogScope.None;
        foreach (var requirement in requirements)
        {
            scope = scope.Union(requirement switch
            {
                StatementRequirement s when StatementAnalyzer.Analyze(s.Sql).Target is { } target =>
                    new CatalogScope([new ScopeName(target.Schema, target.Name)], [], []),
                PrivilegeRequirement p => QuestionInput.Scope(p.ObjectName, p.Kind),
                _ => CatalogScope.None,
            });
        }
        return scope;
    }

    /// <summary>
    /// The verdict on each requirement for <paramref name="role"/> (the snapshot's current user when null).
    /// Throws <see cref="RoleNotFoundException"/> when the role does not exist.
    /// </summary>
    public static RequirementReport Run(CatalogSnapshot snapshot, IEnumerable<AccessRequirement> requirements, string? role = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(requirements);
        var name = role ?? snapshot.CurrentUser;
        var who = snapshot.RoleByName(name) ?? throw new RoleNotFoundException(name);
        var checker = new Checker(snapshot, who);
        var results = requirements.Select(r => r switch
        {
            StatementRequirement s => checker.Statement(s),
            PrivilegeRequirement p => checker.Privilege(p),
            _ => throw new ArgumentOutOfRangeException(nameof(requirements), r?.GetType().Name, "an unknown kind of requirement"),
        }).ToImmutableArray();
        return new RequirementReport(who.Name, snapshot.CurrentDatabase, results, PlanBuilder.Arrange(results.SelectMany(r => r.Fix)));
    }

    private sealed class Checker(CatalogSnapshot snapshot, Role who)
    {
        private readonly AccessEvaluator _access = new(snapshot);
        private readonly NameResolver _names = new(snapshot, snapshot.SearchPathOf(who.Name));

        public RequirementResult Statement(StatementRequirement requirement)
        {
            var shape = StatementAnalyzer.Analyze(requirement.Sql);
            if (shape.Command == StatementCommand.Other || shape.Target is not { } target)
                return Problem(requirement, "pgrant judges INSERT, UPDATE, DELETE, SELECT … FROM, TRUNCATE and COPY on one table; it cannot tell what this statement needs");
            var resolution = _names.Relation(target.Name, target.Schema, who.Name, TargetKinds);
            if (resolution.Object is not { } table)
            {
                return Problem(requirement, resolution.Ambiguous
                    ? $"{target} is ambiguous: several schemas have one and none is on the search_path of {who.Name}"
                    : $"no table or view named {target} in database {snapshot.CurrentDatabase}");
            }
            if (target.Schema is null && !_names.SearchPathFor(who.Name).Contains(table.Schema))
            {
                return Problem(requirement, $"{target} is in schema {snapshot.SchemaName(table.Schema)}, which is not on the search_path of {who.Name}: " +
                    $"the statement would fail with \"relation does not exist\"; qualify the name as {SqlWriter.Name(SqlObject.Of(snapshot, table))}");
            }
            var missing = ImmutableArray.CreateBuilder<MissingPrivilege>();
            var fix = ImmutableArray.CreateBuilder<SqlStatement>();
            Reach(table.Schema, missing, fix);
            foreach (var lacked in new NeedChecker(snapshot, _access).Lacking(table, shape, who))
            {
                missing.Add(lacked.Missing);
                fix.Add(lacked.Fix);
            }
            return new RequirementResult(requirement, missing.ToImmutable(), fix.ToImmutable());
        }

        public RequirementResult Privilege(PrivilegeRequirement requirement)
        {
            ObjectTarget target;
            PrivilegeRequest request;
            try
            {
                (target, request) = QuestionInput.Read(snapshot, requirement.PrivilegeName, requirement.ObjectName, requirement.Kind, who.Name);
            }
            catch (PgrantException e)
            {
                return Problem(requirement, e.Message);
            }
            var missing = ImmutableArray.CreateBuilder<MissingPrivilege>();
            var fix = ImmutableArray.CreateBuilder<SqlStatement>();
            Reach(target.SchemaOid, missing, fix);
            if (!new AccessQuestions(_access).Decide(who.Oid, target, request).Allowed)
            {
                // A sequence operation is allowed by any of several privileges; the least one is granted.
                var least = request.Operation switch
                {
                    SequenceOperation.Nextval => Acl.Privilege.Usage,
                    SequenceOperation.Currval or SequenceOperation.Lastval => Acl.Privilege.Select,
                    SequenceOperation.Setval => Acl.Privilege.Update,
                    _ => request.Privilege,
                };
                var on = SqlObject.Of(snapshot, target.Object);
                var display = target.Column is { } column ? $"{SqlWriter.Name(on)} ({SqlNames.Ident(column.Name)})" : SqlWriter.Name(on);
                var reason = $"the application needs {request.Display} on {KindWords.Singular(target.Kind)} {display}";
                missing.Add(MissingPrivilege.Of(least, target.Object.Kind, display, reason));
                fix.Add(new GrantPrivileges(least, [on], [who.Name], reason,
                    Columns: target.Column is { } c ? [c.Name] : default));
            }
            return new RequirementResult(requirement, missing.ToImmutable(), fix.ToImmutable());
        }

        // Reaching an object at all: CONNECT on the database (new sessions) and USAGE on the object's schema.
        private void Reach(uint? schemaOid, ImmutableArray<MissingPrivilege>.Builder missing, ImmutableArray<SqlStatement>.Builder fix)
        {
            if (snapshot.CurrentDatabaseInfo is { } database && !_access.Decide(who.Oid, database, Acl.Privilege.Connect).Allowed)
            {
                const string why = "every new session must CONNECT to the database first";
                missing.Add(MissingPrivilege.Of(Acl.Privilege.Connect, ObjectKind.Database, SqlNames.Ident(database.Name), why));
                fix.Add(new GrantPrivileges(Acl.Privilege.Connect, SqlObject.Bare(ObjectKind.Database, database.Name), who.Name, why));
            }
            if (schemaOid is { } oid && snapshot.SchemaByOid(oid) is { } schema && !_access.Decide(who.Oid, schema, Acl.Privilege.Usage).Allowed)
            {
                const string why = "every use of an object in a schema needs USAGE on the schema; without it the object is unreachable whatever its own grants";
                missing.Add(MissingPrivilege.Of(Acl.Privilege.Usage, ObjectKind.Schema, SqlNames.Ident(schema.Name), why));
                fix.Add(new GrantPrivileges(Acl.Privilege.Usage, SqlObject.Bare(ObjectKind.Schema, schema.Name), who.Name, why));
            }
        }

        private static RequirementResult Problem(AccessRequirement requirement, string problem) => new(requirement, [], [], problem);
    }
}
