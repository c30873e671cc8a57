using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// Turns a permission error into a <see cref="Diagnosis"/> using one catalog snapshot and the
/// access evaluator: pure, deterministic, no I/O. Each error family lives in its own partial file.
/// <paramref name="searchPath"/> is the search_path of the role that hit the error (the server
/// resolved the unqualified name in the message with it); null means the snapshot's.
/// </summary>
public sealed partial class Explainer(CatalogSnapshot snapshot, AccessEvaluator access, string? searchPath = null)
{
    private readonly NameResolver _names = new(snapshot, searchPath);
    private readonly NeedChecker _needs = new(snapshot, access);

    /// <summary>Why <paramref name="role"/> got <paramref name="error"/>, and what would fix it.</summary>
    /// <param name="error">The permission error.</param>
    /// <param name="role">The role that hit it (the current_user of the failing session).</param>
    /// <param name="statement">The statement that failed, when known; defaults to the one in the error's text.</param>
    public Diagnosis Explain(PermissionError error, Role role, string? statement = null) =>
        RouteToGroups(NameDefaultPrivilegeGaps(ExplainWithContext(error, role, statement), role));

    // The diagnosis with every grant to the role that needs it; RouteToGroups then sends them where the role's other grants went.
    private Diagnosis ExplainUnrouted(PermissionError error, Role role, string? statement)
    {
        statement ??= error.Statement;
        var shape = string.IsNullOrWhiteSpace(statement) ? null : StatementAnalyzer.Analyze(statement);
        return error.Kind switch
        {
            PermissionErrorKind.PermissionDenied => ExplainDenied(error, role, shape, statement),
            PermissionErrorKind.MustBeOwner => ExplainOwner(error, role, statement),
            PermissionErrorKind.DatabaseConnect => ExplainDatabase(error, role, Privilege.Connect, "connect to"),
            PermissionErrorKind.TemporaryTables => ExplainDatabase(error, role, Privilege.Temporary, "create temporary tables in"),
            PermissionErrorKind.SetRole or PermissionErrorKind.MemberOfRole => ExplainSetRole(error, role),
            PermissionErrorKind.RowLevelSecurity => ExplainRowSecurity(error, role),
            PermissionErrorKind.RoleAttribute or PermissionErrorKind.Superuser or PermissionErrorKind.PredefinedRole
                or PermissionErrorKind.Parameter or PermissionErrorKind.Extension or PermissionErrorKind.RoleAdmin
                or PermissionErrorKind.RoleObjects or PermissionErrorKind.Maintenance => ExplainFamily(error, role, statement),
            _ => throw new ArgumentOutOfRangeException(nameof(error)),
        };
    }

    private Diagnosis ExplainDenied(PermissionError error, Role role, StatementShape? shape, string? statement)
    {
        var kind = error.ObjectKind;
        if (ExplainDeniedFamily(error, role, statement) is { } family) return family;
        return kind switch
        {
            ObjectKind.Sequence => ExplainSequence(error, role, shape, statement),
            ObjectKind.Table or ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable
                => ExplainRelation(error, role, shape),
            ObjectKind.Schema => ExplainSchema(error, role, shape, statement),
            ObjectKind.Database => ExplainDatabase(error, role, Privilege.Create, "create schemas in"),
            ObjectKind.Function or ObjectKind.Procedure or ObjectKind.Aggregate => ExplainFunction(error, role),
            ObjectKind.Type or ObjectKind.Domain => ExplainType(error, role),
            ObjectKind.Language => ExplainLanguage(error, role),
            ObjectKind.LargeObject => ExplainLargeObject(error, role, statement),
            _ => Unsupported(error, role),
        };
    }

    // ---- shared helpers -------------------------------------------------------------------

    private static Diagnosis Empty(PermissionError error, Role role) =>
        new() { KindWord = error.ObjectWord ?? "", Kind = error.ObjectKind, Role = role.Name };

    private static Diagnosis Unsupported(PermissionError error, Role role) =>
        Empty(error, role) with
        {
            Cause = $"pgrant does not model privileges on {error.ObjectWord ?? "this object"} yet; the server says: {error.Message}.",
        };

