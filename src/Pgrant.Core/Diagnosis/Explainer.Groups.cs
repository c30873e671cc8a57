using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// Where a grant goes: to the group the role holds its other privileges on the object (or its schema, or, for a
/// sequence, the table whose default calls it) through, as check's rules do, so that explain and check agree and
/// following one never makes the other report something new. The direct grant stays as an alternative.
/// </summary>
public sealed partial class Explainer
{
    /// <summary>A group the grants of one grantee are routed to, and why.</summary>
    private sealed record GroupRoute(Role Group, string Because);

    private Diagnosis RouteToGroups(Diagnosis d)
    {
        if (d.Fix.IsEmpty) return d;
        var fix = ImmutableArray.CreateBuilder<SqlStatement>(d.Fix.Length);
        var direct = ImmutableArray.CreateBuilder<SqlStatement>();
        var routed = new Dictionary<string, List<(GroupRoute Route, SqlObject On)>>(StringComparer.Ordinal);
        foreach (var statement in d.Fix)
        {
            if (statement is GrantPrivileges { Grantees: [{ Role: { } name }] } grant && snapshot.RoleByName(name) is { } grantee
                && RouteFor(grantee, grant.Objects, grant.Privileges) is { } route)
            {
                fix.Add(grant with { Grantees = [route.Group.Name] });
                direct.Add(grant);
                if (!routed.TryGetValue(name, out var list)) routed[name] = list = [];
                list.Add((route, grant.Objects[0]));
            }
            else
            {
                fix.Add(statement);
            }
        }
        if (routed.Count == 0) return d;

        // What the routed grantees' creators make later goes the same way, when one group takes all of a grantee's grants.
        var groupOf = routed.Where(r => r.Value.Select(x => x.Route.Group.Oid).Distinct().Count() == 1)
            .ToDictionary(r => r.Key, r => r.Value[0].Route.Group.Name, StringComparer.Ordinal);
        var durable = d.DurableFix.Select(s => s is GrantDefaultPrivileges { Grantees: [{ Role: { } n }] } g && groupOf.TryGetValue(n, out var group)
            ? g with { Grantees = [group] } : s).ToImmutableArray();

        var notes = ImmutableArray.CreateBuilder<Note>();
        foreach (var (name, list) in routed)
        {
            foreach (var byGroup in list.GroupBy(x => x.Route.Group.Name, StringComparer.Ordinal))
            {
                var first = byGroup.First();
                var on = string.Join(", ", byGroup.Select(x => SqlWriter.Name(x.On)).Distinct(StringComparer.Ordinal));
                notes.Add(Note.Info($"{name} holds {first.Route.Because} through {byGroup.Key}: the fix on {on} grants to {byGroup.Key}, where those privileges were granted, " +
                    $"so every member of {byGroup.Key} gets it and check's fixes agree; granting to {name} alone is the alternative."));
            }
        }
        var names = string.Join(" and ", routed.Keys);
        var option = new FixOption($"grant to {names} directly", direct.ToImmutable(),
            $"only {names} gain{(routed.Count == 1 ? "s" : "")} the privileges; the other members of the group{(groupOf.Values.Distinct().Count() == 1 ? "" : "s")} it holds the rest through still lack them (check reports them)");
        return d with
        {
            Fix = fix.ToImmutable(),
            DurableFix = durable,
            Alternatives = [option, .. d.Alternatives],
            Notes = [.. notes, .. d.Notes],
        };
    }

    /// <summary>
    /// The group to grant to instead of <paramref name="role"/>: the one whose grant gives the role its other privileges
    /// on the object, else (a sequence) the INSERT on a table whose default calls it, else its USAGE on the object's
    /// schema (or, for a schema, its privileges on the schema's relations). Null when the role holds any of those itself
    /// (the grant then goes to it directly), or through no group.
    /// </summary>
    private GroupRoute? RouteFor(Role role, ValueList<SqlObject> objects, Privilege wanted)
    {
        if (role.IsSuperuser || role.IsPredefined) return null;
        GroupRoute? chosen = null;
        foreach (var o in objects)
        {
            if (Lookup(o) is not { } obj) return null;
            var route = RouteFor(role, obj, wanted);
            if (route is null || (chosen is not null && chosen.Group.Oid != route.Group.Oid)) return null;
            chosen = route;
        }
        return chosen;
    }

