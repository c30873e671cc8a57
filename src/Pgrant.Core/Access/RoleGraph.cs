using System.Collections.Frozen;
using System.Collections.Immutable;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Access;

/// <summary>
/// Role membership as the server walks it (roles_is_member_of in utils/adt/acl.c): for each role,
/// the roles whose privileges it has — and, for explaining denials, all roles it is a member of —
/// each with one shortest path. Computed once per role on first use and cached; the reverse index
/// (who has the privileges of a role) is built once on first use.
/// <list type="bullet">
/// <item>13–15: a link passes privileges only if its member has rolinherit (read at check time).</item>
/// <item>16+: only grants with inherit_option pass privileges; the role attribute no longer matters.</item>
/// <item>14+: the owner of the current database is an implicit member of pg_database_owner; the link
/// takes part in the walk like a grant (on 14–15 only when the owner has rolinherit).</item>
/// <item>A superuser has the privileges of every role (has_privs_of_role), but only its own rolsuper counts.</item>
/// </list>
/// Not thread-safe; create one per thread or per request.
/// </summary>
public sealed class RoleGraph
{
    /// <summary>How a role in a closure was reached: from <see cref="Via"/> over a grant or the implicit link.</summary>
    private readonly record struct Reach(uint Via, LinkKind Link, Membership? Grant);

    private readonly CatalogSnapshot _snapshot;
    private readonly bool _perGrantInherit;
    private readonly uint _databaseOwner;
    private readonly uint _databaseOwnerRole;
    private readonly Dictionary<uint, Dictionary<uint, Reach>> _privsOf = [];
    private readonly Dictionary<uint, Dictionary<uint, Reach>> _memberOf = [];
    private FrozenDictionary<uint, ImmutableArray<uint>>? _heirs;

    /// <summary>The memberships of one snapshot; nothing is walked until asked.</summary>
    public RoleGraph(CatalogSnapshot snapshot)
    {
        _snapshot = snapshot;
        _perGrantInherit = snapshot.Version.AtLeast(16);
        _databaseOwnerRole = snapshot.Version.AtLeast(14) ? PredefinedRoles.Find(snapshot, PredefinedRoles.DatabaseOwner) : 0;
        _databaseOwner = _databaseOwnerRole != 0 ? snapshot.CurrentDatabaseInfo?.Owner ?? 0 : 0;
    }

    /// <summary>The catalog the memberships come from.</summary>
    public CatalogSnapshot Snapshot => _snapshot;

    /// <summary>Whether the role itself has rolsuper (membership in a superuser role does not make one); false for PUBLIC (0).</summary>
    public bool IsSuperuser(uint role) => role != 0 && _snapshot.RoleByOid(role)?.IsSuperuser == true;

    /// <summary>has_privs_of_role: the role itself, a superuser, or a role reached through inheriting links.</summary>
    public bool HasPrivilegesOf(uint member, uint role) =>
        member == role || IsSuperuser(member) || PrivilegesClosure(member).ContainsKey(role);

    /// <summary>Whether <paramref name="member"/> inherits from <paramref name="role"/> through links, ignoring superuser status.</summary>
    public bool InheritsFrom(uint member, uint role) => member == role || PrivilegesClosure(member).ContainsKey(role);

    /// <summary>is_member_of_role without superuser status: reached through any links, inheriting or not.</summary>
    public bool IsMemberOf(uint member, uint role) => member == role || MembershipClosure(member).ContainsKey(role);

    /// <summary>Roles whose privileges <paramref name="member"/> has through links (itself included; superuser status not applied).</summary>
    public IReadOnlyCollection<uint> RolesInheritedBy(uint member) => PrivilegesClosure(member).Keys;

    /// <summary>Roles <paramref name="member"/> is a member of through any links (itself included).</summary>
    public IReadOnlyCollection<uint> RolesMemberOf(uint member) => MembershipClosure(member).Keys;

    /// <summary>
    /// The roles that have the privileges of <paramref name="role"/> through inheriting links (itself
    /// included when it is a role), for who-can. Superusers that are not linked are not listed.
    /// </summary>
    public ImmutableArray<uint> Heirs(uint role)
    {
        _heirs ??= BuildHeirs();
        return _heirs.TryGetValue(role, out var heirs) ? heirs : role == 0 ? [] : [role];
    }

