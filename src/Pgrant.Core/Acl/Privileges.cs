using System.Collections.Immutable;

namespace Pgrant.Core.Acl;

/// <summary>Letters, SQL names and per-kind legality of privileges, by server version.</summary>
public static class Privileges
{
    /// <summary>All privilege bits in the server's print order (arwdDxtXUCTcsAm).</summary>
    public static readonly ImmutableArray<Privilege> InOrder =
    [
        Privilege.Insert, Privilege.Select, Privilege.Update, Privilege.Delete, Privilege.Truncate,
        Privilege.References, Privilege.Trigger, Privilege.Execute, Privilege.Usage, Privilege.Create,
        Privilege.Temporary, Privilege.Connect, Privilege.Set, Privilege.AlterSystem, Privilege.Maintain,
    ];

    /// <summary>The privilege letters aclitem text uses, one per bit, in print order (as <see cref="InOrder"/>).</summary>
    public const string Letters = "arwdDxtXUCTcsAm";

    /// <summary>The aclitem letter of one privilege ('r' for SELECT, 'X' for EXECUTE …).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="single"/> is not exactly one privilege bit.</exception>
    public static char Letter(Privilege single) => Letters[IndexOf(single)];

    /// <summary>The privilege an aclitem letter stands for, or null for a letter that is none (case matters: 'd' is DELETE, 'D' TRUNCATE).</summary>
    public static Privilege? FromLetter(char letter)
    {
        var i = Letters.IndexOf(letter);
        return i < 0 ? null : InOrder[i];
    }

    /// <summary>The keyword used in GRANT/REVOKE and has_*_privilege (e.g. "TEMPORARY", "ALTER SYSTEM").</summary>
    public static string SqlName(Privilege single) => single switch
    {
        Privilege.Insert => "INSERT",
        Privilege.Select => "SELECT",
        Privilege.Update => "UPDATE",
        Privilege.Delete => "DELETE",
        Privilege.Truncate => "TRUNCATE",
        Privilege.References => "REFERENCES",
        Privilege.Trigger => "TRIGGER",
        Privilege.Execute => "EXECUTE",
        Privilege.Usage => "USAGE",
        Privilege.Create => "CREATE",
        Privilege.Temporary => "TEMPORARY",
        Privilege.Connect => "CONNECT",
        Privilege.Set => "SET",
        Privilege.AlterSystem => "ALTER SYSTEM",
        Privilege.Maintain => "MAINTAIN",
        _ => throw new ArgumentOutOfRangeException(nameof(single), single, "not a single privilege"),
    };

    /// <summary>Parses a privilege name (any case; TEMP, ALTER_SYSTEM accepted) or a single letter.</summary>
    public static Privilege? Parse(string text)
    {
        var t = text.Trim();
        if (t.Length == 1) return FromLetter(t[0]);
        return t.ToUpperInvariant().Replace('_', ' ') switch
        {
            "INSERT" => Privilege.Insert,
            "SELECT" => Privilege.Select,
            "UPDATE" => Privilege.Update,
            "DELETE" => Privilege.Delete,
            "TRUNCATE" => Privilege.Truncate,
            "REFERENCES" => Privilege.References,
            "TRIGGER" => Privilege.Trigger,
            "EXECUTE" => Privilege.Execute,
            "USAGE" => Privilege.Usage,
            "CREATE" => Privilege.Create,
            "TEMPORARY" or "TEMP" => Privilege.Temporary,
            "CONNECT" => Privilege.Connect,
            "SET" => Privilege.Set,
            "ALTER SYSTEM" => Privilege.AlterSystem,
            "MAINTAIN" => Privilege.Maintain,
            _ => null,
        };
    }

    /// <summary>The single bits of a mask, in print order.</summary>
    public static IEnumerable<Privilege> Split(Privilege mask)
    {
        foreach (var p in InOrder)
            if ((mask & p) != 0) yield return p;
    }

