using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Rules;

/// <summary>Which roles and schemas an audit looks at.</summary>
/// <param name="Roles">Role names to audit; empty for every non-superuser login role.</param>
/// <param name="Schemas">Schema names to audit; empty for every schema that is not a system one (pg_*, information_schema).</param>
public sealed record AuditScope(ImmutableArray<string> Roles, ImmutableArray<string> Schemas)
{
    /// <summary>No role or schema named: the default audited roles and every non-system schema.</summary>
    public static readonly AuditScope Everything = new([], []);
}

/// <summary>
/// What every rule reads: the snapshot, the access evaluator (shared, so its role closures are
/// computed once), and the scope. Audited roles are the non-superuser login roles (or those named
/// with --role); audited objects are those in non-system schemas (or those named with --schema).
/// </summary>
public sealed class AuditContext
{
    /// <summary>The whole catalog of the audited database.</summary>
    public CatalogSnapshot Snapshot { get; }

    /// <summary>Decides privileges over <see cref="Snapshot"/>; not thread-safe, so each thread has its own (see <see cref="Fork"/>).</summary>
    public AccessEvaluator Access { get; }

    /// <summary>The roles and schemas asked for.</summary>
    public AuditScope Scope { get; }

    /// <summary>The audited database's name, as every finding records it.</summary>
    public string Database => Snapshot.CurrentDatabase;

    /// <summary>Roles whose access the audit judges.</summary>
    public ImmutableArray<Role> AuditedRoles { get; }
    private readonly HashSet<uint> _audited;
    private readonly HashSet<uint> _schemas;

    /// <summary>A context over a whole-catalog snapshot.</summary>
    /// <param name="snapshot">The catalog to audit; it must not be scoped.</param>
    /// <param name="scope">The roles and schemas to audit; null for <see cref="AuditScope.Everything"/>.</param>
    /// <param name="access">An evaluator over the same snapshot to share (its caches); null makes one.</param>
    /// <exception cref="ArgumentException"><paramref name="snapshot"/> was read with a scope.</exception>
    /// <exception cref="RoleNotFoundException">A role of the scope does not exist.</exception>
    /// <exception cref="PgrantException">A schema of the scope does not exist in the database.</exception>
    public AuditContext(CatalogSnapshot snapshot, AuditScope? scope = null, AccessEvaluator? access = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        // A scoped snapshot lacks most objects: every rule would silently find nothing there.
        if (snapshot.IsScoped)
            throw new ArgumentException("an audit needs the whole catalog; this snapshot was read with a scope", nameof(snapshot));
        Snapshot = snapshot;
        Access = access ?? new AccessEvaluator(snapshot);
        Scope = scope ?? AuditScope.Everything;
        AuditedRoles = Scope.Roles.IsEmpty
            ? [.. snapshot.Roles.Where(r => r.CanLogin && !r.IsSuperuser && !r.IsPredefined)]
            : [.. Scope.Roles.Select(n => snapshot.RoleByName(n) ?? throw new RoleNotFoundException(n))];
        _audited = [.. AuditedRoles.Select(r => r.Oid)];
        _schemas = Scope.Schemas.IsEmpty
            ? [.. snapshot.Schemas.Where(s => !s.IsSystem && !s.Name.StartsWith("pg_", StringComparison.Ordinal)).Select(s => s.Oid)]
            : [.. Scope.Schemas.Select(n => snapshot.Schemas.FirstOrDefault(s => s.Name == n)?.Oid ?? throw new PgrantException($"schema \"{n}\" does not exist in database {snapshot.CurrentDatabase}"))];
    }

    // A fork: the same snapshot, scope and audited sets, its own evaluator (whose caches are not thread-safe).
    private AuditContext(AuditContext other)
    {
        Snapshot = other.Snapshot;
        Access = new AccessEvaluator(other.Snapshot);
        Scope = other.Scope;
        AuditedRoles = other.AuditedRoles;
        _audited = other._audited;
        _schemas = other._schemas;
    }

    /// <summary>
    /// A context for another thread: shares everything read-only and has its own <see cref="AccessEvaluator"/>,
    /// so rules can run in parallel without locks. Same answers, since the evaluator is a pure function of the snapshot.
    /// </summary>
    public AuditContext Fork() => new(this);

    /// <summary>Whether the role with this OID is one the audit judges (one of <see cref="AuditedRoles"/>).</summary>
    public bool IsAudited(uint role) => _audited.Contains(role);

    /// <summary>Whether objects of the schema with this OID are audited.</summary>
    public bool InScope(uint schema) => _schemas.Contains(schema);

    /// <summary>The audited schemas.</summary>
    public IEnumerable<Schema> Schemas => Snapshot.Schemas.Where(s => _schemas.Contains(s.Oid));
    /// <summary>The relations (of every relkind, sequences included) in audited schemas.</summary>
    public IEnumerable<Relation> Relations => Snapshot.Relations.Where(r => _schemas.Contains(r.Schema));
    /// <summary>The functions, procedures and aggregates in audited schemas.</summary>
    public IEnumerable<Function> Functions => Snapshot.Functions.Where(f => _schemas.Contains(f.Schema));

    /// <summary>The object's name as SQL writes it (quoted, schema-qualified), for messages.</summary>
    public string Display(ISecurable obj) => SqlWriter.Name(Ref(obj));

    /// <summary>The object as statements name it.</summary>
    public SqlObject Ref(ISecurable obj) => SqlObject.Of(Snapshot, obj);

    /// <summary>A role's name (its OID for a dropped role, "PUBLIC" for 0), as <see cref="CatalogSnapshot.RoleName"/>.</summary>
    public string RoleName(uint oid) => Snapshot.RoleName(oid);

    /// <summary>A finding located on an object, with the object's schema and kind filled in.</summary>
    public Finding At(RuleDescriptor rule, ISecurable obj, uint? role, string message, ImmutableArray<SqlStatement> fix,
        Severity? severity = null, ImmutableArray<Note> notes = default) =>
        new(rule, severity ?? rule.Severity, Database, SchemaOf(obj), Display(obj), obj.Kind,
            role is null ? null : RoleName(role.Value), message, fix, notes);

    /// <summary>A finding about a role (cluster-wide; no schema).</summary>
    public Finding AtRole(RuleDescriptor rule, string roleName, string? aboutRole, string message, ImmutableArray<SqlStatement> fix,
        Severity? severity = null, ImmutableArray<Note> notes = default) =>
        new(rule, severity ?? rule.Severity, Database, null, SqlNames.Ident(roleName), ObjectKind.Role, aboutRole, message, fix, notes);

    /// <summary>A finding about a database as a whole (no schema).</summary>
    public Finding AtDatabase(RuleDescriptor rule, string databaseName, string? role, string message, ImmutableArray<SqlStatement> fix,
        Severity? severity = null, ImmutableArray<Note> notes = default) =>
        new(rule, severity ?? rule.Severity, Database, null, SqlNames.Ident(databaseName), ObjectKind.Database, role, message, fix, notes);

    private string? SchemaOf(ISecurable obj) => obj switch
    {
        Relation r => Snapshot.SchemaName(r.Schema),
        Function f => Snapshot.SchemaName(f.Schema),
        TypeInfo t => Snapshot.SchemaName(t.Schema),
        Schema s => s.Name,
        _ => null,
    };

    /// <summary>The kind in words ("table", "materialized view"), as the server's messages print it.</summary>
    public static string KindWord(ObjectKind kind) => KindWords.Singular(kind);
}
