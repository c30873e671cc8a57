using Pgrant.Core.Sql;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR008: a login role that is a superuser, has BYPASSRLS, or owns (or has the privileges of the
/// owner of) relations in the audited schemas. Every privilege check, and every row-security policy,
/// then stops protecting anything against that login: a bug or an injected statement can drop or
/// rewrite anything. Here superusers are the point, so without --role the rule looks at every login
/// role, not only the audit's non-superuser ones. The bootstrap superuser (OID 10, the initdb user)
/// is left out unless named with --role: every cluster has it, it cannot lose superuser, and it is
/// the administrator's account rather than an application's.
/// </summary>
public sealed class PrivilegedAppLogin : IAuditRule
{
    /// <summary>PGR008 (privileged-app-login): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR008", "privileged-app-login", Severity.Warning,
        "Login role is a superuser, bypasses row security, or owns the objects it uses",
        "A login that is superuser, BYPASSRLS or the owner of its tables is beyond every GRANT and policy: one bug or injected statement can drop or read everything.");

    private const uint BootstrapSuperuser = 10;

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var logins = context.Scope.Roles.IsEmpty
            ? context.Snapshot.Roles.Where(r => r.CanLogin && !r.IsPredefined && r.Oid != BootstrapSuperuser)
            : context.AuditedRoles.Where(r => r.CanLogin);
        var loginList = logins.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        foreach (var role in loginList)
        {
            if (role.IsSuperuser)
                yield return RoleFinding(context, role,
                    $"login role {role.Name} is a superuser: no GRANT, REVOKE or row-security policy limits it, and it can read server files and run programs.",
                    new AlterRoleAttributes(role.Name, new RoleAttributes(Superuser: false, BypassRls: role.BypassRls ? false : null),
                        $"{Rule.Id}: an application login needs no superuser powers"));
            else if (role.BypassRls)
                yield return RoleFinding(context, role,
                    $"login role {role.Name} has BYPASSRLS: every row-security policy is ignored for it.",
                    new AlterRoleAttributes(role.Name, new RoleAttributes(BypassRls: false), $"{Rule.Id}: row-security policies should apply to an application login"));
        }

        // Owners of in-scope relations, grouped by schema: few distinct owners, so owners × logins stays small.
        // Names are listed only for the groups a login owns (sorting 100,000 names no one reads cost more than the rule).
        var owned = context.Relations
            .GroupBy(r => (r.Owner, r.Schema))
            .Select(g => (g.Key.Owner, g.Key.Schema, Relations: g.ToList()))
            .ToList();
        var roles = context.Access.Roles;
        foreach (var role in loginList)
        {
            // A superuser has every owner's privileges; its finding above already says so.
            if (role.IsSuperuser) continue;
            foreach (var schemaGroup in owned.Where(o => roles.InheritsFrom(role.Oid, o.Owner)).GroupBy(o => o.Schema))
            {
                var schema = context.Snapshot.SchemaByOid(schemaGroup.Key);
                if (schema is null) continue;
                var owners = schemaGroup.Select(o => o.Owner).Distinct().Order().Select(context.RoleName).ToList();
                var names = schemaGroup.SelectMany(o => o.Relations).Select(r => r.Name).Order(StringComparer.Ordinal).ToList();
                var how = owners.SequenceEqual([role.Name]) ? "owns" : $"has the privileges of the owner ({string.Join(", ", owners)}) of";
                var shown = string.Join(", ", names.Take(5).Select(SqlNames.Ident)) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");
                yield return context.At(Rule, schema, role.Oid,
                    $"login role {role.Name} {how} {names.Count} relation{(names.Count == 1 ? "" : "s")} in schema {SqlNames.Ident(schema.Name)} ({shown}): " +
                    "an owner passes every privilege check and may ALTER, DROP or TRUNCATE them.",
                    [],
                    notes:
                    [
                        Note.Advise($"let a NOLOGIN role (e.g. {SqlNames.Ident(schema.Name + "_owner")}) own these objects, have the migration login SET ROLE to it, " +
                            $"and grant {SqlNames.Ident(role.Name)} only the privileges it uses (SELECT, INSERT, UPDATE, DELETE on its tables, USAGE on their sequences).",
                            new CreateRole(schema.Name + "_owner", $"{Rule.Id}: an owner that cannot log in", new RoleAttributes(Login: false))),
                    ]);
            }
        }
    }

    private static Finding RoleFinding(AuditContext context, Role role, string message, SqlStatement fix) =>
        context.AtRole(Rule, role.Name, role.Name, message, [fix],
            notes: [Note.Caution($"first grant {SqlNames.Ident(role.Name)} what the application needs (explaining each permission error shows the least grant), then take the attribute away.")]);
}
