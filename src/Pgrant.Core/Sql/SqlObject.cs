using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Sql;

/// <summary>
/// An object as a statement names it: its kind, schema (for schema-level objects), name, and for
/// routines the identity argument list as the server prints it (pg_get_function_identity_arguments:
/// type names already quoted by the server, so it is written as it is). Names are the real names,
/// unquoted; <see cref="SqlWriter"/> quotes them.
/// </summary>
/// <param name="Kind">The object's kind: it decides the keyword (TABLE, SEQUENCE, FUNCTION …).</param>
/// <param name="Schema">Its schema, or null for objects that have none.</param>
/// <param name="Name">Its real name, unquoted.</param>
/// <param name="Arguments">A routine's identity arguments as the server prints them; null for other objects.</param>
public sealed record SqlObject(ObjectKind Kind, string? Schema, string Name, string? Arguments = null)
{
    /// <summary>The reference to an object of a snapshot.</summary>
    public static SqlObject Of(CatalogSnapshot snapshot, ISecurable obj)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return obj switch
        {
            Relation r => new(r.Kind, snapshot.SchemaName(r.Schema), r.Name),
            Function f => new(f.Kind, snapshot.SchemaName(f.Schema), f.Name, f.IdentityArguments),
            TypeInfo t => new(t.Kind, snapshot.SchemaName(t.Schema), t.Name),
            Schema s => new(ObjectKind.Schema, null, s.Name),
            Database d => new(ObjectKind.Database, null, d.Name),
            Language l => new(ObjectKind.Language, null, l.Name),
            LargeObject lo => new(ObjectKind.LargeObject, null, lo.Oid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            SecurableObject o => new(o.Kind, null, o.Name),
            _ => throw new ArgumentOutOfRangeException(nameof(obj), obj?.GetType().Name, "not an object pgrant names in statements"),
        };
    }

    /// <summary>A schema, database, language or role: a bare name.</summary>
    public static SqlObject Bare(ObjectKind kind, string name) => new(kind, null, name);

    /// <summary>The name as SQL writes it: <c>schema.name</c>, <c>schema.f(integer)</c>, or the bare name, quoted where needed.</summary>
    public override string ToString() => SqlWriter.Name(this);
}

/// <summary>Whom a privilege is granted to or revoked from: a role, or PUBLIC (every role).</summary>
/// <param name="Role">The role's real name, unquoted; null for PUBLIC.</param>
public readonly record struct Grantee(string? Role)
{
    /// <summary>PUBLIC: every role, present and future.</summary>
    public static Grantee Public => default;

    /// <summary>True for PUBLIC.</summary>
    public bool IsPublic => Role is null;

    /// <summary>A role by name (null is PUBLIC).</summary>
    public static implicit operator Grantee(string? role) => new(role);

    /// <summary>PUBLIC, or the role name quoted where needed.</summary>
    public override string ToString() => Role is null ? "PUBLIC" : SqlNames.Ident(Role);
}
