using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Diagnosis;

/// <summary>Errors about ownership, role membership and row-level security: no object privilege fixes these.</summary>
public sealed partial class Explainer
{
    private Diagnosis ExplainOwner(PermissionError error, Role role)
    {
        var owned = FindOwned(error, role);
        if (owned is null)
            return Empty(error, role) with { Cause = $"no {error.ObjectWord} named {error.ObjectName} was found in database {snapshot.CurrentDatabase}." };
        var (obj, display) = owned.Value;
        var owner = snapshot.RoleByOid(obj.Owner);
        var ownerName = owner?.Name ?? obj.Owner.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var hasOwner = role.IsSuperuser || access.Roles.HasPrivilegesOf(role.Oid, obj.Owner);
        var attempted = $"run an owner-only command (ALTER, DROP, GRANT without grant option …) on {error.ObjectWord} {display}";
        var d = new Diagnosis { KindWord = error.ObjectWord ?? "", Kind = obj.Kind, Object = display, Role = role.Name, Attempted = attempted };
        if (hasOwner)
            return Allowed(d, $"{role.Name} has the privileges of the owner {ownerName} now: it was granted since, or the error came from another role.");
        if (owner is { IsSuperuser: true })
        {
            // Membership in a superuser role hands over everything it owns (the system catalogs
            // included, for the bootstrap superuser): never offer that as a fix.
            return d with
            {
                Missing = [new MissingPrivilege(Requirement.Ownership, Privilege.None, obj.Kind, display, $"only the owner {ownerName} and superusers may do this")],
                Cause = $"{display} is owned by the superuser {ownerName}; owner-only commands on it need a superuser. Membership in {ownerName} is not offered: it would hand {role.Name} everything {ownerName} owns.",
                Notes = [Note.Advise($"Give {display} a non-superuser owner (the role that runs migrations), then grant {role.Name} membership in that role.")],
                CanFix = RoleAdmins(obj.Owner),
            };
        }
        var v16 = snapshot.Version.Major >= 16;
        return d with
        {
            Missing = [new MissingPrivilege(Requirement.Ownership, Privilege.None, obj.Kind, display, $"only the owner {ownerName}, roles that inherit its privileges, and superusers may do this")],
            Cause = $"{display} is owned by {ownerName}; {role.Name} is not {ownerName} and does not inherit its privileges. No GRANT of a privilege allows owner-only commands.",
            Fix = [new GrantRole(ownerName, role.Name, $"only {ownerName} and the roles that inherit its privileges may run owner-only commands on {display}",
                v16 ? new MembershipOptions(Inherit: true, Set: true) : null)],
            CanFix = RoleAdmins(obj.Owner),
            Notes =
            [
                Note.Advise($"Run schema changes as the owning role (SET ROLE {SqlNames.Ident(ownerName)}) from one migration role, so every object has one owner."),
                Note.Caution($"The fix makes {role.Name} a member of {ownerName} with all of its privileges; grant it only to the role that runs migrations."),
            ],
        };
    }

    private (ISecurable Obj, string Display)? FindOwned(PermissionError error, Role role)
    {
        var kind = error.ObjectKind;
        switch (kind)
        {
            case ObjectKind.Table or ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable or ObjectKind.Sequence:
                var r = _names.Relation(error.ObjectName, null, role.Name, KindsFor(kind.Value)).Object;
                return r is null ? null : (r, Display(r));
            case ObjectKind.Function or ObjectKind.Procedure or ObjectKind.Aggregate:
                var kinds = new HashSet<ObjectKind> { ObjectKind.Function, ObjectKind.Procedure, ObjectKind.Aggregate };
                var res = _names.Function(error.ObjectName, null, role.Name, kinds);
                var f = res.Object ?? (res.Candidates.Length > 0 && res.Candidates.All(c => c.Owner == res.Candidates[0].Owner) ? res.Candidates[0] : null);
                return f is null ? null : (f, Display(f));
            case ObjectKind.Schema:
                var s = snapshot.Schemas.FirstOrDefault(x => x.Name == error.ObjectName);
                return s is null ? null : (s, SqlNames.Ident(s.Name));
            case ObjectKind.Database:
                var d = snapshot.Databases.FirstOrDefault(x => x.Name == error.ObjectName);
                return d is null ? null : (d, SqlNames.Ident(d.Name));
            case ObjectKind.Type or ObjectKind.Domain:
                var t = _names.Type(error.ObjectName, null, role.Name).Object;
                return t is null ? null : (t, Display(t));
            default:
                return null;
        }
    }

