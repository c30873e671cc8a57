using System.Collections.Immutable;
using Pgrant.Core.Acl;

namespace Pgrant.Core.Catalog;

/// <summary>A name in a <see cref="CatalogScope"/>: in <see cref="Schema"/>, or in every schema when it is null.</summary>
/// <param name="Schema">The schema name, or null for every schema.</param>
/// <param name="Name">The object's name, exactly (no quoting, case matters).</param>
public sealed record ScopeName(string? Schema, string Name);

/// <summary>
/// The part of a catalog a command needs, for a scoped read: relations, routines and types by name.
/// An unqualified name matches that object in every schema, so search_path resolution on the scoped
/// snapshot reaches the same answer as on the whole one. The reader adds what these objects lead to:
/// a view's base relations (transitively), a table's sequences and every table of such a sequence.
/// Roles, memberships, databases, schemas, languages, default ACLs, role footprints, foreign-data wrappers,
/// foreign servers and parameter ACLs are always read whole (they are small); large objects only when a
/// relation name of the scope is their OID. A snapshot read with a scope records it (<see cref="CatalogSnapshot.Scope"/>), so a
/// consumer that needs every object (an audit) can refuse it.
/// </summary>
/// <param name="Relations">Tables, views, sequences and other relations by name.</param>
/// <param name="Functions">Functions, procedures and aggregates by name (every overload).</param>
/// <param name="Types">Types and domains by name (implicit row and array types included); each comes with its array type, and an array with its element type.</param>
public sealed record CatalogScope(
    ImmutableArray<ScopeName> Relations,
    ImmutableArray<ScopeName> Functions,
    ImmutableArray<ScopeName> Types)
{
    /// <summary>Large objects by OID: a whole read reads none (a database may hold millions), a scoped one these.</summary>
    public ImmutableArray<uint> LargeObjects { get; init; } = [];

    /// <summary>No relation, routine or type: only the objects that are always read whole.</summary>
    public static readonly CatalogScope None = new([], [], []);

    /// <summary>The scope of one named object: by its kind when known, every kind that can carry the name when not.</summary>
    public static CatalogScope ForObject(string? schema, string name, ObjectKind? kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        // A large object's name is its OID (the last word: GRANT's message says "large object large object N").
        if (kind == ObjectKind.LargeObject)
            return uint.TryParse(name.Trim()[(name.Trim().LastIndexOf(' ') + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var oid)
                ? None with { LargeObjects = [oid] } : None;
        ImmutableArray<ScopeName> one = [new ScopeName(schema, name)];
        return kind switch
        {
            ObjectKind.Table or ObjectKind.PartitionedTable or ObjectKind.View or ObjectKind.MaterializedView
                or ObjectKind.ForeignTable or ObjectKind.Sequence or ObjectKind.Column => new(one, [], []),
            ObjectKind.Function or ObjectKind.Procedure or ObjectKind.Aggregate => new([], one, []),
            ObjectKind.Type or ObjectKind.Domain => new([], [], one),
            // Cluster-wide and schema-level objects are always read whole.
            ObjectKind.Schema or ObjectKind.Database or ObjectKind.Language => None,
            _ => new(one, one, one),
        };
    }

    /// <summary>Both scopes' names, each once.</summary>
    public CatalogScope Union(CatalogScope other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Merge(Relations, other.Relations), Merge(Functions, other.Functions), Merge(Types, other.Types))
        {
            LargeObjects = [.. LargeObjects.Concat(other.LargeObjects).Distinct().Order()],
        };
    }

    private static ImmutableArray<ScopeName> Merge(ImmutableArray<ScopeName> a, ImmutableArray<ScopeName> b) =>
        [.. a.Concat(b).Distinct().OrderBy(n => n.Name, StringComparer.Ordinal).ThenBy(n => n.Schema, StringComparer.Ordinal)];
}
