using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// The default-privilege root cause, named in the diagnosis itself: the object was created by a role whose default
/// privileges do not give what another creator's defaults in the same place do (the next migration run by another role
/// is the classic way in). The durable fix then gives the same grantee the same thing from the real creator.
/// </summary>
public sealed partial class Explainer
{
    private Diagnosis NameDefaultPrivilegeGaps(Diagnosis d, Role role)
    {
        var causes = new List<string>();
        var retarget = new Dictionary<(string Creator, string? Schema, DefaultObjectType On), string>();
        foreach (var grant in d.Fix.OfType<GrantPrivileges>())
        {
            if (grant.Grantees is not [{ Role: { } name }] || snapshot.RoleByName(name) is not { } grantee) continue;
            foreach (var o in grant.Objects)
            {
                if (Lookup(o) is not Relation rel) continue;
                var type = rel.Kind == ObjectKind.Sequence ? 'S' : 'r';
                foreach (var p in Privileges.Split(grant.Privileges))
                {
                    if (Gap(rel, type, p, grantee) is not { } gap) continue;
                    var creator = snapshot.RoleName(rel.Owner);
                    var where = gap.Defaults.Schema == 0 ? "" : $" in schema {SqlNames.Ident(snapshot.SchemaName(gap.Defaults.Schema))}";
                    var to = gap.Grantee == grantee.Oid ? grantee.Name : $"{snapshot.RoleName(gap.Grantee)} (which {grantee.Name} inherits from)";
                    causes.Add($"The default privileges of {snapshot.RoleName(gap.Defaults.Role)}{where} give {to} {Privileges.SqlName(p)} on new {(type == 'S' ? "sequences" : "tables")}, " +
                        $"but {Display(rel)} was created by {creator}, whose default privileges do not: default privileges apply only to what the role they name creates " +
                        $"(the root cause; the durable fix adds them for {creator}).");
                    retarget[(creator, snapshot.SchemaName(rel.Schema), SqlWriter.DefaultObjectTypeOf(type))] = snapshot.RoleName(gap.Grantee);
                }
            }
        }
        if (causes.Count == 0) return d;
        var durable = d.DurableFix.Select(s => s is GrantDefaultPrivileges { Grantees: [{ Role: { } n }] } g && n == role.Name
                && retarget.TryGetValue((g.Creator, g.Schema, g.On), out var to) ? g with { Grantees = [to] } : s)
            .Distinct().ToImmutableArray();
        return d with { Cause = d.Cause + " " + string.Join(" ", causes.Distinct(StringComparer.Ordinal)), DurableFix = durable };
    }

    /// <summary>
    /// Another creator's default privileges (in the relation's schema, or global) that give <paramref name="role"/> —
    /// itself, a role it inherits from, or PUBLIC — <paramref name="privilege"/> on new objects of that type, while the
    /// relation's owner's do not; null when there is no such gap.
    /// </summary>
    private (DefaultAcl Defaults, uint Grantee)? Gap(Relation rel, char type, Privilege privilege, Role role)
    {
        bool Gives(DefaultAcl acl, out uint grantee)
        {
            foreach (var e in acl.Acl.Entries)
            {
                if ((e.Privileges & privilege) != privilege) continue;
                if (e.IsPublic || e.Grantee == role.Oid || access.Roles.InheritsFrom(role.Oid, e.Grantee))
                {
                    grantee = e.IsPublic ? role.Oid : e.Grantee;
                    return true;
                }
            }
            grantee = 0;
            return false;
        }
        var relevant = snapshot.DefaultAcls.Where(a => a.ObjectType == type && (a.Schema == rel.Schema || a.Schema == 0)).ToList();
        if (relevant.Any(a => a.Role == rel.Owner && Gives(a, out _))) return null;
        foreach (var other in relevant.Where(a => a.Role != rel.Owner).OrderBy(a => a.Schema == 0 ? 1 : 0))
            if (Gives(other, out var grantee)) return (other, grantee);
        return null;
    }
}
