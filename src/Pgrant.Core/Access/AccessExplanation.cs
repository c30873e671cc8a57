using System.Text;
using Pgrant.Core.Acl;

namespace Pgrant.Core.Access;

/// <summary>Plain-words sentences for an <see cref="AccessDecision"/> (no console, no colour).</summary>
internal static class AccessExplanation
{
    public static string Describe(AccessDecision d)
    {
        var sb = new StringBuilder();
        var what = Words(d.Requested);
        var target = d.ColumnName is null
            ? $"{ObjectNames.KindWord(d.ObjectKind)} {d.ObjectName}"
            : $"column {d.ColumnName} of {ObjectNames.KindWord(d.ObjectKind)} {d.ObjectName}";
        sb.Append(d.RoleName).Append(d.Allowed ? " may use " : " may not use ").Append(what).Append(" on ").Append(target);
        sb.Append(": ").Append(d.Allowed ? Why(d) : WhyNot(d)).Append('.');
        if (d.Allowed && d.Grantable) sb.Append(" It may grant it to others.");
        return sb.ToString();
    }

    private static string Words(Privilege mask)
    {
        var names = Privileges.Split(mask).Select(Privileges.SqlName).ToList();
        return names.Count switch
        {
            0 => "no privilege",
            1 => names[0],
            _ => string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1],
        };
    }

    private static string Why(AccessDecision d)
    {
        var privilege = Privileges.SqlName(d.Privilege);
        var level = d.Level == AccessLevel.Column ? "the column's own ACL" : "the ACL";
        return d.Source switch
        {
            AccessSource.Superuser => $"{d.RoleName} is a superuser, which bypasses every privilege check",
            AccessSource.Owner => $"{d.RoleName} owns it and its owner entry {d.EntryText} in {level} holds {privilege}",
            AccessSource.DirectGrant => $"{privilege} is granted to {d.RoleName} directly ({d.EntryText} in {level})",
            AccessSource.Public => $"{privilege} is granted to PUBLIC ({d.EntryText} in {level}), so every role has it",
            AccessSource.Membership => $"{privilege} is granted to {d.Path!.Steps[^1].Name} ({d.EntryText} in {level}) and {d.RoleName} has its privileges through {PathWords(d.Path)}",
            AccessSource.PredefinedRole => $"{d.Path!.Steps[^1].Name} gives {privilege} on every {ObjectNames.KindWord(d.ObjectKind)}, and {d.RoleName} has its privileges through {PathWords(d.Path)}",
            AccessSource.CompatibilitySetting => "lo_compat_privileges is on, so the server checks no privilege on large objects",
            _ => "no reason recorded",
        };
    }

    private static string PathWords(RolePath path)
    {
        var sb = new StringBuilder(path.Steps[0].Name);
        foreach (var step in path.Steps.Skip(1))
        {
            sb.Append(" → ").Append(step.Name);
            if (step.Link == LinkKind.DatabaseOwner) sb.Append(" (as owner of the current database)");
        }
        return sb.ToString();
    }

    private static string WhyNot(AccessDecision d)
    {
        var denial = d.Denial;
        var holders = string.Join(", ", denial.HolderNames);
        return denial.Kind switch
        {
            DenialKind.NotApplicable => $"that privilege does not exist for a {ObjectNames.KindWord(d.ObjectKind)} on this server version",
            DenialKind.SystemCatalog => "it is a system catalog, which only superusers may write",
            DenialKind.OwnerRevoked => $"{d.RoleName} has the owner's privileges, but the owner's own {Words(d.Requested)} was revoked from the ACL" +
                (holders.Length > 0 ? $" (held now by {holders})" : ""),
            DenialKind.NotInherited => string.Join("; ", denial.Uninherited.Select(BrokenWords)),
            DenialKind.NotGranted => $"it is granted only to {Holders(denial)}, and {d.RoleName} is not a member of any of them",
            DenialKind.NoGrant => "no role holds it (only superusers could use it)",
            _ => "no reason recorded",
        };
    }

    private static string Holders(Denial denial)
    {
        var acl = string.Join(", ", denial.HolderNames);
        var predefined = string.Join(", ", denial.PredefinedHolders);
        return acl.Length == 0 ? $"members of {predefined}"
            : predefined.Length == 0 ? acl
            : $"{acl} (and members of {predefined})";
    }

    private static string BrokenWords(UninheritedHolder u)
    {
        var b = u.Break;
        var link = b.Reason switch
        {
            BreakReason.MemberNoInherit => $"{b.MemberName} has NOINHERIT, so it does not use the privileges of {b.GroupName} without SET ROLE",
            BreakReason.GrantInheritFalse => $"the grant of {b.GroupName} to {b.MemberName}" +
                (b.GrantorName is { } g ? $" (granted by {g})" : "") + " is WITH INHERIT FALSE",
            _ => "a link does not inherit",
        };
        return $"{u.MembershipPath.Steps[^1].Name} holds it and {u.MembershipPath.Steps[0].Name} reaches it through {u.MembershipPath}, but {link}";
    }
}
