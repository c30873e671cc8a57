using System.Collections.Immutable;
using System.Globalization;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// Membership in another role, and what it hands over: the one fix that is never least privilege when the
/// role carries anything (objects it owns, grants it holds, attributes, its own memberships). Such a grant
/// is a <see cref="BroadFix"/>, labelled with what it hands over; only a role that carries nothing gets it as
/// the fix.
/// </summary>
public sealed partial class Explainer
{
    /// <summary>
    /// A membership grant as the fix when <paramref name="target"/> carries nothing, or as a broad fix that says
    /// what it hands over. <paramref name="inherit"/> and <paramref name="set"/> are the 16+ options the grant
    /// names (on 13–15 every membership allows SET ROLE and carries inheritance unless the member is NOINHERIT).
    /// </summary>
    private Diagnosis WithMembership(Diagnosis d, Role target, Role member, string why, bool inherit, bool set, bool admin = false)
    {
        var v16 = snapshot.Version.Major >= 16;
        var options = v16 ? new MembershipOptions(Admin: admin ? true : null, Inherit: inherit, Set: set) : admin ? new MembershipOptions(Admin: true) : null;
        var grant = new GrantRole(target.Name, member.Name, why, options);
        var carried = HandsOver(target, member, inherit, set, admin);
        if (carried is null) return d with { Fix = [grant], CanFix = RoleAdmins(target.Oid) };
        return d with { Broad = new BroadFix([grant], carried, RoleAdmins(target.Oid)) };
    }

    /// <summary>
    /// What membership in <paramref name="target"/> hands <paramref name="member"/>, in words; null when the
    /// target owns nothing, is granted nothing, has no attribute and no membership of its own.
    /// </summary>
    private string? HandsOver(Role target, Role member, bool inherit, bool set, bool admin)
    {
        var v16 = snapshot.Version.Major >= 16;
        // What the member really gets: on 13–15 inheritance follows the member's own INHERIT attribute and SET is always there.
        var inherits = v16 ? inherit : member.Inherit;
        var sets = !v16 || set;
        var parts = new List<string>();
        if (target.IsSuperuser)
            parts.Add($"{target.Name} is a superuser: after SET ROLE {target.Name} the session bypasses every privilege check in the cluster");
        // pg_shdepend's count, or what the snapshot itself shows the role owning (a hand-built or partial snapshot).
        var fp = snapshot.FootprintOf(target.Oid) ?? OwnedInSnapshot(target.Oid);
        if (fp is { Owned: > 0 })
        {
            var here = fp.Examples.IsEmpty ? "" : ": " + string.Join(", ", fp.Examples) + (fp.OwnedHere > fp.Examples.Length ? ", …" : "");
            var elsewhere = fp.Owned > fp.OwnedHere ? $"; {Count(fp.Owned - fp.OwnedHere, "more object")} in other databases" : "";
            parts.Add($"owner rights (ALTER, DROP, GRANT, TRUNCATE … on everything it owns) over {Count(fp.Owned, "object")}{here}{elsewhere}");
        }
        if (fp is { Privileged: > 0 })
            parts.Add($"the privileges {target.Name} was granted on {Count(fp.Privileged, "other object")}");
        var groups = snapshot.MembershipsOf(target.Oid).Select(m => snapshot.RoleName(m.Group)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (groups.Count > 0)
            parts.Add($"what {target.Name} has through its own memberships ({string.Join(", ", groups)})");
        var attributes = new List<string>();
        if (target.CreateDb) attributes.Add("CREATEDB");
        if (target.CreateRole) attributes.Add("CREATEROLE");
        if (target.BypassRls) attributes.Add("BYPASSRLS");
        if (attributes.Count > 0 && sets)
            parts.Add($"its attributes {string.Join(", ", attributes)} after SET ROLE (attributes are never inherited)");
        // The ADMIN option matters only for what the role carries: on an empty role it hands over nothing.
        if (admin && parts.Count > 0)
            parts.Add($"the ADMIN option: {member.Name} may grant {target.Name} to any role, itself included, with every option");
        if (parts.Count == 0) return null;

        string how;
        if (inherits && sets) how = $"{member.Name} holds these directly and may also SET ROLE {target.Name}";
        else if (inherits) how = $"{member.Name} holds these directly (INHERIT TRUE), without SET ROLE";
        else if (sets) how = v16
            ? $"with INHERIT FALSE the grant carries only the right to SET ROLE {target.Name}; after SET ROLE the session has all of this"
            : $"{member.Name} is NOINHERIT, so it gets these only after SET ROLE {target.Name}";
        else how = $"{member.Name} gets none of these by itself (INHERIT FALSE, SET FALSE)";
        var era = v16 ? "" : $" On 13–15 a membership always carries inheritance unless the member is NOINHERIT ({member.Name} is {(member.Inherit ? "INHERIT" : "NOINHERIT")}), and always allows SET ROLE.";
        return $"membership in {target.Name} hands {member.Name} " + string.Join("; ", parts) + $" — {how}.{era}";
    }

    private RoleFootprint? OwnedInSnapshot(uint role)
    {
        var owned = snapshot.Schemas.Where(x => x.Owner == role).Select(x => "schema " + SqlNames.Ident(x.Name))
            .Concat(snapshot.Relations.Where(x => x.Owner == role).Select(x => KindWords.Singular(x.Kind) + " " + Display(x)))
            .Concat(snapshot.Functions.Where(x => x.Owner == role).Select(x => KindWords.Singular(x.Kind) + " " + Display(x)))
            .Concat(snapshot.Types.Where(x => x.Owner == role).Select(x => KindWords.Singular(x.Kind) + " " + Display(x)))
            .Concat(snapshot.Databases.Where(x => x.Owner == role).Select(x => "database " + SqlNames.Ident(x.Name)))
            .ToList();
        return owned.Count == 0 ? null : new RoleFootprint(role, owned.Count, owned.Count, 0, [.. owned.Take(5)]);
    }

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");

    /// <summary>The superusers (not predefined roles), as roles that may run a fix.</summary>
    private ImmutableArray<FixerRole> Superusers() =>
        [.. snapshot.Roles.Where(r => r.IsSuperuser && !r.IsPredefined).OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => new FixerRole(r.Name, "superuser"))];
}