    private GroupRoute? RouteFor(Role role, ISecurable obj, Privilege wanted)
    {
        // 1. Its other privileges on the object itself.
        var onObject = Through(role, obj, Privileges.All(obj.Kind, snapshot.Version.Major) & ~wanted, out var self);
        if (self) return null;
        if (onObject is { } g1) return new GroupRoute(g1.Group, $"{g1.What} on {Display(obj)}");

        // 2. A sequence: the INSERT on a table whose column default calls it (where check's PGR001 sends its fix).
        if (obj is Relation { Kind: ObjectKind.Sequence } seq && snapshot.SequenceByOid(seq.Oid) is { } s)
        {
            foreach (var use in s.UsedByDefaults)
            {
                if (snapshot.RelationByOid(use.Relation) is not { } table) continue;
                var insert = Through(role, table, Privilege.Insert, out var own);
                if (own) return null;
                if (insert is { } g2) return new GroupRoute(g2.Group, $"INSERT on {Display(table)}, whose default calls it,");
            }
        }

        // 3. The object's schema (USAGE, CREATE), or for a schema the relations in it.
        if (obj is Schema schema)
        {
            foreach (var rel in snapshot.Relations.Where(r => r.Schema == schema.Oid))
            {
                var held = Through(role, rel, Privileges.All(rel.Kind, snapshot.Version.Major), out var own);
                if (own) return null;
                if (held is { } g3) return new GroupRoute(g3.Group, $"{g3.What} on {Display(rel)} in that schema");
            }
            return null;
        }
        var schemaOid = obj switch { Relation r => r.Schema, Function f => f.Schema, TypeInfo t => t.Schema, _ => 0u };
        if (schemaOid != 0 && snapshot.SchemaByOid(schemaOid) is { } parent)
        {
            var usage = Through(role, parent, Privilege.Usage | Privilege.Create, out var own);
            if (own) return null;
            if (usage is { } g4) return new GroupRoute(g4.Group, $"{g4.What} on schema {SqlNames.Ident(parent.Name)}");
        }
        return null;
    }

    /// <summary>
    /// The group (not PUBLIC, not a predefined role) through which <paramref name="role"/> holds any of
    /// <paramref name="privileges"/> on <paramref name="obj"/> (table-level first, then a column's), and which it holds;
    /// <paramref name="self"/> is true when the role holds one itself (owner or a grant to it), which wins.
    /// </summary>
    private (Role Group, string What)? Through(Role role, ISecurable obj, Privilege privileges, out bool self)
    {
        self = false;
        (Role, string)? found = null;
        foreach (var p in Privileges.Split(privileges))
        {
            var d = access.Decide(role.Oid, obj, p);
            if (!d.Allowed && obj is Relation rel)
                d = rel.Columns.Where(c => !c.Acl.Entries.IsEmpty).Select(c => access.DecideColumn(role.Oid, rel, c, p)).FirstOrDefault(c => c.Allowed) ?? d;
            if (!d.Allowed) continue;
            if (d.Source is AccessSource.Owner or AccessSource.DirectGrant) { self = true; return null; }
            if (found is null && d.Source is AccessSource.Membership && d.Holder is { } h && h != role.Oid
                && snapshot.RoleByOid(h) is { IsPredefined: false } group)
                found = (group, Privileges.SqlName(p));
        }
        return found;
    }

    /// <summary>The snapshot's object a statement names, or null when it is not one pgrant routes (or not in the snapshot).</summary>
    private ISecurable? Lookup(SqlObject o) => o.Kind switch
    {
        ObjectKind.Schema => snapshot.Schemas.FirstOrDefault(s => s.Name == o.Name),
        ObjectKind.Function or ObjectKind.Procedure or ObjectKind.Aggregate => snapshot.Functions.FirstOrDefault(f =>
            f.Name == o.Name && snapshot.SchemaName(f.Schema) == o.Schema && f.IdentityArguments == o.Arguments),
        ObjectKind.Table or ObjectKind.PartitionedTable or ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable
            or ObjectKind.Sequence => snapshot.Relations.FirstOrDefault(r => r.Name == o.Name && snapshot.SchemaName(r.Schema) == o.Schema),
        _ => null,
    };
}
