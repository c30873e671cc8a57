using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Access;

/// <summary>
/// Decides privileges exactly as the server's has_*_privilege functions do, over one snapshot,
/// and says why. Role 0 is PUBLIC (as has_*_privilege('public', …) accepts). Membership closures
/// are computed once per role and cached (see <see cref="RoleGraph"/>). Not thread-safe.
/// </summary>
public sealed class AccessEvaluator(CatalogSnapshot snapshot)
{
    private readonly RoleGraph _graph = new(snapshot);
    private readonly Dictionary<string, uint> _predefined = new(StringComparer.Ordinal);

    /// <summary>The catalog the decisions are made over.</summary>
    public CatalogSnapshot Snapshot => snapshot;

    /// <summary>The snapshot's role memberships, as the decisions walk them.</summary>
    public RoleGraph Roles => _graph;

    /// <summary>
    /// May <paramref name="role"/> use <paramref name="privilege"/> (any of its bits) on the object?
    /// Works for relations of every relkind, sequences, schemas, databases, functions, types (implicit row and
    /// array types included), languages and large objects.
    /// </summary>
    public AccessDecision Decide(uint role, ISecurable obj, Privilege privilege) =>
        DecideAny(role, AclSubject(obj), Privileges.Split(privilege), privilege);

    /// <summary>
    /// The object whose ACL decides, as pg_type_aclmask_ext finds it: a true array type has no privileges of
    /// its own, its element type's count; then a multirange (17+) counts its range type's — in that order, so
    /// an array of multiranges ends at the range. Decisions about such a type therefore name the type whose
    /// ACL decided. The catalog reader reads an array's element type with the array.
    /// </summary>
    public ISecurable AclSubject(ISecurable obj)
    {
        if (obj is TypeInfo { ElementType: not 0 } array && snapshot.TypeByOid(array.ElementType) is { } element) obj = element;
        return obj is TypeInfo { RangeType: not 0 } t && snapshot.TypeByOid(t.RangeType) is { } range ? range : obj;
    }

    // lo_compat_privileges: the server skips every large-object check, and has_largeobject_privilege (18) says yes.
    private bool Unchecked(ISecurable obj) => obj.Kind == ObjectKind.LargeObject && snapshot.LargeObjectCompatPrivileges;

    // Tries the privileges in the given order (least powerful first) and reports the first that is held.
    private AccessDecision DecideAny(uint role, ISecurable obj, IEnumerable<Privilege> order, Privilege privilege)
    {
        AccessDecision? first = null;
        foreach (var single in order)
        {
            var d = DecideOne(role, obj, single, privilege);
            if (d.Allowed) return d;
            first ??= d;
        }
        return first is null ? Deny(role, obj, null, privilege, DenialKind.NotApplicable) : first with { Privilege = privilege };
    }

    /// <summary>
    /// Column privilege (SELECT, INSERT, UPDATE, REFERENCES) as has_column_privilege decides it:
    /// the table's ACL first, then the column's own ACL.
    /// </summary>
    public AccessDecision DecideColumn(uint role, Relation table, Column column, Privilege privilege)
    {
        var columnBits = Privileges.All(ObjectKind.Column);
        if (privilege == Privilege.None || (privilege & ~columnBits) != 0)
            return Deny(role, table, column.Name, privilege, DenialKind.NotApplicable);
        var onTable = Decide(role, table, privilege);
        var columnGrantable = ColumnGrantable(role, table, column, privilege);
        if (onTable.Allowed)
            return onTable with { ColumnName = column.Name, Grantable = onTable.Grantable || columnGrantable };
        foreach (var single in Privileges.Split(privilege))
        {
            var match = MatchEntries(role, column.Acl, table.Owner, single);
            if (match is not null)
                return Allow(role, table, column.Name, privilege, single, match.Value, AccessLevel.Column,
                    onTable.Grantable || columnGrantable);
        }
        var denial = DenialAnalyzer.Analyze(this, role, table, column, privilege);
        return onTable with { ColumnName = column.Name, Grantable = onTable.Grantable || columnGrantable, Denial = denial };
    }

