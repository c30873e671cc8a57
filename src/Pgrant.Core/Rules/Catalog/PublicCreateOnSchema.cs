using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR011: PUBLIC may CREATE in a schema — what the public schema allowed before PostgreSQL 15
/// (and still does in databases upgraded from older versions). Any role can then place a table,
/// function or operator where others' unqualified names (and SECURITY DEFINER functions without a
/// pinned search_path) will find it first (CVE-2018-1058).
/// </summary>
public sealed class PublicCreateOnSchema : IAuditRule
{
    /// <summary>PGR011 (public-create-on-schema): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR011", "public-create-on-schema", Severity.Warning,
        "PUBLIC may create objects in a schema",
        "Every role may create tables, functions and operators in the schema; on a search_path they can shadow the objects other roles mean to use (CVE-2018-1058). PostgreSQL 15 stopped granting CREATE on the public schema to PUBLIC.");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        Dictionary<uint, SortedSet<uint>>? creators = null;
        foreach (var schema in context.Schemas)
        {
            if (!schema.Acl.Entries.Any(e => e.IsPublic && (e.Privileges & Privilege.Create) != 0)) continue;
            creators ??= OwnersBySchema(context.Snapshot);
            var target = context.Display(schema);
            var fix = ImmutableArray.CreateBuilder<SqlStatement>();
            var keep = (creators.GetValueOrDefault(schema.Oid) ?? [])
                .Where(owner => NeedsOwnCreate(context, schema, owner))
                .Select(context.RoleName)
                .Order(StringComparer.Ordinal)
                .ToList();
            if (keep.Count > 0)
                fix.Add(new GrantPrivileges(Privilege.Create, [context.Ref(schema)], keep.Select(r => new Grantee(r)).ToValueList(),
                    $"{Rule.Id}: roles that own objects in {target} keep CREATE there (they may be what creates them)"));
            fix.Add(new RevokePrivileges(Privilege.Create, [context.Ref(schema)], [Grantee.Public],
                $"{Rule.Id}: every role may create objects in {target} that shadow what others find through search_path"));
            var history = schema.Name == "public" && !context.Snapshot.Version.AtLeast(15)
                ? " (the default for the public schema before PostgreSQL 15)"
                : "";
            yield return context.At(Rule, schema, 0u,
                $"every role may CREATE in schema {target}{history}: any login can add a table, function or operator there that shadows " +
                "what other roles — and SECURITY DEFINER functions without a pinned search_path — find through search_path.",
                fix.ToImmutable());
        }
    }

    /// <summary>
    /// Whether a role that owns objects in the schema would lose CREATE there with PUBLIC's: no
    /// superuser, and no ACL entry other than PUBLIC's (the schema owner's included) that it inherits.
    /// </summary>
    private static bool NeedsOwnCreate(AuditContext context, Schema schema, uint owner)
    {
        var roles = context.Access.Roles;
        if (roles.IsSuperuser(owner) || context.Snapshot.RoleByOid(owner) is null) return false;
        return !schema.Acl.Entries.Any(e => !e.IsPublic && (e.Privileges & Privilege.Create) != 0 && roles.InheritsFrom(owner, e.Grantee));
    }

    // One pass over the objects: who owns relations, functions and types in each schema.
    private static Dictionary<uint, SortedSet<uint>> OwnersBySchema(CatalogSnapshot snapshot)
    {
        var owners = new Dictionary<uint, SortedSet<uint>>();
        void Add(uint schema, uint owner)
        {
            if (!owners.TryGetValue(schema, out var set)) owners.Add(schema, set = []);
            set.Add(owner);
        }
        foreach (var r in snapshot.Relations) Add(r.Schema, r.Owner);
        foreach (var f in snapshot.Functions) Add(f.Schema, f.Owner);
        foreach (var t in snapshot.Types) Add(t.Schema, t.Owner);
        return owners;
    }
}
