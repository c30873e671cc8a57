using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR017: row-level security is enabled on a table and no permissive policy lets a granted role
/// use it — no policy at all, or none for that role and command. The grant looks fine and nothing
/// fails loudly: SELECT returns no rows, UPDATE and DELETE change none, INSERT fails with "new row
/// violates row-level security policy". Exempt, as in the server's check_enable_rls: superusers,
/// BYPASSRLS roles, and roles with the owner's privileges unless FORCE ROW LEVEL SECURITY is set.
/// </summary>
public sealed class RlsWithoutPolicy : IAuditRule
{
    /// <summary>PGR017 (rls-without-policy): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR017", "rls-without-policy", Severity.Warning,
        "Row-level security enabled but no policy lets a granted role use the table",
        "With RLS on and no permissive policy for a role and command, the role's SELECT sees no rows, UPDATE and DELETE change none, and INSERT fails, although its table privileges are in order.");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    private static readonly (Privilege Privilege, char Command, string Word)[] Commands =
    [
        (Privilege.Select, 'r', "SELECT"), (Privilege.Insert, 'a', "INSERT"), (Privilege.Update, 'w', "UPDATE"), (Privilege.Delete, 'd', "DELETE"),
    ];

    private const Privilege RowPrivileges = Privilege.Select | Privilege.Insert | Privilege.Update | Privilege.Delete;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var access = context.Access;
        foreach (var table in context.Relations)
        {
            if (!table.RowSecurity || table.Kind is not (ObjectKind.Table or ObjectKind.PartitionedTable)) continue;
            var name = context.Display(table);
            foreach (var role in Candidates(context, table))
            {
                var r = context.Snapshot.RoleByOid(role);
                if (r is null || r.IsSuperuser || r.BypassRls) continue;
                if (!table.ForceRowSecurity && access.Roles.HasPrivilegesOf(role, table.Owner)) continue;
                var held = Held(context, table, role);
                var blocked = Commands.Where(c => (held & c.Privilege) != 0 && !PolicyApplies(context, table, role, c.Command)).ToList();
                if (blocked.Count == 0) continue;
                var roleName = context.RoleName(role);
                var none = table.Policies.IsEmpty
                    ? $"row-level security is enabled on {name} and it has no policy"
                    : $"row-level security is enabled on {name} and none of its policies lets {roleName} {string.Join("/", blocked.Select(c => c.Word))}";
                var notes = ImmutableArray.CreateBuilder<Note>();
                foreach (var c in blocked)
                    notes.Add(Note.Advise($"no safe automatic fix: write a policy for {c.Word} by {roleName} that admits the rows it may use, e.g.:",
                        PolicySkeleton(context.Ref(table), roleName, c.Command, c.Word)));
                notes.Add(Note.Advise("or, if row-level security was not meant for this table, disable it:",
                    new SetRowLevelSecurity(context.Ref(table), false, $"{Rule.Id}: row-level security without policies refuses every row")));
                yield return context.At(Rule, table, role,
                    $"{none}: {roleName} holds {string.Join(", ", blocked.Select(c => c.Word))} but {Effects(blocked.Select(c => c.Word))}.",
                    [], notes: notes.ToImmutable());
            }
        }
    }

    /// <summary>Audited roles that any table or column ACL entry gives a row privilege (all of them for PUBLIC).</summary>
    private static SortedSet<uint> Candidates(AuditContext context, Relation table)
    {
        var roles = new SortedSet<uint>();
        foreach (var d in context.Access.WhoCan(table, RowPrivileges))
            if (context.IsAudited(d.Role)) roles.Add(d.Role);
        foreach (var column in table.Columns)
            foreach (var e in column.Acl.Entries)
            {
                if ((e.Privileges & RowPrivileges) == 0) continue;
                if (e.IsPublic) roles.UnionWith(context.AuditedRoles.Select(r => r.Oid));
                else roles.UnionWith(context.Access.Roles.Heirs(e.Grantee).Where(context.IsAudited));
            }
        return roles;
    }

    /// <summary>Row privileges the role holds on the table or on any of its columns.</summary>
    private static Privilege Held(AuditContext context, Relation table, uint role)
    {
        var held = context.Access.Mask(role, table, RowPrivileges);
        foreach (var p in new[] { Privilege.Select, Privilege.Insert, Privilege.Update })
            if ((held & p) == 0 && table.Columns.Any(c => !c.Acl.Entries.IsEmpty && context.Access.DecideColumn(role, table, c, p).Allowed))
                held |= p;
        return held;
    }

    // The server's check_role_for_policy: PUBLIC, or a role whose privileges this role has.
    private static bool PolicyApplies(AuditContext context, Relation table, uint role, char command) =>
        table.Policies.Any(p => p.Permissive && (p.Command == '*' || p.Command == command)
            && p.Roles.Any(r => r == 0 || context.Access.Roles.HasPrivilegesOf(role, r)));

    /// <summary>A policy to complete: the rows it admits are the table owner's decision, so the expression is a placeholder.</summary>
    private static CreatePolicy PolicySkeleton(SqlObject table, string role, char command, string word)
    {
        var rows = $"true /* replace with the rows it may {word.ToLowerInvariant()} */";
        var policyCommand = command switch
        {
            'r' => PolicyCommand.Select,
            'a' => PolicyCommand.Insert,
            'w' => PolicyCommand.Update,
            _ => PolicyCommand.Delete,
        };
        return new CreatePolicy($"{role}_{word.ToLowerInvariant()}", table, policyCommand, [role],
            policyCommand == PolicyCommand.Insert ? null : rows,
            policyCommand is PolicyCommand.Insert or PolicyCommand.Update ? rows : null,
            $"{Rule.Id}: lets {role} {word} the rows the policy admits");
    }

    private static string Effects(IEnumerable<string> commands) => string.Join(", ", commands.Select(c => c switch
    {
        "SELECT" => "its SELECTs see no rows",
        "INSERT" => "every INSERT fails (\"new row violates row-level security policy\")",
        "UPDATE" => "its UPDATEs change no rows",
        _ => "its DELETEs remove no rows",
    }));
}