    /// <summary>What a sequence function needs: nextval USAGE or UPDATE; currval/lastval SELECT or USAGE; setval UPDATE.</summary>
    public AccessDecision DecideSequence(uint role, Relation sequence, SequenceOperation operation) =>
        DecideAny(role, sequence, Preference(operation), Required(operation));

    // USAGE is the least-privilege answer for nextval/currval, so it is reported first when both are held.
    private static Privilege[] Preference(SequenceOperation operation) => operation switch
    {
        SequenceOperation.Nextval => [Privilege.Usage, Privilege.Update],
        SequenceOperation.Currval or SequenceOperation.Lastval => [Privilege.Usage, Privilege.Select],
        _ => [Privilege.Update],
    };

    /// <summary>The privileges (any of) a sequence operation needs.</summary>
    public static Privilege Required(SequenceOperation operation) => operation switch
    {
        SequenceOperation.Nextval => Privilege.Usage | Privilege.Update,
        SequenceOperation.Currval or SequenceOperation.Lastval => Privilege.Select | Privilege.Usage,
        SequenceOperation.Setval => Privilege.Update,
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };

    /// <summary>
    /// Every privilege the role holds on the object, each judged alone (as has_*_privilege judges it).
    /// No explanations; for audits over many objects.
    /// </summary>
    public Privilege HeldPrivileges(uint role, ISecurable obj)
    {
        var held = Privilege.None;
        foreach (var single in Privileges.Split(PrivilegeRules.Applicable(obj.Kind, snapshot.Version.Major)))
            held |= Mask(role, obj, single);
        return held;
    }

    /// <summary>
    /// pg_class_aclmask / object_aclmask with ACLMASK_ALL: which bits of <paramref name="mask"/> the
    /// role holds when asked together, as the executor asks for a statement. Differs from judging each
    /// bit alone only in the pg_write_all_data quirk (it adds nothing when the ACL gave any of
    /// INSERT/UPDATE/DELETE already).
    /// </summary>
    public Privilege Mask(uint role, ISecurable obj, Privilege mask)
    {
        obj = AclSubject(obj);
        mask &= PrivilegeRules.Applicable(obj.Kind, snapshot.Version.Major);
        if (!_graph.IsSuperuser(role)) mask &= ~PrivilegeRules.CatalogLockedBits(obj);
        if (mask == Privilege.None) return Privilege.None;
        if (_graph.IsSuperuser(role) || Unchecked(obj)) return mask;
        var result = Privilege.None;
        foreach (var e in obj.Acl.Entries)
            if ((e.Privileges & mask & ~result) != 0 && (e.IsPublic || _graph.InheritsFrom(role, e.Grantee)))
                result |= e.Privileges & mask;
        return PrivilegeRules.AddPredefined(obj.Kind, mask, result, this, role);
    }

    /// <summary>
    /// Every role (PUBLIC excluded) that holds <paramref name="privilege"/> on the object, with the
    /// decision explaining how, ordered by role name. Uses the reverse membership index, so the cost
    /// follows the holders, not the number of roles.
    /// </summary>
    public ImmutableArray<AccessDecision> WhoCan(ISecurable obj, Privilege privilege) =>
        [.. Candidates(obj, privilege).Select(r => Decide(r, obj, privilege)).Where(d => d.Allowed).OrderBy(d => d.RoleName, StringComparer.Ordinal)];

