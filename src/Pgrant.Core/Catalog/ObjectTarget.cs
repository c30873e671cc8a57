using Pgrant.Core.Acl;

namespace Pgrant.Core.Catalog;

/// <summary>
/// A resolved OBJECT: a securable, or one column of a relation (<see cref="Column"/> set, and
/// <see cref="Object"/> is then its table).
/// </summary>
/// <param name="Object">The securable, or the table of a column.</param>
/// <param name="Column">The column, for a column target; else null.</param>
public sealed record ObjectTarget(ISecurable Object, Column? Column)
{
    /// <summary>The kind as reported: Column for a column, else the object's own kind.</summary>
    public ObjectKind Kind => Column is null ? Object.Kind : ObjectKind.Column;

    /// <summary>The relation of a column target.</summary>
    public Relation? Table => Column is null ? null : (Relation)Object;

    /// <summary>The privileges that exist for this target on a server major.</summary>
    public Privilege Applicable(int major) => Privileges.All(Kind, major);

    /// <summary>The schema the object lives in, or null for databases, schemas and languages.</summary>
    public uint? SchemaOid => Object switch
    {
        Relation r => r.Schema,
        Function f => f.Schema,
        TypeInfo t => t.Schema,
        _ => null,
    };

    /// <summary>Display name: schema.name, schema.f(args), schema.table(column), or the bare name.</summary>
    public string Name(CatalogSnapshot snapshot) =>
        Access.ObjectNames.Name(snapshot, Object) + (Column is null ? "" : $"({Column.Name})");
}