    /// <summary>Letters of a mask in print order, with '*' after grantable ones (as aclitemout prints).</summary>
    public static string ToLetters(Privilege privileges, Privilege grantable = Privilege.None)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var p in Split(privileges))
        {
            sb.Append(Letter(p));
            if ((grantable & p) != 0) sb.Append('*');
        }
        return sb.ToString();
    }

    /// <summary>What ALL means for a kind on a server major version (ACL_ALL_RIGHTS_*).</summary>
    public static Privilege All(ObjectKind kind, int major = 18) => kind switch
    {
        ObjectKind.Database => Privilege.Create | Privilege.Temporary | Privilege.Connect,
        ObjectKind.Schema => Privilege.Usage | Privilege.Create,
        ObjectKind.Table or ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable
            or ObjectKind.PartitionedTable =>
            Privilege.Insert | Privilege.Select | Privilege.Update | Privilege.Delete | Privilege.Truncate
            | Privilege.References | Privilege.Trigger | (major >= 17 ? Privilege.Maintain : Privilege.None),
        ObjectKind.Sequence => Privilege.Usage | Privilege.Select | Privilege.Update,
        ObjectKind.Column => Privilege.Insert | Privilege.Select | Privilege.Update | Privilege.References,
        ObjectKind.Function or ObjectKind.Procedure or ObjectKind.Aggregate => Privilege.Execute,
        ObjectKind.Type or ObjectKind.Domain or ObjectKind.Language => Privilege.Usage,
        ObjectKind.ForeignDataWrapper or ObjectKind.ForeignServer => Privilege.Usage,
        ObjectKind.Tablespace => Privilege.Create,
        ObjectKind.Parameter => major >= 15 ? Privilege.Set | Privilege.AlterSystem : Privilege.None,
        ObjectKind.LargeObject => Privilege.Select | Privilege.Update,
        _ => Privilege.None,
    };

    /// <summary>What PUBLIC holds when the object's ACL is NULL (the built-in default).</summary>
    public static Privilege PublicDefault(ObjectKind kind) => kind switch
    {
        ObjectKind.Database => Privilege.Temporary | Privilege.Connect,
        ObjectKind.Function or ObjectKind.Procedure or ObjectKind.Aggregate => Privilege.Execute,
        ObjectKind.Type or ObjectKind.Domain or ObjectKind.Language => Privilege.Usage,
        _ => Privilege.None,
    };

    /// <summary>
    /// The ACL a NULL catalog ACL stands for: the owner holds ALL (grantor itself, no grant-option
    /// bits recorded), PUBLIC the kind's default; mirrors acldefault(). Columns have no default
    /// entries (a NULL column ACL grants nothing).
    /// </summary>
    public static AclList Default(ObjectKind kind, uint owner, int major)
    {
        if (kind == ObjectKind.Column) return new AclList([], true);
        var builder = ImmutableArray.CreateBuilder<AclEntry>(2);
        var pub = PublicDefault(kind);
        if (pub != Privilege.None) builder.Add(new AclEntry(AclEntry.Public, owner, pub, Privilege.None));
        var all = All(kind, major);
        if (all != Privilege.None) builder.Add(new AclEntry(owner, owner, all, Privilege.None));
        return new AclList(builder.ToImmutable(), true);
    }

    /// <summary>The acldefault() kind code for an object kind ('r' table, 's' sequence …).</summary>
    public static char AclDefaultCode(ObjectKind kind) => kind switch
    {
        ObjectKind.Column => 'c',
        ObjectKind.Table or ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable
            or ObjectKind.PartitionedTable => 'r',
        ObjectKind.Sequence => 's',
        ObjectKind.Database => 'd',
        ObjectKind.Function or ObjectKind.Procedure or ObjectKind.Aggregate => 'f',
        ObjectKind.Language => 'l',
        ObjectKind.LargeObject => 'L',
        ObjectKind.Schema => 'n',
        ObjectKind.Parameter => 'p',
        ObjectKind.Tablespace => 't',
        ObjectKind.ForeignDataWrapper => 'F',
        ObjectKind.ForeignServer => 'S',
        ObjectKind.Type or ObjectKind.Domain => 'T',
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static int IndexOf(Privilege single)
    {
        var bits = (ushort)single;
        if (bits == 0 || (bits & (bits - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(single), single, "not a single privilege");
        return System.Numerics.BitOperations.TrailingZeroCount(bits);
    }
}
