using System.Text;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.State;

/// <summary>
/// An object of a <see cref="GrantState"/>, by name, so states of two databases (or a spec) compare:
/// its kind, schema (for schema-level objects), name, and for routines the identity arguments as the
/// server prints them. The database a state was read from is <see cref="CurrentDatabase"/> whatever its
/// name: two databases in the same state have equal facts about themselves.
/// </summary>
public sealed record StateObject(ObjectKind Kind, string? Schema, string Name, string? Arguments = null) : IComparable<StateObject>
{
    /// <summary>The database the state was read from (its name is <see cref="GrantState.Database"/>).</summary>
    public static StateObject CurrentDatabase { get; } = new(ObjectKind.Database, null, "");

    /// <summary>True for <see cref="CurrentDatabase"/>.</summary>
    public bool IsCurrentDatabase => Kind == ObjectKind.Database && Name.Length == 0;

    /// <summary>True for relations that have columns with ACLs of their own (tables, views, materialized views, foreign and partitioned tables).</summary>
    public bool HasColumns => Kind is ObjectKind.Table or ObjectKind.View or ObjectKind.MaterializedView
        or ObjectKind.ForeignTable or ObjectKind.PartitionedTable;

    /// <summary>The object of a snapshot; the snapshot's own database is <see cref="CurrentDatabase"/>.</summary>
    public static StateObject Of(CatalogSnapshot snapshot, ISecurable obj)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return obj switch
        {
            Database d when d.Name == snapshot.CurrentDatabase => CurrentDatabase,
            Database d => new(ObjectKind.Database, null, d.Name),
            Schema s => new(ObjectKind.Schema, null, s.Name),
            Language l => new(ObjectKind.Language, null, l.Name),
            Relation r => new(r.Kind, snapshot.SchemaName(r.Schema), r.Name),
            Function f => new(f.Kind, snapshot.SchemaName(f.Schema), f.Name, f.IdentityArguments),
            TypeInfo t => new(t.Kind, snapshot.SchemaName(t.Schema), t.Name),
            _ => throw new ArgumentOutOfRangeException(nameof(obj), obj?.GetType().Name, "not an object a grant state holds"),
        };
    }

    /// <summary>The object as a statement names it; <paramref name="database"/> names <see cref="CurrentDatabase"/>.</summary>
    public SqlObject ToSql(string database) =>
        IsCurrentDatabase ? SqlObject.Bare(ObjectKind.Database, database) : new SqlObject(Kind, Schema, Name, Arguments);

    /// <summary>Ordered by schema, name, arguments, then kind (ordinal): a stable order for printing.</summary>
    public int CompareTo(StateObject? other)
    {
        if (other is null) return 1;
        var c = string.CompareOrdinal(Schema ?? "", other.Schema ?? "");
        if (c == 0) c = string.CompareOrdinal(Name, other.Name);
        if (c == 0) c = string.CompareOrdinal(Arguments ?? "", other.Arguments ?? "");
        if (c == 0) c = Kind.CompareTo(other.Kind);
        return c;
    }


    /// <summary><c>table w.t</c>, <c>function w.f(integer)</c>, <c>schema w</c>, <c>database (current)</c>.</summary>
    public override string ToString()
    {
        if (IsCurrentDatabase) return "database (current)";
        var sb = new StringBuilder(KindWords.Singular(Kind)).Append(' ');
        if (Schema is not null) sb.Append(SqlNames.Ident(Schema)).Append('.');
        sb.Append(SqlNames.Ident(Name));
        if (Arguments is not null) sb.Append('(').Append(Arguments).Append(')');
        return sb.ToString();
    }
}
