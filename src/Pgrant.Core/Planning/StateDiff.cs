using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Sql;
using Pgrant.Core.State;

namespace Pgrant.Core.Planning;

/// <summary>
/// The statements that turn one <see cref="GrantState"/> into another: applied in order, in one transaction,
/// by a superuser connected to the database of <c>from</c>, they leave it (and the cluster's memberships) in
/// state <c>to</c>, fact for fact. How the server's rules shape the statements:
/// <list type="bullet">
/// <item>A GRANT or REVOKE records, and removes, only the current role's grants (a superuser's count as the
/// owner's): a fact granted by another role is granted and revoked as that role (SET ROLE,
/// <see cref="GrantPrivileges.Grantor"/>). A role that must act but holds no grant option of its own on the
/// object gets one from the owner for as long as it needs it.</item>
/// <item>Grant options form chains: each object's statements are ordered by simulating its ACL
/// (<see cref="AclSimulation"/>): grants in waves along the chains (the owner's first), revokes deepest first,
/// never CASCADE; a grant another revoke depends on is revoked first and granted again after. grantable
/// true → false is REVOKE GRANT OPTION FOR, false → true GRANT … WITH GRANT OPTION.</item>
/// <item>A table-level REVOKE also revokes per column: column grants the target keeps are granted after it.</item>
/// <item>Default privileges: ALTER DEFAULT PRIVILEGES FOR ROLE creator [IN SCHEMA s] GRANT / REVOKE, relative
/// to the built-in default for a global entry and to nothing for a schema's.</item>
/// <item>Memberships, 16+: one row per (role, member, grantor), granted and revoked with GRANTED BY; a grant
/// needs its grantor's ADMIN option (the bootstrap superuser needs none); revoking an ADMIN option the member
/// has granted with fails unless another row gives it one; options change by GRANT … WITH x TRUE and REVOKE x
/// OPTION FOR. 13–15: one row per (role, member); REVOKE removes it whoever granted it (GRANTED BY is
/// ignored); GRANT … GRANTED BY records any role a superuser names, and only a grant that adds the ADMIN
/// option rewrites the grantor of an existing row, so a grantor changes by REVOKE then GRANT. Both refuse a
/// grant that would make a role a member of itself, so such a grant waits for the revoke that breaks the loop.</item>
/// </list>
/// The result is arranged by <see cref="PlanBuilder.Arrange"/>, which keeps the order of statements on one
/// object, on one default ACL, and of all membership statements.
/// </summary>
public static class StateDiff
{
    /// <summary>The statements, with reasons, that take a database in state <paramref name="from"/> to state <paramref name="to"/>.</summary>
    public static ImmutableArray<SqlStatement> Diff(GrantState from, GrantState to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var v16 = from.Version.AtLeast(16);
        if (v16 != to.Version.AtLeast(16))
            throw new ArgumentException($"memberships of {from.Version} and {to.Version} follow different rules (16 changed them); compare states of one major", nameof(to));
        foreach (var (obj, owner) in to.Owners)
        {
            if (!from.Owners.TryGetValue(obj, out var fromOwner))
                throw new ArgumentException($"{obj} is in the target state only: a diff changes privileges, not objects", nameof(to));
            if (fromOwner != owner)
                throw new ArgumentException($"{obj} is owned by {fromOwner}, and by {owner} in the target state: a diff changes privileges, not owners", nameof(to));
        }
        foreach (var obj in from.Owners.Keys)
            if (!to.Owners.ContainsKey(obj))
                throw new ArgumentException($"{obj} is in the current state only: a diff changes privileges, not objects", nameof(to));

        var statements = new List<SqlStatement>();
        statements.AddRange(v16 ? MembershipPlanner16.Plan(from, to) : MembershipPlanner13.Plan(from, to));

        var fromAcl = from.Acl.GroupBy(f => f.Object).ToDictionary(g => g.Key, g => Entries(g));
        var toAcl = to.Acl.GroupBy(f => f.Object).ToDictionary(g => g.Key, g => Entries(g));
        AclSimulation Acl(Dictionary<StateObject, Dictionary<AclKey, AclBits>> acl, StateObject obj, string owner) =>
            new(owner, obj.HasColumns, acl.GetValueOrDefault(obj) ?? []);

        // Objects in schemas first, to learn which roles act as themselves in which schema.
        var inSchemas = new List<SqlStatement>();
        var actors = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (obj, owner) in from.Owners.Where(o => o.Key.Kind != ObjectKind.Schema))
        {
            var current = Acl(fromAcl, obj, owner);
            var target = Acl(toAcl, obj, owner);
            if (current.SameAs(target)) continue;
            var planned = new ObjectPlanner(obj, obj.ToSql(from.Database), current, target).Plan();
            inSchemas.AddRange(planned);
            if (obj.Schema is null) continue;
            foreach (var s in planned)
                if (s switch { GrantPrivileges g => g.Grantor, RevokePrivileges r => r.Grantor, _ => null } is { } actor)
                {
                    if (!actors.TryGetValue(obj.Schema, out var set)) actors[obj.Schema] = set = new SortedSet<string>(StringComparer.Ordinal);
                    set.Add(actor);
                }
        }

