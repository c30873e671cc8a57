using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Access;

/// <summary>
/// Finds the missing link of a denial: the owner revoked its own privilege; the holders are roles the
/// role is a member of without inheriting (naming the link that breaks); other roles hold it; or
/// nobody does.
/// </summary>
internal static class DenialAnalyzer
{
    public static Denial Analyze(AccessEvaluator evaluator, uint role, ISecurable obj, Column? column, Privilege privilege)
    {
        var graph = evaluator.Roles;
        var snapshot = evaluator.Snapshot;
        var holders = new SortedSet<uint>();
        AddHolders(holders, obj.Acl, privilege);
        if (column is not null) AddHolders(holders, column.Acl, privilege);
        var predefined = new List<uint>();
        foreach (var single in Privileges.Split(privilege))
            foreach (var name in PrivilegeRules.PredefinedFor(obj.Kind, single))
            {
                var oid = evaluator.Predefined(name);
                if (oid != 0 && !predefined.Contains(oid)) predefined.Add(oid);
            }

        var uninherited = ImmutableArray.CreateBuilder<UninheritedHolder>();
        if (role != 0)
            foreach (var holder in holders.Concat(predefined))
            {
                if (!graph.IsMemberOf(role, holder) || graph.InheritsFrom(role, holder)) continue;
                var path = graph.MembershipPath(role, holder)!;
                var broken = graph.FirstBrokenLink(path);
                if (broken is not null) uninherited.Add(new UninheritedHolder(path, broken));
            }

        var kind = role != 0 && graph.HasPrivilegesOf(role, obj.Owner) ? DenialKind.OwnerRevoked
            : uninherited.Count > 0 ? DenialKind.NotInherited
            : holders.Count > 0 || predefined.Count > 0 ? DenialKind.NotGranted
            : DenialKind.NoGrant;
        return new Denial(kind, [.. holders], [.. holders.Select(snapshot.RoleName)],
            [.. predefined.Select(snapshot.RoleName)], uninherited.ToImmutable());
    }

    private static void AddHolders(SortedSet<uint> holders, AclList acl, Privilege privilege)
    {
        foreach (var e in acl.Entries)
            if (!e.IsPublic && (e.Privileges & privilege) != 0)
                holders.Add(e.Grantee);
    }
}