    private Diagnosis ExplainSetRole(PermissionError error, Role role)
    {
        var target = snapshot.RoleByName(error.ObjectName);
        if (target is null)
            return Empty(error, role) with { KindWord = "role", Kind = ObjectKind.Role, Cause = $"no role named {error.ObjectName} exists." };
        var v16 = snapshot.Version.Major >= 16;
        var attempted = $"act as role {target.Name} (SET ROLE, or a command such as ALTER … OWNER TO {target.Name})";
        var d = new Diagnosis { KindWord = "role", Kind = ObjectKind.Role, Object = target.Name, Role = role.Name, Attempted = attempted };
        if (role.IsSuperuser || CanSetRole(role.Oid, target.Oid))
            return Allowed(d, $"{role.Name} may SET ROLE {target.Name} now: it was granted since, or the error came from another role.");
        var why = v16
            ? "SET ROLE needs a chain of memberships whose grants all have the SET option"
            : "SET ROLE needs membership in the role, directly or through other roles";
        var fix = new GrantRole(target.Name, role.Name, why, v16 ? new MembershipOptions(Inherit: false, Set: true) : null);
        return d with
        {
            Missing = [new MissingPrivilege(Requirement.SetRole, Privilege.None, ObjectKind.Role, target.Name, why)],
            Cause = $"{role.Name} is not allowed to become {target.Name}: {why}.",
            Fix = [fix],
            CanFix = RoleAdmins(target.Oid),
            Notes = v16 ? [Note.Info("INHERIT FALSE keeps the grant to what SET ROLE needs: the member does not silently gain the role's privileges.")] : [],
        };
    }

    /// <summary>
    /// SET ROLE is allowed through any chain of memberships; on 16+ every grant in the chain must
    /// carry the SET option (on 13–15 the column does not exist and every membership counts).
    /// </summary>
    private bool CanSetRole(uint member, uint target)
    {
        var seen = new HashSet<uint> { member };
        var queue = new Queue<uint>([member]);
        while (queue.TryDequeue(out var current))
        {
            if (current == target) return true;
            foreach (var m in snapshot.MembershipsOf(current))
                if (m.SetOption ?? true)
                    if (seen.Add(m.Group)) queue.Enqueue(m.Group);
        }
        return false;
    }

    /// <summary>Who may grant membership in a role: superusers and roles holding ADMIN OPTION on it (≤15 also CREATEROLE).</summary>
    private ImmutableArray<FixerRole> RoleAdmins(uint group)
    {
        var names = new List<FixerRole>();
        foreach (var r in snapshot.Roles)
        {
            if (r.IsPredefined) continue;
            if (r.IsSuperuser) names.Add(new FixerRole(r.Name, "superuser"));
            else if (snapshot.MembersOf(group).Any(m => m.Member == r.Oid && m.AdminOption)) names.Add(new FixerRole(r.Name, "admin option"));
            else if (snapshot.Version.Major < 16 && r.CreateRole && !(snapshot.RoleByOid(group)?.IsSuperuser ?? false)) names.Add(new FixerRole(r.Name, "createrole"));
        }
        return [.. names];
    }

    private Diagnosis ExplainRowSecurity(PermissionError error, Role role)
    {
        var rel = _names.Relation(error.ObjectName, null, role.Name, KindsFor(ObjectKind.Table)).Object;
        var display = rel is null ? error.ObjectName : Display(rel);
        return new Diagnosis
        {
            KindWord = "table", Kind = ObjectKind.Table, Object = display, Role = role.Name, Attempted = $"write a row into {display}",
            Cause = $"row-level security is enabled on {display} and the new row fails the WITH CHECK expression of every policy that applies to {role.Name} " +
                "(with RLS enabled and no policy for the command, every row is refused). This is not a missing GRANT: a policy decides it.",
            Notes = rel is null ? [] :
            [
                Note.Advise($"allow the rows {role.Name} should write with a policy (its WITH CHECK expression is the table owner's decision), e.g.:",
                    new CreatePolicy($"{role.Name}_insert", Ref(rel), PolicyCommand.Insert, [role.Name], null,
                        "true /* replace with the rows it may insert */", $"lets {role.Name} insert the rows the policy admits")),
            ],
            CanFix = rel is null ? [] : [new FixerRole(snapshot.RoleName(rel.Owner), "owner")],
        };
    }
}