    private Diagnosis NotFound<T>(PermissionError error, Role role, Resolution<T> resolution, Func<T, string> describe) where T : class
    {
        if (resolution.Candidates.IsEmpty)
        {
            return Empty(error, role) with
            {
                Cause = $"no {error.ObjectWord} named {error.ObjectName} exists in database {snapshot.CurrentDatabase} (dropped or renamed since, or the error came from another database).",
            };
        }
        return Empty(error, role) with
        {
            Cause = $"{error.ObjectName} is ambiguous: several {error.ObjectWord} objects have that name and none is on the search_path of {role.Name}; pass the schema-qualified name.",
            Candidates = [.. resolution.Candidates.Select(describe)],
        };
    }

    /// <summary>The cause of a diagnosis whose role holds what it needs now, and the hint to try another role.</summary>
    private static Diagnosis Allowed(Diagnosis d, string cause) =>
        d with { Cause = cause, AlreadyAllowed = true, Hints = [DiagnosisHint.OtherRole] };

    private string Display(ISecurable obj) => SqlWriter.Name(Ref(obj));

    private SqlObject Ref(ISecurable obj) => SqlObject.Of(snapshot, obj);

    /// <summary>GRANT privilege ON obj TO role: the least fix for one missing privilege, with its reason.</summary>
    private GrantPrivileges Grant(Privilege privilege, ISecurable obj, Role role, string reason) =>
        new(privilege, Ref(obj), role.Name, reason);

    /// <summary>
    /// Roles that may grant <paramref name="privilege"/> on <paramref name="obj"/>: superusers, and
    /// roles holding it with grant option (the owner implicitly, or through inheritance).
    /// </summary>
    private ImmutableArray<FixerRole> WhoCanGrant(ISecurable obj, Privilege privilege)
    {
        var result = new List<(int Rank, FixerRole Role)>();
        foreach (var r in snapshot.Roles)
        {
            if (r.IsPredefined) continue;
            if (r.IsSuperuser) { result.Add((0, new FixerRole(r.Name, "superuser"))); continue; }
            var d = access.Decide(r.Oid, obj, privilege);
            if (!d.Grantable) continue;
            if (r.Oid == obj.Owner) result.Add((1, new FixerRole(r.Name, "owner")));
            else if (access.Roles.HasPrivilegesOf(r.Oid, obj.Owner)) result.Add((2, new FixerRole(r.Name, "member of the owner")));
            else result.Add((3, new FixerRole(r.Name, "grant option")));
        }
        return [.. result.OrderBy(x => x.Rank).ThenBy(x => x.Role.Name, StringComparer.Ordinal).Select(x => x.Role)];
    }

    /// <summary>The letters of table privileges the role holds (effective, through every route).</summary>
    private string HeldLetters(Role role, ISecurable obj) => Privileges.ToLetters(access.HeldPrivileges(role.Oid, obj));

    /// <summary>
    /// The creator-scoped default-privileges statement, unless a default ACL for that creator
    /// (schema-level, or global when <paramref name="schemaOid"/> is 0) already grants it to the role.
    /// </summary>
    private IEnumerable<SqlStatement> DefaultPrivilegeFix(uint creator, uint schemaOid, char objectType, Privilege privilege, Role role)
    {
        var covered = snapshot.DefaultAcls.Any(d =>
            d.Role == creator && d.ObjectType == objectType && (d.Schema == schemaOid || d.Schema == 0) &&
            d.Acl.Entries.Any(e => (e.Grantee == role.Oid || e.IsPublic) && (e.Privileges & privilege) == privilege));
        if (covered) yield break;
        var type = SqlWriter.DefaultObjectTypeOf(objectType);
        var creatorName = snapshot.RoleName(creator);
        yield return new GrantDefaultPrivileges(creatorName, schemaOid == 0 ? null : snapshot.SchemaName(schemaOid), type, privilege, [role.Name],
            $"what {creatorName} creates later gives {role.Name} {SqlWriter.PrivilegeList(privilege)} from the start");
    }
}
