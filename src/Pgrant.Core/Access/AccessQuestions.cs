using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Access;

/// <summary>One role that holds the privilege: how, along which path, and whether it can reach the object.</summary>
public sealed record HolderLine(string Role, bool Login, string How, ImmutableArray<string> Path, bool Grantable, bool Usable, AccessDecision Decision);

/// <summary>The answer to `who-can`: every role (PUBLIC excluded) that holds the privilege, by name.</summary>
public sealed record WhoCanAnswer(string Object, string Kind, string Privilege, ImmutableArray<HolderLine> Roles);

/// <summary>
/// The answer to `can`: <see cref="Allowed"/> as has_*_privilege says; <see cref="Usable"/> whether the
/// role also reaches the object (schema USAGE, database CONNECT); <see cref="Missing"/> each missing
/// piece in plain words (the grant, the inheritance link, the schema USAGE, the CONNECT).
/// </summary>
public sealed record CanAnswer(string Role, string Privilege, string Object, string Kind, bool Allowed, bool Usable,
    ImmutableArray<string> Path, ImmutableArray<string> Missing, AccessDecision Decision)
{
    /// <summary>Yes means the role may do it and can get to the object.</summary>
    public bool Yes => Allowed && Usable;
}

/// <summary>
/// `who-can` and `can` over one snapshot, on top of <see cref="AccessEvaluator"/> (pure). "Usable"
/// is judged like the server would for a session of that role: USAGE on the object's schema and
/// CONNECT on the database (the object's database itself for a database; the snapshot's otherwise).
/// </summary>
public sealed class AccessQuestions(AccessEvaluator evaluator)
{
    private CatalogSnapshot Snapshot => evaluator.Snapshot;

    /// <summary>The decision for one role: column, sequence operation or plain privilege.</summary>
    public AccessDecision Decide(uint role, ObjectTarget target, PrivilegeRequest request)
    {
        if (target.Column is { } column) return evaluator.DecideColumn(role, target.Table!, column, request.Privilege);
        if (request.Operation is { } op) return evaluator.DecideSequence(role, (Relation)target.Object, op);
        return evaluator.Decide(role, target.Object, request.Privilege);
    }

    /// <summary>Every role (PUBLIC excluded) that holds the request on the target, with how, along which path, and whether it reaches it.</summary>
    /// <exception cref="PgrantException">The privilege does not exist for the target's kind on the snapshot's server.</exception>
    public WhoCanAnswer WhoCan(ObjectTarget target, PrivilegeRequest request)
    {
        request.EnsureAppliesTo(target, Snapshot);
        var lines = Candidates(target, request)
            .Select(role => Decide(role, target, request))
            .Where(d => d.Allowed)
            .OrderBy(d => d.RoleName, StringComparer.Ordinal)
            .Select(d => new HolderLine(d.RoleName, Snapshot.RoleByOid(d.Role)?.CanLogin == true, How(d.Source), PathOf(d),
                d.Grantable, Usable(d.Role, target), d))
            .ToImmutableArray();
        return new WhoCanAnswer(target.Name(Snapshot), KindWords.Singular(target.Kind), request.Display, lines);
    }

    /// <summary>Whether <paramref name="role"/> (0: PUBLIC) holds the request on the target and reaches it, with the path that grants it or each missing piece.</summary>
    /// <exception cref="PgrantException">The privilege does not exist for the target's kind on the snapshot's server.</exception>
    public CanAnswer Can(uint role, ObjectTarget target, PrivilegeRequest request)
    {
        request.EnsureAppliesTo(target, Snapshot);
        var d = Decide(role, target, request);
        var missing = ImmutableArray.CreateBuilder<string>();
        if (!d.Allowed) missing.AddRange(MissingForDecision(d, target, request));
        var (schemaOk, connectOk) = Reach(role, target);
        if (!schemaOk) missing.Add($"schema USAGE: USAGE on schema {Snapshot.SchemaName(target.SchemaOid!.Value)}");
        if (!connectOk) missing.Add($"CONNECT: CONNECT on database {ConnectDatabase(target)?.Name}");
        return new CanAnswer(d.RoleName, request.Display, target.Name(Snapshot), KindWords.Singular(target.Kind),
            d.Allowed, schemaOk && connectOk, d.Allowed ? PathOf(d) : [], missing.ToImmutable(), d);
    }