    /// <summary>
    /// The roles of <see cref="WhoCan"/>, unordered and unexplained: no decision, name or path is built,
    /// so an audit over 100,000 objects allocates one set per object. A role is listed exactly when
    /// WhoCan lists it (a non-zero <see cref="Mask"/> is "any bit held", as each bit judged alone).
    /// </summary>
    /// <remarks>
    /// The answer depends on the object only through its ACL list and kind, and a catalog holds a handful
    /// of distinct ACLs for 100,000 objects (the reader shares one list per distinct ACL text), so it is
    /// computed once per (ACL list, kind, privilege) and shared: the returned array is cached, unordered.
    /// </remarks>
    public ImmutableArray<uint> Holders(ISecurable obj, Privilege privilege)
    {
        var subject = AclSubject(obj);
        // The system-catalog write lock depends on where the object is, not on its ACL: not cached.
        if (PrivilegeRules.CatalogLockedBits(subject) != Privilege.None) return ComputeHolders(subject, privilege);
        var key = (subject.Acl, subject.Kind, privilege);
        if (!_holders.TryGetValue(key, out var roles)) _holders.Add(key, roles = ComputeHolders(subject, privilege));
        return roles;
    }

    private readonly Dictionary<(AclList, ObjectKind, Privilege), ImmutableArray<uint>> _holders = [];

    private ImmutableArray<uint> ComputeHolders(ISecurable obj, Privilege privilege) =>
        [.. Candidates(obj, privilege).Where(role => Mask(role, obj, privilege) != Privilege.None)];

    private ImmutableArray<uint>? _superusers;

    // Superusers, plus the heirs of every grantee and predefined role that can give a bit of the privilege.
    private HashSet<uint> Candidates(ISecurable obj, Privilege privilege)
    {
        // A multirange on 17+ is judged by its range type's ACL (see AclSubject).
        obj = AclSubject(obj);
        _superusers ??= [.. snapshot.Roles.Where(r => r.IsSuperuser).Select(r => r.Oid)];
        var candidates = new HashSet<uint>(_superusers.Value);
        if (Unchecked(obj)) candidates.UnionWith(snapshot.Roles.Select(r => r.Oid));
        foreach (var single in Privileges.Split(privilege))
        {
            foreach (var e in obj.Acl.Entries)
            {
                if ((e.Privileges & single) == 0) continue;
                if (e.IsPublic) { candidates.UnionWith(snapshot.Roles.Select(r => r.Oid)); break; }
                candidates.UnionWith(_graph.Heirs(e.Grantee));
            }
            foreach (var name in PrivilegeRules.PredefinedFor(obj.Kind, single))
            {
                var oid = Predefined(name);
                if (oid != 0) candidates.UnionWith(_graph.Heirs(oid));
            }
        }
        return candidates;
    }

    internal uint Predefined(string name)
    {
        if (!_predefined.TryGetValue(name, out var oid))
            _predefined[name] = oid = PredefinedRoles.Find(snapshot, name);
        return oid;
    }

    internal bool HasPrivilegesOfPredefined(uint role, string name)
    {
        var oid = Predefined(name);
        return oid != 0 && _graph.HasPrivilegesOf(role, oid);
    }

    private AccessDecision DecideOne(uint role, ISecurable obj, Privilege single, Privilege requested)
    {
        if ((PrivilegeRules.Applicable(obj.Kind, snapshot.Version.Major) & single) == 0)
            return Deny(role, obj, null, requested, DenialKind.NotApplicable);
        var superuser = _graph.IsSuperuser(role);
        // The grant option is judged apart from the privilege: the catalog write lock does not touch it.
        var grantable = Grantable(role, obj.Acl, obj.Owner, single);
        if (!superuser && (PrivilegeRules.CatalogLockedBits(obj) & single) != 0)
            return Deny(role, obj, null, requested, DenialKind.SystemCatalog) with { Grantable = grantable };
        if (superuser)
            return Decision(role, obj, null, requested, single, true, AccessSource.Superuser, AccessLevel.Object, null, null, grantable, Denial.None);
        // has_largeobject_privilege also says yes WITH GRANT OPTION then; GRANT itself still checks the ACL,
        // and Grantable says what GRANT would do.
        if (Unchecked(obj))
            return Decision(role, obj, null, requested, single, true, AccessSource.CompatibilitySetting, AccessLevel.Object, null, null, grantable, Denial.None);
        var match = MatchEntries(role, obj.Acl, obj.Owner, single);
        if (match is not null)
            return Allow(role, obj, null, requested, single, match.Value, AccessLevel.Object, grantable);
        foreach (var name in PrivilegeRules.PredefinedFor(obj.Kind, single))
        {
            var oid = Predefined(name);
            if (oid == 0 || !_graph.HasPrivilegesOf(role, oid)) continue;
            var path = _graph.InheritancePath(role, oid)!;
            return Decision(role, obj, null, requested, single, true, AccessSource.PredefinedRole, AccessLevel.Object, path, null, grantable, Denial.None);
        }
        var denial = DenialAnalyzer.Analyze(this, role, obj, null, single);
        return Decision(role, obj, null, requested, requested, false, AccessSource.None, AccessLevel.Object, null, null, grantable, denial);
    }