    /// <summary>One shortest inheriting path from <paramref name="member"/> to <paramref name="role"/>, or null.</summary>
    public RolePath? InheritancePath(uint member, uint role) => BuildPath(PrivilegesClosure(member), member, role);

    /// <summary>One shortest membership path (inheriting or not) from <paramref name="member"/> to <paramref name="role"/>, or null.</summary>
    public RolePath? MembershipPath(uint member, uint role) => BuildPath(MembershipClosure(member), member, role);

    /// <summary>The first link of <paramref name="path"/> that passes no privileges, or null if every link inherits.</summary>
    public BrokenLink? FirstBrokenLink(RolePath path)
    {
        for (var i = 1; i < path.Steps.Length; i++)
        {
            var step = path.Steps[i];
            var member = path.Steps[i - 1].Role;
            if (LinkInherits(member, step.Link, step.Grant)) continue;
            var reason = !_perGrantInherit || step.Link == LinkKind.DatabaseOwner
                ? BreakReason.MemberNoInherit
                : BreakReason.GrantInheritFalse;
            return new BrokenLink(member, _snapshot.RoleName(member), step.Role, _snapshot.RoleName(step.Role), step.Grant,
                step.Grant is { } g ? _snapshot.RoleName(g.Grantor) : null, reason);
        }
        return null;
    }

    private bool LinkInherits(uint member, LinkKind link, Membership? grant)
    {
        if (_perGrantInherit)
            return link == LinkKind.DatabaseOwner || grant?.InheritOption != false;
        return _snapshot.RoleByOid(member)?.Inherit == true;
    }

    private Dictionary<uint, Reach> PrivilegesClosure(uint role)
    {
        if (!_privsOf.TryGetValue(role, out var closure))
            _privsOf[role] = closure = Walk(role, inheritingOnly: true);
        return closure;
    }

    private Dictionary<uint, Reach> MembershipClosure(uint role)
    {
        if (!_memberOf.TryGetValue(role, out var closure))
            _memberOf[role] = closure = Walk(role, inheritingOnly: false);
        return closure;
    }

    // Breadth-first like the server's list walk, so the first way a role is found is a shortest one.
    private Dictionary<uint, Reach> Walk(uint root, bool inheritingOnly)
    {
        var reached = new Dictionary<uint, Reach> { [root] = new Reach(root, LinkKind.Self, null) };
        if (root == 0) return reached; // PUBLIC is a member of nothing
        var queue = new Queue<uint>();
        queue.Enqueue(root);
        while (queue.Count > 0)
        {
            var member = queue.Dequeue();
            foreach (var grant in _snapshot.MembershipsOf(member).OrderBy(m => m.Group).ThenBy(m => m.Grantor))
            {
                if (inheritingOnly && !LinkInherits(member, LinkKind.Grant, grant)) continue;
                if (reached.TryAdd(grant.Group, new Reach(member, LinkKind.Grant, grant)))
                    queue.Enqueue(grant.Group);
            }
            if (member == _databaseOwner && _databaseOwner != 0
                && (!inheritingOnly || LinkInherits(member, LinkKind.DatabaseOwner, null))
                && reached.TryAdd(_databaseOwnerRole, new Reach(member, LinkKind.DatabaseOwner, null)))
                queue.Enqueue(_databaseOwnerRole);
        }
        return reached;
    }

    private RolePath? BuildPath(Dictionary<uint, Reach> closure, uint start, uint end)
    {
        if (!closure.ContainsKey(end)) return null;
        var steps = new List<PathStep>();
        var current = end;
        while (true)
        {
            var reach = closure[current];
            steps.Add(new PathStep(current, _snapshot.RoleName(current), reach.Link, reach.Grant));
            if (reach.Link == LinkKind.Self) break;
            current = reach.Via;
        }
        steps.Reverse();
        return new RolePath([.. steps]);
    }

    private FrozenDictionary<uint, ImmutableArray<uint>> BuildHeirs()
    {
        var heirs = new Dictionary<uint, List<uint>>();
        foreach (var role in _snapshot.Roles)
            foreach (var inherited in PrivilegesClosure(role.Oid).Keys)
            {
                if (!heirs.TryGetValue(inherited, out var list)) heirs[inherited] = list = [];
                list.Add(role.Oid);
            }
        return heirs.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.Order().ToImmutableArray());
    }
}