        // A role acting as itself names objects of a schema only with USAGE on it: a schema's grants come before
        // those statements, with USAGE for the actors that lack it, and its revokes after them.
        var schemasBefore = new List<SqlStatement>();
        var schemasAfter = new List<SqlStatement>();
        foreach (var (obj, owner) in from.Owners.Where(o => o.Key.Kind == ObjectKind.Schema))
        {
            var current = Acl(fromAcl, obj, owner);
            var target = Acl(toAcl, obj, owner);
            var union = Union(current, target);
            var temporary = new HashSet<AclKey>();
            foreach (var actor in actors.GetValueOrDefault(obj.Name) ?? [])
            {
                if (actor == owner || HasUsage(union, actor)) continue;
                var key = new AclKey(null, actor, owner);
                union.Set(key, new AclBits(union.Get(key).Privileges | Privilege.Usage, union.Get(key).Options));
                temporary.Add(key);
            }
            var sql = obj.ToSql(from.Database);
            schemasBefore.AddRange(new ObjectPlanner(obj, sql, current, union, temporary).Plan());
            schemasAfter.AddRange(new ObjectPlanner(obj, sql, union.Clone(), target, temporary).Plan());
        }
        statements.AddRange(schemasBefore);
        statements.AddRange(inSchemas);
        statements.AddRange(schemasAfter);

        statements.AddRange(DefaultAcls(from, to));
        return PlanBuilder.Arrange(statements);
    }

    // Every entry of both, with the privileges and options of both.
    private static AclSimulation Union(AclSimulation a, AclSimulation b)
    {
        var union = a.Clone();
        foreach (var (key, bits) in b.Entries)
        {
            var have = union.Get(key);
            union.Set(key, new AclBits(have.Privileges | bits.Privileges, have.Options | bits.Options));
        }
        return union;
    }

    // Whether a role holds USAGE on a schema directly or through PUBLIC (memberships are not counted: a grant
    // the role did not need does no harm).
    private static bool HasUsage(AclSimulation schema, string role) =>
        schema.Entries.Any(e => e.Key.Column is null && (e.Key.Grantee == role || e.Key.Grantee is null) && (e.Value.Privileges & Privilege.Usage) != 0);

    private static Dictionary<AclKey, AclBits> Entries(IEnumerable<AclFact> facts)
    {
        var entries = new Dictionary<AclKey, AclBits>();
        foreach (var f in facts)
        {
            var key = new AclKey(f.Column, f.Grantee, f.Grantor);
            var bits = entries.GetValueOrDefault(key);
            entries[key] = new AclBits(bits.Privileges | f.Privilege, bits.Options | (f.Grantable ? f.Privilege : Privilege.None));
        }
        return entries;
    }

    // Per creator, schema and type: the grantees' privileges and options. Every entry's grantor is the creator,
    // which the recursive revoke treats as the owner: no chains, no order to keep but grants before revokes.
    private static IEnumerable<SqlStatement> DefaultAcls(GrantState from, GrantState to)
    {
        static Dictionary<(string, string?, DefaultObjectType), Dictionary<Grantee, AclBits>> Group(GrantState s)
        {
            var groups = new Dictionary<(string, string?, DefaultObjectType), Dictionary<Grantee, AclBits>>();
            foreach (var f in s.DefaultAcl)
            {
                var key = (f.Creator, f.Schema, f.On);
                if (!groups.TryGetValue(key, out var entries)) groups[key] = entries = [];
                var bits = entries.GetValueOrDefault(f.Grantee);
                entries[f.Grantee] = new AclBits(bits.Privileges | f.Privilege, bits.Options | (f.Grantable ? f.Privilege : Privilege.None));
            }
            return groups;
        }

        var current = Group(from);
        var target = Group(to);
        var keys = current.Keys.Union(target.Keys)
            .OrderBy(k => k.Item1, StringComparer.Ordinal).ThenBy(k => k.Item2 ?? "", StringComparer.Ordinal).ThenBy(k => k.Item3);
        foreach (var key in keys)
        {
            var (creator, schema, on) = key;
            var cur = current.GetValueOrDefault(key) ?? [];
            var tgt = target.GetValueOrDefault(key) ?? [];
            var grantees = cur.Keys.Union(tgt.Keys).OrderBy(g => g.Role is null ? "" : "\0" + g.Role, StringComparer.Ordinal).ToList();
            foreach (var grantee in grantees)
            {
                var c = cur.GetValueOrDefault(grantee);
                var t = tgt.GetValueOrDefault(grantee);
                var plain = t.Privileges & ~t.Options & ~c.Privileges;
                var withOption = t.Options & ~c.Options;
                if (plain != Privilege.None)
                    yield return new GrantDefaultPrivileges(creator, schema, on, plain, [grantee], "diff: the target state has these default privileges");
                if (withOption != Privilege.None)
                    yield return new GrantDefaultPrivileges(creator, schema, on, withOption, [grantee], "diff: the target state has these default privileges with the grant option", WithGrantOption: true);
            }
            foreach (var grantee in grantees)
            {
                var c = cur.GetValueOrDefault(grantee);
                var t = tgt.GetValueOrDefault(grantee);
                var extra = c.Privileges & ~t.Privileges;
                var extraOption = c.Options & t.Privileges & ~t.Options;
                if (extra != Privilege.None)
                    yield return new RevokeDefaultPrivileges(creator, schema, on, extra, [grantee], "diff: the target state lacks these default privileges");
                if (extraOption != Privilege.None)
                    yield return new RevokeDefaultPrivileges(creator, schema, on, extraOption, [grantee], "diff: the target state has these default privileges without the grant option", GrantOptionOnly: true);
            }
        }
    }

    /// <summary>Thrown when no order of GRANT and REVOKE reaches the target (a fact the server cannot recreate as it stands).</summary>
    internal static InvalidOperationException Stuck(string what, IEnumerable<string> pending) =>
        new($"cannot plan {what}: no statement can run next; pending: {string.Join("; ", pending.Take(10))}");
}
