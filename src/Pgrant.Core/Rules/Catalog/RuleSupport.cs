using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Planning;

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
    /// True when the denial's only cure is a membership the role already has but does not inherit
    /// through (a holder the role is a member of): PGR014 reports that cause, so other rules stay
    /// silent instead of reporting the same gap twice.
    /// </summary>
    public static bool BlockedByInheritance(AccessDecision decision) =>
        !decision.Allowed && decision.Denial.Uninherited.Any(u => decision.Denial.Holders.Contains(u.MembershipPath.End));

    /// <summary>"SELECT, INSERT on 2 tables, USAGE on 1 sequence": privileges per kind of object, kinds in first-seen order.</summary>
    public static string Summary(IEnumerable<(ISecurable Object, Privilege Privileges)> grants)
    {
        var byKind = new List<(string Kind, Privilege Privileges, HashSet<ISecurable> Objects)>();
        foreach (var (obj, privileges) in grants)
        {
            var word = AuditContext.KindWord(obj.Kind);
            var i = byKind.FindIndex(k => k.Kind == word);
            if (i < 0)
            {
                byKind.Add((word, Privilege.None, new HashSet<ISecurable>(ReferenceEqualityComparer.Instance)));
                i = byKind.Count - 1;
            }
            byKind[i].Objects.Add(obj);
            byKind[i] = byKind[i] with { Privileges = byKind[i].Privileges | privileges };
        }
        return string.Join(", ", byKind.Select(k => $"{GrantSql.PrivilegeList(k.Privileges)} on {Count(k.Objects.Count, k.Kind)}"));
    }

    /// <summary>"1 table", "3 tables".</summary>
    public static string Count(int n, string kindWord) => n == 1 ? $"1 {kindWord}" : $"{n} {kindWord}s";

    /// <summary>Up to three object names in name order, for a message: "e.g. a, b, c".</summary>
    public static string Examples(AuditContext context, IEnumerable<ISecurable> objects)
    {
        var names = objects.Select(context.Display).Order(StringComparer.Ordinal).Take(4).ToList();
        return "e.g. " + string.Join(", ", names.Take(3)) + (names.Count > 3 ? ", …" : "");
    }

    /// <summary>A SQL comment line; a name may hold a line break, and a comment must stay on one line.</summary>
    public static string Comment(string text) => "-- " + text.Replace('\r', ' ').Replace('\n', ' ');
}