    /// <summary>Whether the role reaches the object: USAGE on its schema and CONNECT on the database.</summary>
    public bool Usable(uint role, ObjectTarget target)
    {
        var (schemaOk, connectOk) = Reach(role, target);
        return schemaOk && connectOk;
    }

    private (bool Schema, bool Connect) Reach(uint role, ObjectTarget target)
    {
        var schemaOk = target.SchemaOid is not { } oid || Snapshot.SchemaByOid(oid) is not { } schema
            || evaluator.Decide(role, schema, Privilege.Usage).Allowed;
        var database = ConnectDatabase(target);
        var connectOk = database is null || evaluator.Decide(role, database, Privilege.Connect).Allowed;
        return (schemaOk, connectOk);
    }

    private Database? ConnectDatabase(ObjectTarget target) =>
        target.Object as Database ?? Snapshot.CurrentDatabaseInfo;

    // Roles worth deciding: those the evaluator's reverse index finds for the object, plus for a
    // column the heirs of the column's own entries (a column grant alone is enough).
    private HashSet<uint> Candidates(ObjectTarget target, PrivilegeRequest request)
    {
        var roles = new HashSet<uint>(evaluator.WhoCan(target.Object, request.Privilege).Select(d => d.Role));
        if (target.Column is { } column)
        {
            foreach (var e in column.Acl.Entries)
            {
                if ((e.Privileges & request.Privilege) == 0) continue;
                if (e.IsPublic) roles.UnionWith(Snapshot.Roles.Select(r => r.Oid));
                else roles.UnionWith(evaluator.Roles.Heirs(e.Grantee));
            }
        }
        return roles;
    }

    private IEnumerable<string> MissingForDecision(AccessDecision d, ObjectTarget target, PrivilegeRequest request)
    {
        var what = string.Join(" or ", Privileges.Split(request.Privilege).Select(Privileges.SqlName));
        var on = target.Column is { } c
            ? $"column {c.Name} of {KindWords.Singular(target.Object.Kind)} {ObjectNames.Name(Snapshot, target.Object)}"
            : $"{KindWords.Singular(target.Kind)} {target.Name(Snapshot)}";
        switch (d.Denial.Kind)
        {
            case DenialKind.SystemCatalog:
                yield return $"superuser: {what} on {on} is reserved to superusers (system catalog)";
                break;
            case DenialKind.NotInherited:
                foreach (var u in d.Denial.Uninherited) yield return InheritanceWords(u);
                break;
            default:
                yield return $"grant: {what} on {on} to {d.RoleName} or to a role whose privileges it inherits";
                break;
        }
    }

    private static string InheritanceWords(UninheritedHolder u)
    {
        var b = u.Break;
        var why = b.Reason == BreakReason.MemberNoInherit
            ? $"{b.MemberName} has NOINHERIT, so it uses the privileges of {b.GroupName} only after SET ROLE"
            : $"the grant of {b.GroupName} to {b.MemberName}{(b.GrantorName is { } g ? $" (by {g})" : "")} is WITH INHERIT FALSE";
        return $"inheritance: {why}; {u.MembershipPath.Steps[^1].Name} holds the privilege (membership {u.MembershipPath})";
    }

    /// <summary>The JSON/text word for a source: direct, public, owner, superuser, predefined, membership.</summary>
    public static string How(AccessSource source) => source switch
    {
        AccessSource.Superuser => "superuser",
        AccessSource.Owner => "owner",
        AccessSource.DirectGrant => "direct",
        AccessSource.Public => "public",
        AccessSource.Membership => "membership",
        AccessSource.PredefinedRole => "predefined",
        AccessSource.CompatibilitySetting => "setting",
        _ => "none",
    };

