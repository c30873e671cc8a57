using System.Collections.Immutable;

namespace Pgrant.Core.Acl;

/// <summary>
/// Turns aclitems and ACL states into plain words (pure; rendering is the caller's business).
/// Facts used: PUBLIC is every role, present and future; a bare number is a dropped role's OID;
/// grant options cannot be granted to PUBLIC by GRANT; a NULL ACL is acldefault(); {} is nobody.
/// </summary>
public static class AclExplainer
{
    /// <summary>
    /// What one aclitem grants, to whom, from whom, and what is odd about it (a dropped role, a
    /// grant option for PUBLIC, a letter the kind cannot hold).
    /// </summary>
    /// <param name="item">The aclitem to explain.</param>
    /// <param name="kind">The kind of object the item belongs to, when known: it words the meanings and catches letters the kind cannot hold.</param>
    public static AclItemExplanation Explain(AclItem item, ObjectKind? kind = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        var grantee = item.Grantee ?? "PUBLIC";
        var granteeIsOid = item.Grantee is not null && IsOid(item.Grantee);
        var grantorIsOid = item.Grantor is not null && IsOid(item.Grantor);
        var privileges = Privileges.Split(item.Privileges | item.Grantable)
            .Select(p => new PrivilegeExplanation(
                p, Privileges.Letter(p), Privileges.SqlName(p), (item.Grantable & p) != 0,
                PrivilegeMeaning.Of(p, kind),
                kind is null || (Privileges.All(kind.Value, AclValidation.NewestMajor) & p) != 0))
            .ToImmutableArray();

        var notes = ImmutableArray.CreateBuilder<string>();
        if (item.IsPublic) notes.Add("PUBLIC means every role, including roles created later.");
        if (granteeIsOid)
            notes.Add($"{item.Grantee} is a number: the server prints a role's OID when the role no longer exists (dropped), so this entry most likely grants nothing to anyone now.");
        if (grantorIsOid)
            notes.Add($"The grantor {item.Grantor} is a number: most likely the OID of a role that no longer exists.");
        if (item.Grantor is null)
            notes.Add("No grantor given: the server would record the bootstrap superuser as grantor (and warn).");
        if (item.IsPublic && item.Grantable != Privilege.None)
            notes.Add("A grant option for PUBLIC is readable text, but GRANT … TO PUBLIC WITH GRANT OPTION is refused by the server.");
        foreach (var p in privileges.Where(p => !p.LegalForKind))
            notes.Add($"{p.Name} ('{p.Letter}') is not a privilege of {KindWords.Plural(kind!.Value)}; the server never stores it there.");
        if (privileges.IsEmpty) notes.Add("The entry lists no privileges: it grants nothing.");

        return new AclItemExplanation(item, kind, grantee, item.IsPublic, granteeIsOid, item.Grantor, grantorIsOid,
            privileges, Summarize(item, kind, grantee, privileges), notes.ToImmutable());
    }

    private static string Summarize(AclItem item, ObjectKind? kind, string grantee, ImmutableArray<PrivilegeExplanation> privileges)
    {
        var who = item.IsPublic ? "Every role (PUBLIC)" : grantee;
        var on = kind is null ? "" : $" on this {KindWords.Singular(kind.Value)}";
        if (privileges.IsEmpty) return $"{who} holds nothing{on}.";
        var names = string.Join(", ", privileges.Select(p => p.Name));
        var by = item.Grantor is null ? "" : $", granted by {item.Grantor}";
        var grantable = privileges.Where(p => p.Grantable).Select(p => p.Name).ToList();
        var option = grantable.Count == 0
            ? "; cannot pass them on"
            : grantable.Count == privileges.Length
                ? "; may grant them to others (WITH GRANT OPTION)"
                : $"; may grant {string.Join(", ", grantable)} to others (WITH GRANT OPTION)";
        return $"{who} holds {names}{on}{by}{option}.";
    }

    /// <summary>
    /// What a NULL ACL means for a kind: the built-in default. With the owner's name the implied
    /// entries are listed as the server would expand them (acldefault).
    /// </summary>
    public static AclStateExplanation ExplainDefault(ObjectKind kind, string? owner = null, int major = AclValidation.NewestMajor)
    {
        if (kind == ObjectKind.Column)
            return new AclStateExplanation(AclState.Default, kind,
                "No column-level grants: only the table's own ACL decides access to this column.", []);
        var all = Privileges.All(kind, major);
        var pub = Privileges.PublicDefault(kind);
        var ownerText = owner is null ? "the owner" : $"the owner ({owner})";
        var summary = $"Built-in default (the ACL is NULL): {ownerText} holds every privilege "
            + $"({Names(all)}) and may grant them; "
            + (pub == Privilege.None
                ? $"nobody else holds anything, PUBLIC included."
                : $"PUBLIC (every role) holds {Names(pub)}.");
        var implied = ImmutableArray<AclItem>.Empty;
        if (owner is not null)
        {
            var b = ImmutableArray.CreateBuilder<AclItem>();
            if (pub != Privilege.None) b.Add(new AclItem(null, owner, pub, Privilege.None));
            if (all != Privilege.None) b.Add(new AclItem(owner, owner, all, Privilege.None));
            implied = b.ToImmutable();
        }
        return new AclStateExplanation(AclState.Default, kind, summary, implied);
    }

    /// <summary>What the empty ACL {} (psql 17+: "(none)") means.</summary>
    public static AclStateExplanation ExplainEmpty(ObjectKind? kind = null, bool defaultPrivileges = false)
    {
        var what = kind is null ? "the object" : $"the {KindWords.Singular(kind.Value)}";
        var summary = defaultPrivileges
            ? $"Empty default ACL ({{}}): new {(kind is null ? "objects" : KindWords.Plural(kind.Value))} get no privileges at all, not even for their owner."
            : $"Empty ACL ({{}}): nobody holds any privilege on {what}, not even the owner "
              + "(the owner can grant them back: ownership keeps the right to grant).";
        return new AclStateExplanation(AclState.Empty, kind, summary, []);
    }

    /// <summary>A blank psql cell (psql 16 and older): either NULL (default) or {} (nobody).</summary>
    public static AclStateExplanation ExplainBlankCell(ObjectKind? kind, string? owner = null, int major = AclValidation.NewestMajor)
    {
        var def = kind is null ? "the built-in default (owner holds everything)" : ExplainDefault(kind.Value, owner, major).Summary;
        var summary = "Blank cell: psql prints both a NULL ACL and, before psql 17, an empty ACL {} this way. "
            + $"Usually it is NULL. {def} "
            + "If privileges were revoked from everyone, including the owner, it is {} and nobody holds anything "
            + "(psql 17+ prints that as \"(none)\"; `SELECT relacl …` tells them apart).";
        return new AclStateExplanation(AclState.DefaultOrEmpty, kind, summary, []);
    }

    private static string Names(Privilege mask) => string.Join(", ", Privileges.Split(mask).Select(Privileges.SqlName));

    private static bool IsOid(string name) => name.Length > 0 && name.All(char.IsAsciiDigit);
}
