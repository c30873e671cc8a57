using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// Small pieces several rules share: the objects an audit walks, privileges judged one bit at a
/// time through the evaluator, and wording of object counts. Pure, no privilege logic of its own.
/// </summary>
internal static class RuleSupport
{
    /// <summary>Relations (every relkind), functions and types in the audit's schemas, each with its schema.</summary>
    public static IEnumerable<(uint Schema, ISecurable Object)> ObjectsInScope(AuditContext context)
    {
        foreach (var r in context.Relations) yield return (r.Schema, r);
        foreach (var f in context.Functions) yield return (f.Schema, f);
        foreach (var t in context.Snapshot.Types)
            if (context.InScope(t.Schema)) yield return (t.Schema, t);
    }

    /// <summary>
    /// The bits of <paramref name="bits"/> the role holds on the object, each judged alone as
    /// has_*_privilege judges it (so the pg_write_all_data quirk of asking together does not apply).
    /// </summary>
    public static Privilege HeldEach(AuditContext context, uint role, ISecurable obj, Privilege bits)
    {
        var held = Privilege.None;
        foreach (var single in Privileges.Split(bits))
            held |= context.Access.Mask(role, obj, single);
        return held;
    }

    /// <summary>
    /// True when the role is denied <paramref name="privilege"/> but a role named in the object's ACL
    /// with it is one the role is a member of without inheriting from (the Uninherited holders of the
    /// evaluator's denial analysis, found without building a full explanation). PGR014 reports that
    /// cause, so other rules stay silent instead of reporting the same gap twice.
    /// </summary>
    public static bool BlockedByInheritance(AuditContext context, uint role, ISecurable obj, Privilege privilege)
    {
        var graph = context.Access.Roles;
        foreach (var e in obj.Acl.Entries)
            if (!e.IsPublic && (e.Privileges & privilege) != 0 && graph.IsMemberOf(role, e.Grantee) && !graph.InheritsFrom(role, e.Grantee))
                return true;
        return false;
    }

    /// <summary>"SELECT, INSERT on 2 tables, USAGE on 1 sequence": privileges per kind of object, kinds in a fixed order.</summary>
    public static string Summary(IEnumerable<(ISecurable Object, Privilege Privileges)> grants)
    {
        var byKind = new SortedDictionary<ObjectKind, (Privilege Privileges, HashSet<ISecurable> Objects)>();
        foreach (var (obj, privileges) in grants)
        {
            if (!byKind.TryGetValue(obj.Kind, out var k))
                k = (Privilege.None, new HashSet<ISecurable>(ReferenceEqualityComparer.Instance));
            k.Objects.Add(obj);
            byKind[obj.Kind] = (k.Privileges | privileges, k.Objects);
        }
        return string.Join(", ", byKind.Select(k => $"{SqlWriter.PrivilegeList(k.Value.Privileges)} on {Count(k.Value.Objects.Count, AuditContext.KindWord(k.Key))}"));
    }

    /// <summary>"1 table", "3 tables".</summary>
    public static string Count(int n, string kindWord) => n == 1 ? $"1 {kindWord}" : $"{n} {kindWord}s";

    /// <summary>
    /// Up to three object names, for a message: "e.g. a, b, c". Chosen by (schema, name) without
    /// formatting every object, because a finding may cover tens of thousands of them.
    /// </summary>
    public static string Examples(AuditContext context, IEnumerable<ISecurable> objects)
    {
        var count = 0;
        var best = Smallest(context, objects.Select(o => { count++; return o; }), 3);
        return "e.g. " + string.Join(", ", best.Select(context.Display)) + (count > 3 ? ", …" : "");
    }

    /// <summary>The first <paramref name="n"/> objects by (schema, name), in that order, without formatting the others.</summary>
    public static List<ISecurable> Smallest(AuditContext context, IEnumerable<ISecurable> objects, int n)
    {
        var best = new List<(string Schema, string Name, ISecurable Object)>(n + 1);
        foreach (var obj in objects)
        {
            var key = SortKey(context.Snapshot, obj);
            if (best.Count == n && Compare(key, (best[^1].Schema, best[^1].Name)) >= 0) continue;
            var at = best.FindIndex(b => Compare(key, (b.Schema, b.Name)) < 0);
            best.Insert(at < 0 ? best.Count : at, (key.Schema, key.Name, obj));
            if (best.Count > n) best.RemoveAt(n);
        }
        return [.. best.Select(b => b.Object)];
    }

    private static (string Schema, string Name) SortKey(CatalogSnapshot snapshot, ISecurable obj) => obj switch
    {
        Relation r => (snapshot.SchemaName(r.Schema), r.Name),
        Function f => (snapshot.SchemaName(f.Schema), f.Name),
        TypeInfo t => (snapshot.SchemaName(t.Schema), t.Name),
        Schema s => (s.Name, ""),
        Database d => (d.Name, ""),
        _ => ("", obj.Oid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    };

    private static int Compare((string Schema, string Name) a, (string Schema, string Name) b)
    {
        var c = string.CompareOrdinal(a.Schema, b.Schema);
        return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
    }
}