    /// <summary>The entry that grants <paramref name="single"/>: the role's own, else PUBLIC's, else the nearest inherited one.</summary>
    private (AclEntry Entry, RolePath? Path)? MatchEntries(uint role, AclList acl, uint owner, Privilege single)
    {
        AclEntry? publicEntry = null;
        (AclEntry Entry, RolePath Path)? best = null;
        foreach (var e in acl.Entries)
        {
            if ((e.Privileges & single) == 0) continue;
            if (e.Grantee == role && !e.IsPublic) return (e, null);
            if (e.IsPublic) { publicEntry ??= e; continue; }
            if (publicEntry is not null || !_graph.InheritsFrom(role, e.Grantee)) continue;
            var path = _graph.InheritancePath(role, e.Grantee)!;
            if (best is null || path.Length < best.Value.Path.Length) best = (e, path);
        }
        if (publicEntry is not null) return (publicEntry.Value, null);
        return best is null ? null : (best.Value.Entry, best.Value.Path);
    }

    /// <summary>aclmask for the grant option: implicit for anyone with the owner's privileges, else an entry with '*'.</summary>
    private bool Grantable(uint role, AclList acl, uint owner, Privilege single)
    {
        if (role != 0 && _graph.HasPrivilegesOf(role, owner)) return true;
        foreach (var e in acl.Entries)
            if ((e.Grantable & single) != 0 && !e.IsPublic && _graph.InheritsFrom(role, e.Grantee))
                return true;
        return false;
    }

    // pg_attribute_aclmask: a NULL column ACL grants nothing, not even the owner's implicit grant options.
    private bool ColumnGrantable(uint role, Relation table, Column column, Privilege privilege) =>
        column.Acl.Entries.Length > 0 && Privileges.Split(privilege).Any(p => Grantable(role, column.Acl, table.Owner, p));

    private AccessDecision Allow(uint role, ISecurable obj, string? column, Privilege requested, Privilege single,
        (AclEntry Entry, RolePath? Path) match, AccessLevel level, bool grantable)
    {
        var source = match.Path is not null ? AccessSource.Membership
            : match.Entry.IsPublic ? AccessSource.Public
            : role == obj.Owner ? AccessSource.Owner
            : AccessSource.DirectGrant;
        return Decision(role, obj, column, requested, single, true, source, level, match.Path, match.Entry, grantable, Denial.None);
    }

    private AccessDecision Deny(uint role, ISecurable obj, string? column, Privilege requested, DenialKind kind) =>
        Decision(role, obj, column, requested, requested, false, AccessSource.None, AccessLevel.Object, null, null, false,
            new Denial(kind, [], [], [], []));

    private AccessDecision Decision(uint role, ISecurable obj, string? column, Privilege requested, Privilege privilege,
        bool allowed, AccessSource source, AccessLevel level, RolePath? path, AclEntry? entry, bool grantable, Denial denial) =>
        new(role, snapshot.RoleName(role), obj.Kind, obj.Oid, ObjectNames.Name(snapshot, obj), column, requested, privilege,
            allowed, source, level, path, entry, entry is { } e ? FormatEntry(e) : null, grantable, denial);

    private string FormatEntry(AclEntry e)
    {
        var item = new AclItem(e.IsPublic ? null : snapshot.RoleName(e.Grantee), snapshot.RoleName(e.Grantor), e.Privileges, e.Grantable);
        return item.ToString();
    }
}
