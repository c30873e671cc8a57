using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR012: a SECURITY DEFINER function (or procedure) that PUBLIC may execute, or whose search_path
/// is not pinned. It runs with its owner's privileges, so PUBLIC EXECUTE lends them to every role,
/// and an unpinned search_path lets the caller's path (pg_temp first, any schema it can create in)
/// decide which tables, functions and operators the body uses. Both at once is the classic
/// privilege escalation: an error; one alone is a warning. Functions are created executable by
/// PUBLIC, so the first is the default unless someone revoked it. The proposed path is the
/// function's own schema then pg_temp (pg_temp listed last is searched last; left out it is searched
/// first for tables), or pg_catalog, pg_temp when every role may create in that schema.
/// </summary>
public sealed class PublicSecurityDefiner : IAuditRule
{
    /// <summary>PGR012 (public-security-definer): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR012", "public-security-definer", Severity.Warning,
        "SECURITY DEFINER function executable by PUBLIC or without a pinned search_path",
        "A SECURITY DEFINER function runs with its owner's privileges: PUBLIC EXECUTE lends them to every role, and without SET search_path the caller's path chooses what the body's names resolve to. Both together is an error.");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        foreach (var f in context.Functions)
        {
            if (!f.SecurityDefiner) continue;
            var publicExecute = f.Acl.Entries.Any(e => e.IsPublic && (e.Privileges & Privilege.Execute) != 0);
            var pinned = f.Config.Any(c => c.StartsWith("search_path=", StringComparison.Ordinal));
            if (!publicExecute && pinned) continue;

            var target = context.Display(f);
            var owner = context.RoleName(f.Owner);
            var fix = ImmutableArray.CreateBuilder<SqlStatement>();
            var notes = ImmutableArray.CreateBuilder<Note>();
            var problems = new List<string>(2);
            if (publicExecute)
            {
                problems.Add("every role may execute it (PUBLIC holds EXECUTE)");
                fix.Add(new RevokePrivileges(Privilege.Execute, [context.Ref(f)], [Grantee.Public],
                    $"{Rule.Id}: PUBLIC EXECUTE lends the privileges of {owner} to every role"));
                notes.Add(Note.Advise($"then grant EXECUTE on {target} to the roles meant to call it."));
            }
            if (!pinned)
            {
                problems.Add("its search_path is not pinned (no SET search_path), so the caller's path decides what its unqualified names mean");
                var schema = context.Snapshot.SchemaByOid(f.Schema);
                if (schema is null || schema.Acl.Entries.Any(e => e.IsPublic && (e.Privileges & Privilege.Create) != 0))
                {
                    // A schema every role may create in must not be on the path: the body has to qualify its names.
                    notes.Add(Note.Caution("its schema lets every role create objects (PGR011), so it is kept off the path: schema-qualify every name in the body."));
                    fix.Add(new SetRoutineParameter(context.Ref(f), "search_path", ["pg_catalog", "pg_temp"],
                        $"{Rule.Id}: the caller's search_path must not decide what the body's names mean"));
                }
                else
                {
                    notes.Add(Note.Info("the path is pinned to the function's own schema, pg_temp last; add any other (trusted) schema its body uses before pg_temp."));
                    fix.Add(new SetRoutineParameter(context.Ref(f), "search_path", [schema.Name, "pg_temp"],
                        $"{Rule.Id}: the caller's search_path must not decide what the body's names mean"));
                }
            }
            var both = publicExecute && !pinned;
            yield return context.At(Rule, f, f.Owner,
                $"{AuditContext.KindWord(f.Kind)} {target} is SECURITY DEFINER (it runs with the privileges of {owner}) and {string.Join(", and ", problems)}" +
                (both ? $": any role can call it, and a temporary table of the caller's shadows every unqualified table name in its body, read and written as {owner}." : "."),
                fix.ToImmutable(),
                both ? Severity.Error : Severity.Warning, notes.ToImmutable());
        }
    }
}
