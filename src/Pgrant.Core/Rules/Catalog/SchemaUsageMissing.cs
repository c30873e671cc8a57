using Pgrant.Core.Sql;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR002: a role holds privileges on objects of a schema it has no USAGE on, so none of them can be
/// used — every statement naming them fails with "permission denied for schema". One finding per
/// (role, schema). Privileges count when an ACL entry for the role or a group it inherits from
/// gives them (PUBLIC's defaults on functions and types do not count: they are nobody's intent).
/// When the schema's USAGE is held by a group the role is a member of without inheriting, PGR014
/// reports that cause instead.
/// </summary>
public sealed class SchemaUsageMissing : IAuditRule
{
    /// <summary>PGR002 (schema-usage-missing): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR002", "schema-usage-missing", Severity.Error,
        "Role holds privileges on objects in a schema it has no USAGE on",
        "Without USAGE on the schema a role cannot name anything in it: its table, sequence and function privileges there are stranded and every use fails with \"permission denied for schema\".");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    private sealed class Stranded
    {
        public readonly Dictionary<ISecurable, Privilege> Objects = new(ReferenceEqualityComparer.Instance);
        public readonly SortedSet<uint> Grantees = [];
    }

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        // Which (schema, grantee) pairs hold grants: judged once per pair, and each distinct ACL of a
        // schema (100,000 tables share a few hundred) is walked once.
        var pairs = new HashSet<(uint Schema, uint Grantee)>();
        var seenAcls = new HashSet<(uint Schema, AclList Acl)>();
        foreach (var (schema, obj) in RuleSupport.ObjectsInScope(context))
        {
            if (!seenAcls.Add((schema, obj.Acl))) continue;
            foreach (var e in obj.Acl.Entries)
                if (!e.IsPublic && e.Privileges != Privilege.None) pairs.Add((schema, e.Grantee));
        }

        // The audited heirs of each pair's grantee that cannot use the schema.
        var usable = new Dictionary<(uint Role, uint Schema), bool>();
        var strandedBy = new Dictionary<(uint Schema, uint Grantee), List<uint>>();
        foreach (var (schemaOid, grantee) in pairs)
        {
            var schema = context.Snapshot.SchemaByOid(schemaOid);
            if (schema is null) continue;
            foreach (var role in context.Access.Roles.Heirs(grantee))
            {
                if (!context.IsAudited(role)) continue;
                if (!usable.TryGetValue((role, schemaOid), out var ok))
                {
                    usable[(role, schemaOid)] = ok = context.Access.Mask(role, schema, Privilege.Usage) != Privilege.None
                        || RuleSupport.BlockedByInheritance(context, role, schema, Privilege.Usage);
                }
                if (ok) continue;
                if (!strandedBy.TryGetValue((schemaOid, grantee), out var roles)) strandedBy[(schemaOid, grantee)] = roles = [];
                roles.Add(role);
            }
        }
        if (strandedBy.Count == 0) yield break;

        // Only now the objects, for the pairs with stranded roles.
        var stranded = new SortedDictionary<(uint Role, uint Schema), Stranded>();
        foreach (var (schemaOid, obj) in RuleSupport.ObjectsInScope(context))
            foreach (var e in obj.Acl.Entries)
            {
                if (e.IsPublic || e.Privileges == Privilege.None || !strandedBy.TryGetValue((schemaOid, e.Grantee), out var roles)) continue;
                foreach (var role in roles)
                {
                    if (!stranded.TryGetValue((role, schemaOid), out var st)) stranded[(role, schemaOid)] = st = new Stranded();
                    st.Grantees.Add(e.Grantee);
                    st.Objects[obj] = st.Objects.GetValueOrDefault(obj) | e.Privileges;
                }
            }

        foreach (var ((role, schemaOid), s) in stranded)
        {
            var schema = context.Snapshot.SchemaByOid(schemaOid)!;
            // One group holds every stranded grant: USAGE belongs next to them, for all its members.
            var target = s.Grantees.Count == 1 ? s.Grantees.Min : role;
            var via = target == role ? "" : $" (through {context.RoleName(target)}, which the fix targets)";
            yield return context.At(Rule, schema, role,
                $"{context.RoleName(role)} holds {RuleSupport.Summary(s.Objects.Select(kv => (kv.Key, kv.Value)))} in schema {SqlNames.Ident(schema.Name)}{via} " +
                $"({RuleSupport.Examples(context, s.Objects.Keys)}) but has no USAGE on the schema: every statement that uses them fails with " +
                $"\"permission denied for schema {schema.Name}\".",
                [new GrantPrivileges(Privilege.Usage, context.Ref(schema), context.RoleName(target),
                    $"{Rule.Id}: {context.RoleName(role)} must reach the objects it holds privileges on in schema {SqlNames.Ident(schema.Name)}")]);
        }
    }
}
