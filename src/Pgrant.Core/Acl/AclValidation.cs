using System.Collections.Immutable;

namespace Pgrant.Core.Acl;

/// <summary>Why one privilege letter cannot appear in an ACL of a given kind on a given server.</summary>
/// <param name="Privilege">The privilege that cannot appear.</param>
/// <param name="Letter">Its aclitem letter.</param>
/// <param name="Kind">The object kind it was found on.</param>
/// <param name="Major">The server major version judged.</param>
/// <param name="Reason">Why, in one sentence: the kind never holds it, or the version is older than the privilege.</param>
public sealed record AclLetterProblem(Privilege Privilege, char Letter, ObjectKind Kind, int Major, string Reason);

/// <summary>
/// Which privilege letters are legal for an object kind and server major version. The legal set
/// is the server's ACL_ALL_RIGHTS_* for the kind (GRANT rejects anything else with "invalid
/// privilege type X for kind"); letters newer than the server (s/A before 15, m before 17) are
/// reported as such, because aclitemin itself rejects them there.
/// </summary>
public static class AclValidation
{
    /// <summary>The oldest PostgreSQL major version pgrant supports.</summary>
    public const int OldestMajor = 13;

    /// <summary>The newest PostgreSQL major version pgrant knows; its privileges are assumed when no version is given.</summary>
    public const int NewestMajor = 18;

    /// <summary>The first major version whose aclitem knows the letter (13 for the old ones).</summary>
    public static int IntroducedIn(Privilege single) => single switch
    {
        Privilege.Set or Privilege.AlterSystem => 15,
        Privilege.Maintain => 17,
        _ => OldestMajor,
    };

    /// <summary>The privileges a kind can hold on a major version.</summary>
    public static Privilege Legal(ObjectKind kind, int major) => Privileges.All(kind, major);

    /// <summary>The bits of <paramref name="mask"/> that the kind cannot hold on that version.</summary>
    public static Privilege Illegal(Privilege mask, ObjectKind kind, int major) => mask & ~Legal(kind, major);

    /// <summary>One problem per illegal letter of the mask, in the server's letter order.</summary>
    public static ImmutableArray<AclLetterProblem> Check(Privilege mask, ObjectKind kind, int major)
    {
        var problems = ImmutableArray.CreateBuilder<AclLetterProblem>();
        foreach (var p in Privileges.Split(Illegal(mask, kind, major)))
        {
            var since = IntroducedIn(p);
            var reason = since > major
                ? $"{Privileges.SqlName(p)} ('{Privileges.Letter(p)}') exists only from PostgreSQL {since}; this is {major}"
                : $"{Privileges.SqlName(p)} ('{Privileges.Letter(p)}') is not a privilege of {KindWords.Plural(kind)}"
                  + $" (they take {LegalText(kind, major)})";
            problems.Add(new AclLetterProblem(p, Privileges.Letter(p), kind, major, reason));
        }
        return problems.ToImmutable();
    }

    /// <summary>Problems for every privilege of an item, grantable or not.</summary>
    public static ImmutableArray<AclLetterProblem> Check(AclItem item, ObjectKind kind, int major) =>
        Check(item.Privileges | item.Grantable, kind, major);

    private static string LegalText(ObjectKind kind, int major)
    {
        var legal = Legal(kind, major);
        if (legal == Privilege.None) return "no privileges at all";
        return string.Join(", ", Privileges.Split(legal).Select(p => $"{Privileges.SqlName(p)} '{Privileges.Letter(p)}'"));
    }
}
