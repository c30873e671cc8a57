using Pgrant.Core.Sql;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR003: a login role holds privileges in this database (on its schemas, relations, functions,
/// types or the database itself; directly or through a group it inherits from) but may not CONNECT
/// to it — usually after REVOKE CONNECT … FROM PUBLIC — so every connection fails before any of
/// those privileges can be used. One finding per login role. PUBLIC's grants and predefined roles
/// (pg_read_all_data …, cluster-wide by design) do not count as privileges "in" the database.
/// When CONNECT is held by a group the role is a member of without inheriting, PGR014 reports it.
/// </summary>
public sealed class DatabaseConnectMissing : IAuditRule
{
    /// <summary>PGR003 (database-connect-missing): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR003", "database-connect-missing", Severity.Error,
        "Login role holds privileges in a database it may not CONNECT to",
        "CONNECT is checked before anything else: a role without it cannot open a session, so all its grants in the database are unusable (\"permission denied for database\" with \"User does not have CONNECT privilege\").");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var database = context.Snapshot.CurrentDatabaseInfo;
        // A database that allows no connections at all is not a privilege problem.
        if (database is null || !database.AllowConnections) yield break;

        var byGrantee = new Dictionary<uint, List<ISecurable>>();
        void Add(ISecurable obj)
        {
            foreach (var e in obj.Acl.Entries)
            {
                if (e.IsPublic || e.Privileges == Privilege.None) continue;
                if (!byGrantee.TryGetValue(e.Grantee, out var list)) byGrantee[e.Grantee] = list = [];
                list.Add(obj);
            }
        }
        foreach (var (_, obj) in RuleSupport.ObjectsInScope(context)) Add(obj);
        foreach (var schema in context.Schemas) Add(schema);
        Add(database);

        // Login roles that hold something here, with the grantees they hold it through.
        var holders = new SortedDictionary<uint, SortedSet<uint>>();
        foreach (var grantee in byGrantee.Keys)
            foreach (var role in context.Access.Roles.Heirs(grantee))
            {
                if (!context.IsAudited(role) || context.Snapshot.RoleByOid(role)?.CanLogin != true) continue;
                if (!holders.TryGetValue(role, out var via)) holders[role] = via = [];
                via.Add(grantee);
            }

        foreach (var (role, grantees) in holders)
        {
            if (context.Access.Mask(role, database, Privilege.Connect) != Privilege.None
                || RuleSupport.BlockedByInheritance(context, role, database, Privilege.Connect)) continue;
            var objects = new HashSet<ISecurable>(ReferenceEqualityComparer.Instance);
            foreach (var g in grantees) objects.UnionWith(byGrantee[g]);
            var target = grantees.Count == 1 ? grantees.Min : role;
            var via = target == role ? "" : $" through {context.RoleName(target)} (which the fix targets)";
            yield return context.At(Rule, database, role,
                $"{context.RoleName(role)} holds privileges on {objects.Count} object{(objects.Count == 1 ? "" : "s")} in database {SqlNames.Ident(database.Name)}{via} " +
                $"({RuleSupport.Examples(context, objects)}) but may not CONNECT to it: every connection fails with " +
                $"\"permission denied for database \"{database.Name}\"\" (User does not have CONNECT privilege).",
                [new GrantPrivileges(Privilege.Connect, context.Ref(database), context.RoleName(target),
                    $"{Rule.Id}: without CONNECT no session of {context.RoleName(role)} can use its privileges in {SqlNames.Ident(database.Name)}")]);
        }
    }
}
