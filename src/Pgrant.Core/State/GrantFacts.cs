using System.Text;
using Pgrant.Core.Acl;
using Pgrant.Core.Sql;

namespace Pgrant.Core.State;

/// <summary>
/// One bit of one aclitem: <see cref="Grantee"/> (null: PUBLIC) holds <see cref="Privilege"/> (a single
/// privilege) on <see cref="Object"/> — on its column <see cref="Column"/> when set — as granted by
/// <see cref="Grantor"/>, with the grant option when <see cref="Grantable"/>. Roles are names.
/// </summary>
public sealed record AclFact(StateObject Object, string? Column, string? Grantee, Privilege Privilege, bool Grantable, string Grantor)
    : IComparable<AclFact>
{
    /// <summary>By object, column (the object's own ACL first), grantor, grantee (PUBLIC first), then privilege in the server's order.</summary>
    public int CompareTo(AclFact? other)
    {
        if (other is null) return 1;
        var c = Object.CompareTo(other.Object);
        if (c == 0) c = CompareNullable(Column, other.Column);
        if (c == 0) c = string.CompareOrdinal(Grantor, other.Grantor);
        if (c == 0) c = CompareNullable(Grantee, other.Grantee);
        if (c == 0) c = Privilege.CompareTo(other.Privilege);
        if (c == 0) c = Grantable.CompareTo(other.Grantable);
        return c;
    }


    /// <summary><c>table w.t (c1): app=r*/owner</c>, the item as aclitemout prints it (one letter).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Object.ToString());
        if (Column is not null) sb.Append(" (").Append(SqlNames.Ident(Column)).Append(')');
        sb.Append(": ");
        return sb.Append(new AclItem(Grantee, Grantor, Privilege, Grantable ? Privilege : Privilege.None)).ToString();
    }

    internal static int CompareNullable(string? a, string? b) =>
        a is null ? (b is null ? 0 : -1) : b is null ? 1 : string.CompareOrdinal(a, b);
}

/// <summary>
/// One bit of a pg_default_acl entry: objects <see cref="Creator"/> creates later (in <see cref="Schema"/>,
/// or anywhere when null) of type <see cref="On"/> give <see cref="Grantee"/> (null: PUBLIC)
/// <see cref="Privilege"/>, with the grant option when <see cref="Grantable"/>. The grantor of such an
/// entry is always the creator. A creator without a global entry for a type has the built-in default
/// (acldefault): its own privileges, and PUBLIC's for functions and types.
/// </summary>
public sealed record DefaultAclFact(string Creator, string? Schema, DefaultObjectType On, string? Grantee, Privilege Privilege, bool Grantable)
    : IComparable<DefaultAclFact>
{
    /// <summary>By creator, schema (global first), object type, grantee (PUBLIC first), privilege.</summary>
    public int CompareTo(DefaultAclFact? other)
    {
        if (other is null) return 1;
        var c = string.CompareOrdinal(Creator, other.Creator);
        if (c == 0) c = AclFact.CompareNullable(Schema, other.Schema);
        if (c == 0) c = On.CompareTo(other.On);
        if (c == 0) c = AclFact.CompareNullable(Grantee, other.Grantee);
        if (c == 0) c = Privilege.CompareTo(other.Privilege);
        if (c == 0) c = Grantable.CompareTo(other.Grantable);
        return c;
    }


    /// <summary><c>default privileges of creator in schema w on tables: app=r*/creator</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("default privileges of ").Append(SqlNames.Ident(Creator));
        sb.Append(Schema is null ? " (global)" : " in schema " + SqlNames.Ident(Schema));
        sb.Append(" on ").Append(On.ToString().ToLowerInvariant()).Append(": ");
        return sb.Append(new AclItem(Grantee, Creator, Privilege, Grantable ? Privilege : Privilege.None)).ToString();
    }
}

/// <summary>
/// A row of pg_auth_members: <see cref="Member"/> is a member of <see cref="Role"/>, granted by
/// <see cref="Grantor"/>. 16+: one row per (role, member, grantor), each with its own INHERIT and SET
/// options; 13–15: one row per (role, member), and <see cref="Inherit"/> and <see cref="Set"/> are null.
/// </summary>
public sealed record MembershipFact(string Role, string Member, string Grantor, bool Admin, bool? Inherit = null, bool? Set = null)
    : IComparable<MembershipFact>
{
    /// <summary>By role, member, grantor, then options.</summary>
    public int CompareTo(MembershipFact? other)
    {
        if (other is null) return 1;
        var c = string.CompareOrdinal(Role, other.Role);
        if (c == 0) c = string.CompareOrdinal(Member, other.Member);
        if (c == 0) c = string.CompareOrdinal(Grantor, other.Grantor);
        if (c == 0) c = Admin.CompareTo(other.Admin);
        if (c == 0) c = Nullable.Compare(Inherit, other.Inherit);
        if (c == 0) c = Nullable.Compare(Set, other.Set);
        return c;
    }


    /// <summary><c>role g: member m granted by postgres (ADMIN FALSE, INHERIT TRUE, SET TRUE)</c>; 13–15 show ADMIN only.</summary>
    public override string ToString()
    {
        static string Word(bool value) => value ? "TRUE" : "FALSE";
        var options = $"ADMIN {Word(Admin)}";
        if (Inherit is { } inherit) options += $", INHERIT {Word(inherit)}";
        if (Set is { } set) options += $", SET {Word(set)}";
        return $"role {SqlNames.Ident(Role)}: member {SqlNames.Ident(Member)} granted by {SqlNames.Ident(Grantor)} ({options})";
    }
}
