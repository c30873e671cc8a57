using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR014: a group holds privileges (ACL entries on relations, functions, types, schemas of the
/// audit, or on this database) that a member cannot inherit — 13–15 the member (or a role on the
/// way) has NOINHERIT, 16+ a grant on the way was made WITH INHERIT FALSE — and the member holds
/// them by no other way. One finding per (member, group holding the entries). 16+: re-grant the
/// broken link WITH INHERIT TRUE. 13–15: NOINHERIT is a role-wide, deliberate setting, so the fix
/// is a comment (use SET ROLE, or ALTER ROLE … INHERIT, which changes every membership of the role).
/// </summary>
public sealed class UninheritableGrant : IAuditRule
{
    /// <summary>PGR014 (uninheritable-grant): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR014", "uninheritable-grant", Severity.Warning,
        "Group privileges a member cannot inherit",
        "A member uses a group's privileges without SET ROLE only through links that inherit: NOINHERIT on the member (13–15) or a grant WITH INHERIT FALSE (16+) leaves it denied while the grant looks in place.");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var graph = context.Access.Roles;
        // group → audited members that are members of it without inheriting from it.
        var uninheritingMembers = new Dictionary<uint, List<uint>>();
        foreach (var member in context.AuditedRoles)
            foreach (var group in graph.RolesMemberOf(member.Oid))
            {
                if (group == member.Oid || graph.InheritsFrom(member.Oid, group)) continue;
                if (!uninheritingMembers.TryGetValue(group, out var list)) uninheritingMembers[group] = list = [];
                list.Add(member.Oid);
            }
        if (uninheritingMembers.Count == 0) yield break;

        var missing = new SortedDictionary<(uint Member, uint Group), List<(ISecurable Object, Privilege Privileges)>>();
        void Visit(ISecurable obj)
        {
            foreach (var e in obj.Acl.Entries)
            {
                if (e.IsPublic || !uninheritingMembers.TryGetValue(e.Grantee, out var members)) continue;
                foreach (var member in members)
                {
                    var lacking = e.Privileges & ~RuleSupport.HeldEach(context, member, obj, e.Privileges);
                    if (lacking == Privilege.None) continue;
                    if (!missing.TryGetValue((member, e.Grantee), out var list)) missing[(member, e.Grantee)] = list = [];
                    list.Add((obj, lacking));
                }
            }
        }
        foreach (var (_, obj) in RuleSupport.ObjectsInScope(context)) Visit(obj);
        foreach (var schema in context.Schemas) Visit(schema);
        if (context.Snapshot.CurrentDatabaseInfo is { } database) Visit(database);

        foreach (var ((member, group), grants) in missing)
        {
            var path = graph.MembershipPath(member, group)!;
            var broken = BrokenLinks(graph, path);
            var memberName = context.RoleName(member);
            var groupName = context.RoleName(group);
            var (fix, notes) = Fix(broken, groupName);
            yield return context.AtRole(Rule, groupName, memberName,
                $"{memberName} is a member of {groupName} ({path}) but does not inherit its privileges: {string.Join("; ", broken.Select(Reason))}. " +
                $"{groupName} holds {RuleSupport.Summary(grants)} ({RuleSupport.Examples(context, grants.Select(o => o.Object))}) " +
                $"that {memberName} holds by no other way, so its statements on them are denied" +
                (CanSetRole(path) ? $" unless it runs SET ROLE {SqlNames.Ident(groupName)} first." : $" (it may not SET ROLE {SqlNames.Ident(groupName)} either: a grant on the way has SET FALSE)."),
                fix, notes: notes);
        }
    }

    /// <summary>Every link of the path that passes no privileges, in path order.</summary>
    private static ImmutableArray<BrokenLink> BrokenLinks(RoleGraph graph, RolePath path)
    {
        var links = ImmutableArray.CreateBuilder<BrokenLink>();
        for (var i = 1; i < path.Steps.Length; i++)
        {
            var from = path.Steps[i - 1] with { Link = LinkKind.Self, Grant = null };
            if (graph.FirstBrokenLink(new RolePath([from, path.Steps[i]])) is { } link) links.Add(link);
        }
        return links.ToImmutable();
    }

    // 16+ grants carry a SET option; 13–15 (null) always allow SET ROLE to any group one is a member of.
    private static bool CanSetRole(RolePath path) => path.Steps.All(s => s.Grant?.SetOption != false);

    private static string Reason(BrokenLink link) => link.Reason switch
    {
        BreakReason.GrantInheritFalse =>
            $"the grant of {link.GroupName} to {link.MemberName}{(link.GrantorName is null ? "" : $" (by {link.GrantorName})")} was made WITH INHERIT FALSE",
        _ => $"{link.MemberName} has NOINHERIT",
    };

    private static (ImmutableArray<SqlStatement> Fix, ImmutableArray<Note> Notes) Fix(ImmutableArray<BrokenLink> broken, string groupName)
    {
        var fix = ImmutableArray.CreateBuilder<SqlStatement>();
        var notes = ImmutableArray.CreateBuilder<Note>();
        foreach (var link in broken)
        {
            if (link.Reason == BreakReason.GrantInheritFalse)
            {
                // Re-granting updates the existing grant's INHERIT option; SET and ADMIN stay as they were.
                fix.Add(new GrantRole(link.GroupName, link.MemberName, $"{Rule.Id}: {link.MemberName} should use the privileges of {link.GroupName} without SET ROLE",
                    new MembershipOptions(Inherit: true)));
                continue;
            }
            notes.Add(Note.Advise($"{link.MemberName} has NOINHERIT (a deliberate, role-wide setting): its sessions get these privileges after SET ROLE {SqlNames.Ident(groupName)}; " +
                $"if it should use them without SET ROLE (this changes every membership it has):",
                new AlterRoleAttributes(link.MemberName, new RoleAttributes(Inherit: true), $"{Rule.Id}: {link.MemberName} inherits the privileges of its groups")));
        }
        return (fix.ToImmutable(), notes.ToImmutable());
    }
}
