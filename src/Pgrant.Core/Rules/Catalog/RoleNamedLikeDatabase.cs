using Pgrant.Core.Acl;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR013: a role and a database share a name (a footnote of the classic sequence story). psql and libpq default the
/// database to the user name, so connecting as that role silently lands in that database, and
/// grants, errors and scripts are easy to read as being about the wrong thing. Superusers are left
/// out: the bootstrap superuser and database both called postgres are every cluster's convention.
/// </summary>
public sealed class RoleNamedLikeDatabase : IAuditRule
{
    /// <summary>PGR013 (role-named-like-database): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR013", "role-named-like-database", Severity.Info,
        "A role and a database share a name",
        "libpq defaults the database to the user name, so the shared name hides which one a connection, a grant or an error is about.");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        foreach (var db in context.Snapshot.Databases)
        {
            var role = context.Snapshot.RoleByName(db.Name);
            if (role is null || role.IsPredefined || role.IsSuperuser) continue;
            if (!context.Scope.Roles.IsEmpty && !context.IsAudited(role.Oid)) continue;
            yield return context.AtDatabase(Rule, db.Name, role.Name,
                $"role {role.Name} and database {db.Name} share a name: a connection as {role.Name} without a database name lands in database {db.Name}, " +
                "and grants, errors and scripts that mention the name are easy to misread.",
                [],
                notes: [Note.Advise("consider a distinct name (every connection string that names the database must change with it), e.g.:",
                    new RenameObject(SqlObject.Bare(ObjectKind.Database, db.Name), db.Name + "_db", $"{Rule.Id}: a database name no role shares"))]);
        }
    }
}
