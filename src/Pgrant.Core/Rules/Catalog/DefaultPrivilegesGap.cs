using Pgrant.Core.Sql;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR004: default privileges that do not follow the roles that actually create objects.
/// <list type="number">
/// <item>Gap (warning), one finding per (schema, creator, grantee): a role (not PUBLIC, not the
/// owner) is granted on existing tables or sequences of the schema owned by <c>creator</c> — the
/// owner, i.e. the role that created them — and the ACL a new table (sequence) of that creator would
/// get there (pg_default_acl for the creator: global, else acldefault, merged with the schema's)
/// gives the grantee less than it holds on the existing ones. The next migration's objects break
/// it. The grantee counts when it is audited or an audited role inherits from it.</item>
/// <item>Misplaced (info), one finding per (creator, schema or global): table/sequence default
/// privileges for a role that owns no relation there while other roles own some — they never apply.</item>
/// </list>
/// </summary>
public sealed class DefaultPrivilegesGap : IAuditRule
{
    /// <summary>PGR004 (default-privileges-gap): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR004", "default-privileges-gap", Severity.Warning,
        "Default privileges do not cover the role that creates the objects",
        "ALTER DEFAULT PRIVILEGES applies only to objects created by the role it names: a role granted on today's tables gets nothing on the tables and sequences the next migration creates unless the defaults name the role that really creates them.");

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    private const char Tables = 'r';
    private const char Sequences = 'S';

    /// <summary>What a grantee holds on one creator's objects of one type in one schema.</summary>
    private sealed class Held
    {
        public Privilege Common = (Privilege)ushort.MaxValue;
        public Privilege Any;
        public int Count;
        public Privilege Pattern => Common != Privilege.None ? Common : Any;
    }

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var defaults = context.Snapshot.DefaultAcls.ToDictionary(d => (d.Role, d.Schema, d.ObjectType));
        var relevant = new Dictionary<uint, bool>();
        var held = new SortedDictionary<(uint Schema, uint Creator, uint Grantee), Dictionary<char, Held>>();
        var owners = new Dictionary<uint, SortedSet<uint>>();
        // Tables of one schema and owner share a handful of ACLs: count them per distinct ACL first
        // (the reader shares one list per distinct ACL text) and judge each ACL once.
        var groups = new Dictionary<(uint Schema, uint Owner, char Type, AclList Acl), int>();
        foreach (var rel in context.Relations)
        {
            var type = rel.Kind == ObjectKind.Sequence ? Sequences : Tables;
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, (rel.Schema, rel.Owner, type, rel.Acl), out _);
            count++;
        }
        var perGrantee = new Dictionary<uint, Privilege>();
        foreach (var ((schemaOid, owner, type, acl), count) in groups)
        {
            if (!owners.TryGetValue(schemaOid, out var set)) owners[schemaOid] = set = [];
            set.Add(owner);
            // One grantee may have several entries on an object (one per grantor): join them first.
            perGrantee.Clear();
            foreach (var e in acl.Entries)
            {
                if (e.IsPublic || e.Grantee == owner || e.Privileges == Privilege.None || !IsRelevant(context, relevant, e.Grantee)) continue;
                perGrantee[e.Grantee] = perGrantee.GetValueOrDefault(e.Grantee) | e.Privileges;
            }
            foreach (var (grantee, privileges) in perGrantee)
            {
                if (!held.TryGetValue((schemaOid, owner, grantee), out var byType)) held[(schemaOid, owner, grantee)] = byType = [];
                if (!byType.TryGetValue(type, out var h)) byType[type] = h = new Held();
                h.Common &= privileges;
                h.Any |= privileges;
                h.Count += count;
            }
        }

        foreach (var ((schemaOid, creator, grantee), byType) in held)
        {
            var schema = context.Snapshot.SchemaByOid(schemaOid);
            if (schema is null) continue;
            var fix = ImmutableArray.CreateBuilder<SqlStatement>();
            var parts = new List<string>();
            foreach (var type in (char[])[Tables, Sequences])
            {
                if (!byType.TryGetValue(type, out var h)) continue;
                var need = type == Sequences ? LeastForSequences(h.Pattern) : h.Pattern;
                var future = NewObject(context, defaults, creator, schemaOid, type);
                var gets = RuleSupport.HeldEach(context, grantee, future, type == Sequences && need == Privilege.Usage ? Privilege.Usage | Privilege.Update : need);
                // nextval() is satisfied by USAGE or UPDATE alike.
                var lacking = type == Sequences && need == Privilege.Usage ? (gets == Privilege.None ? Privilege.Usage : Privilege.None) : need & ~gets;
                if (lacking == Privilege.None) continue;
                var word = type == Tables ? "table" : "sequence";
                parts.Add($"{SqlWriter.PrivilegeList(h.Pattern)} on {RuleSupport.Count(h.Count, word)} (a new {word} would give it {(gets == Privilege.None ? "nothing" : SqlWriter.PrivilegeList(gets))})");
                fix.Add(new GrantDefaultPrivileges(context.RoleName(creator), schema.Name, SqlWriter.DefaultObjectTypeOf(type), lacking,
                    [context.RoleName(grantee)], $"{Rule.Id}: the {word}s {context.RoleName(creator)} creates next in {SqlNames.Ident(schema.Name)} must give {context.RoleName(grantee)} what the existing ones do"));
            }
            if (fix.Count == 0) continue;
            var creatorName = context.RoleName(creator);
            yield return context.At(Rule, schema, grantee,
                $"{context.RoleName(grantee)} holds {string.Join(" and ", parts)} that {creatorName} created in schema {SqlNames.Ident(schema.Name)}, " +
                $"but no default privileges for {creatorName} give it that on the next ones: after the next migration by {creatorName}, " +
                "statements on the new objects fail with \"permission denied\".",
                fix.ToImmutable());
        }

        foreach (var f in Misplaced(context, defaults.Values, owners, relevant)) yield return f;
    }

    /// <summary>What the grantee needs on new sequences: USAGE if it may call nextval() on the existing ones (the least that does), else what it holds.</summary>
    private static Privilege LeastForSequences(Privilege held) =>
        (held & (Privilege.Usage | Privilege.Update)) != Privilege.None ? Privilege.Usage : held;

    /// <summary>
    /// The object <paramref name="creator"/> would get by creating a table or sequence in the schema:
    /// the global default ACL (else the built-in default) with the schema's entries merged on top,
    /// as the server's get_user_default_acl builds it. Judged by the evaluator like any object.
    /// </summary>
    private static Relation NewObject(AuditContext context, Dictionary<(uint, uint, char), DefaultAcl> defaults, uint creator, uint schema, char type)
    {
        var kind = type == Sequences ? ObjectKind.Sequence : ObjectKind.Table;
        var entries = defaults.TryGetValue((creator, 0, type), out var global)
            ? global.Acl.Entries
            : Privileges.Default(kind, creator, context.Snapshot.Version.Major).Entries;
        if (defaults.TryGetValue((creator, schema, type), out var inSchema)) entries = entries.AddRange(inSchema.Acl.Entries);
        return new Relation(0, schema, "", kind, creator, new AclList(entries, false), false, false, false, []);
    }

    private static bool IsRelevant(AuditContext context, Dictionary<uint, bool> cache, uint grantee)
    {
        if (!cache.TryGetValue(grantee, out var yes))
            cache[grantee] = yes = context.Access.Roles.Heirs(grantee).Any(context.IsAudited);
        return yes;
    }

    /// <summary>Table and sequence defaults for a creator that owns no relation where they apply, while others own some.</summary>
    private static IEnumerable<Finding> Misplaced(AuditContext context, IEnumerable<DefaultAcl> defaults, Dictionary<uint, SortedSet<uint>> owners, Dictionary<uint, bool> relevant)
    {
        var allOwners = new SortedSet<uint>(owners.Values.SelectMany(s => s));
        var groups = defaults
            .Where(d => d.ObjectType is Tables or Sequences && (d.Schema == 0 || context.InScope(d.Schema)))
            .Where(d => d.Acl.Entries.Any(e => e.Grantee != d.Role && (e.IsPublic || IsRelevant(context, relevant, e.Grantee))))
            .GroupBy(d => (d.Role, d.Schema))
            .OrderBy(g => g.Key.Schema == 0 ? "" : context.Snapshot.SchemaName(g.Key.Schema), StringComparer.Ordinal)
            .ThenBy(g => context.RoleName(g.Key.Role), StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var (creator, schemaOid) = g.Key;
            var creators = schemaOid == 0 ? allOwners : owners.GetValueOrDefault(schemaOid) ?? [];
            if (creators.Count == 0 || creators.Contains(creator)) continue;
            var creatorName = context.RoleName(creator);
            var on = string.Join(" and ", g.OrderBy(d => d.ObjectType == Tables ? 0 : 1).Select(d => d.ObjectType == Tables ? "TABLES" : "SEQUENCES"));
            var actual = string.Join(", ", creators.Select(context.RoleName).Order(StringComparer.Ordinal));
            var where = schemaOid == 0 ? $"database {SqlNames.Ident(context.Database)}" : $"schema {SqlNames.Ident(context.Snapshot.SchemaName(schemaOid))}";
            var message = $"default privileges ON {on} for {creatorName}{(schemaOid == 0 ? "" : " in " + where)} never apply: they cover only objects {creatorName} creates, " +
                $"and {creatorName} owns no table or sequence in {where}; the objects there are owned (created) by {actual}.";
            ImmutableArray<Note> notes =
            [
                Note.Advise($"default privileges follow the creator: define them FOR ROLE {string.Join(" / ", creators.Select(c => SqlNames.Ident(context.RoleName(c))))} " +
                    $"(see the {Rule.Id} gap findings), and remove the unused ones for {SqlNames.Ident(creatorName)} " +
                    $"(ALTER DEFAULT PRIVILEGES FOR ROLE {SqlNames.Ident(creatorName)}{(schemaOid == 0 ? "" : " IN SCHEMA " + SqlNames.Ident(context.Snapshot.SchemaName(schemaOid)))} REVOKE …)."),
            ];
            if (schemaOid == 0)
            {
                yield return context.AtDatabase(Rule, context.Database, creatorName, message, [], Severity.Info, notes);
                continue;
            }
            var schema = context.Snapshot.SchemaByOid(schemaOid)!;
            yield return context.At(Rule, schema, creator, message, [], Severity.Info, notes);
        }
    }
}