    // Role names from the role to the holder of the entry; PUBLIC ends the path of a PUBLIC grant.
    private static ImmutableArray<string> PathOf(AccessDecision d) => d.Source switch
    {
        AccessSource.Membership or AccessSource.PredefinedRole => [.. d.Path!.Names],
        AccessSource.Public => [d.RoleName, "PUBLIC"],
        _ => [d.RoleName],
    };
}

/// <summary>Reads the PRIVILEGE, OBJECT and --kind of `who-can` / `can` against a snapshot.</summary>
public static class QuestionInput
{
    /// <summary>
    /// What a snapshot must hold to answer about OBJECT: its name as a relation, routine and/or type
    /// (by --kind; every kind that can carry the name without one). Parses before any connection, so a
    /// malformed name or kind fails first.
    /// </summary>
    public static CatalogScope Scope(string objectText, string? kind)
    {
        var reference = ObjectReference.Parse(objectText);
        var kinds = kind is null ? null : ObjectLocator.KindsFor(kind);
        if (reference.LargeObject is { } oid)
            return CatalogScope.None with { LargeObjects = [oid] };
        // schema.table.column: the table; name[]: the type (its array type comes with it).
        if (reference.Member is not null)
            return CatalogScope.ForObject(reference.Schema, reference.Name, ObjectKind.Table);
        if (reference.Array)
            return CatalogScope.ForObject(reference.Schema, reference.Name, ObjectKind.Type);
        var scope = kinds is null
            ? CatalogScope.ForObject(reference.Schema, reference.Name, null)
            : kinds.Aggregate(CatalogScope.None, (s, k) => s.Union(CatalogScope.ForObject(reference.Schema, reference.Name, k)));
        // table.column: the first part may be a table rather than a schema.
        if (reference.Schema is not null && reference.Parenthesized is null && (kinds is null || kinds.Contains(ObjectKind.Column)))
            scope = scope.Union(CatalogScope.ForObject(null, reference.Schema, ObjectKind.Table));
        return scope;
    }

    /// <summary>The OID of ROLE as `can` takes it: a role name (case-sensitive), or "public" (any case) for PUBLIC when no role has that name.</summary>
    public static uint RoleOid(CatalogSnapshot snapshot, string role)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(role);
        if (snapshot.RoleByName(role) is { } found) return found.Oid;
        if (role.Equals("public", StringComparison.OrdinalIgnoreCase)) return 0;
        throw new RoleNotFoundException(role);
    }

    /// <summary>
    /// Parses PRIVILEGE (first, so a typo is reported before any lookup), then finds OBJECT (search_path of
    /// <paramref name="roleName"/>, or of <see cref="CatalogSnapshot.CurrentUser"/> when null), then checks the
    /// privilege exists for what was found. Every failure is a <see cref="PgrantException"/> with exit code 2.
    /// </summary>
    public static (ObjectTarget Target, PrivilegeRequest Request) Read(CatalogSnapshot snapshot, string privilege, string objectText, string? kind, string? roleName = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var request = PrivilegeRequest.Parse(privilege);
        var reference = ObjectReference.Parse(objectText);
        var kinds = kind is null ? null : ObjectLocator.KindsFor(kind);
        if (kinds is null && request.Operation is not null) kinds = new HashSet<ObjectKind> { ObjectKind.Sequence };
        // --kind "large object" with a bare OID, or "large object N" however --kind reads.
        if (kinds is not null && kinds.Contains(ObjectKind.LargeObject) && reference.LargeObject is null)
            throw new PgrantException($"a large object is named by its OID, not {reference}", "for example: large object 16403");
        var target = new ObjectLocator(snapshot).Locate(reference, kinds, t => request.AppliesTo(t, snapshot.Version.Major), roleName ?? snapshot.CurrentUser);
        request.EnsureAppliesTo(target, snapshot);
        return (target, request);
    }
}
