using System.Collections.Immutable;
using Pgrant.Core.Acl;

namespace Pgrant.Core.Catalog;

/// <summary>
/// Resolves the unqualified names that error messages print, the way the server would for a
/// given role: schemas of its search_path first (pg_catalog implicitly before them, "$user"
/// replaced by the role), then anywhere else. Ambiguity is reported, never guessed away.
/// <paramref name="searchPath"/> is the role's own search_path when it differs from the reading
/// session's (ALTER ROLE … SET search_path); null means the snapshot's.
/// </summary>
internal sealed class NameResolver(CatalogSnapshot snapshot, string? searchPath = null)
{
    /// <summary>Schema OIDs in search order for <paramref name="roleName"/>, from the snapshot's search_path.</summary>
    public ImmutableArray<uint> SearchPathFor(string roleName)
    {
        var result = ImmutableArray.CreateBuilder<uint>();
        var catalog = snapshot.Schemas.FirstOrDefault(s => s.Name == "pg_catalog");
        var names = ParseSearchPath(searchPath ?? snapshot.SearchPath).Select(n => n == "$user" ? roleName : n).ToList();
        if (catalog is not null && !names.Contains("pg_catalog")) result.Add(catalog.Oid);
        foreach (var name in names)
        {
            var schema = snapshot.Schemas.FirstOrDefault(s => s.Name == name);
            if (schema is not null && !result.Contains(schema.Oid)) result.Add(schema.Oid);
        }
        return result.ToImmutable();
    }

    /// <summary>Splits a search_path setting: comma separated, each element bare (folded) or double-quoted.</summary>
    public static IEnumerable<string> ParseSearchPath(string setting)
    {
        foreach (var raw in setting.Split(','))
        {
            var part = raw.Trim();
            if (part.Length == 0) continue;
            if (part.Length >= 2 && part[0] == '"' && part[^1] == '"')
                yield return part[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
            else
                yield return part.ToLowerInvariant();
        }
    }

    /// <summary>
    /// Finds objects named <paramref name="name"/> among <paramref name="candidates"/>. When
    /// <paramref name="schema"/> is given only that schema counts. Otherwise the first search_path
    /// schema holding one wins; with none in the path, a single match elsewhere is taken, several are
    /// returned as ambiguous.
    /// </summary>
    public Resolution<T> Resolve<T>(IEnumerable<T> candidates, Func<T, uint> schemaOf, string name, string? schema, string roleName)
        where T : class
    {
        var matches = candidates.ToList();
        if (schema is not null)
        {
            var inSchema = matches.Where(c => snapshot.SchemaName(schemaOf(c)) == schema).ToImmutableArray();
            return new Resolution<T>(inSchema.Length == 1 ? inSchema[0] : null, inSchema, false);
        }
        foreach (var schemaOid in SearchPathFor(roleName))
        {
            var hit = matches.Where(c => schemaOf(c) == schemaOid).ToList();
            if (hit.Count >= 1)
                return new Resolution<T>(hit.Count == 1 ? hit[0] : null, [.. matches], false);
        }
        return matches.Count == 1
            ? new Resolution<T>(matches[0], [.. matches], false)
            : new Resolution<T>(null, [.. matches], matches.Count > 1);
    }

    /// <summary>Resolves a relation name among the relations of <paramref name="kinds"/>, as <see cref="Resolve"/> does.</summary>
    /// <param name="name">The relation's name, exactly.</param>
    /// <param name="schema">The schema it is qualified with, or null to search.</param>
    /// <param name="roleName">The role whose search_path decides.</param>
    /// <param name="kinds">The relation kinds that may match.</param>
    public Resolution<Relation> Relation(string name, string? schema, string roleName, IReadOnlySet<ObjectKind> kinds) =>
        Resolve(snapshot.Relations.Where(r => r.Name == name && kinds.Contains(r.Kind)), r => r.Schema, name, schema, roleName);

    /// <summary>
    /// Resolves a routine name among the routines of <paramref name="kinds"/>, as <see cref="Resolve"/> does;
    /// overloads in the winning schema are all returned as candidates, and several of them are ambiguous.
    /// </summary>
    /// <param name="name">The routine's name, exactly.</param>
    /// <param name="schema">The schema it is qualified with, or null to search.</param>
    /// <param name="roleName">The role whose search_path decides.</param>
    /// <param name="kinds">The routine kinds that may match.</param>
    public Resolution<Function> Function(string name, string? schema, string roleName, IReadOnlySet<ObjectKind> kinds)
    {
        var all = snapshot.Functions.Where(f => f.Name == name && kinds.Contains(f.Kind)).ToList();
        var r = Resolve(all, f => f.Schema, name, schema, roleName);
        // Overloads in the winning schema are all candidates: the message does not say which one.
        if (r.Object is null && r.Candidates.Length > 1 && !r.Ambiguous)
        {
            var firstSchema = SearchPathFor(roleName).FirstOrDefault(s => all.Any(f => f.Schema == s));
            var overloads = all.Where(f => f.Schema == firstSchema).ToImmutableArray();
            return new Resolution<Function>(null, overloads, overloads.Length > 1);
        }
        return r;
    }

    /// <summary>Resolves a type or domain name, as <see cref="Resolve"/> does.</summary>
    /// <param name="name">The type's name, exactly.</param>
    /// <param name="schema">The schema it is qualified with, or null to search.</param>
    /// <param name="roleName">The role whose search_path decides.</param>
    public Resolution<TypeInfo> Type(string name, string? schema, string roleName) =>
        Resolve(snapshot.Types.Where(t => t.Name == name), t => t.Schema, name, schema, roleName);
}

/// <summary>The object a name resolved to, or the candidates when it did not resolve to exactly one.</summary>
/// <typeparam name="T">The kind of catalog object resolved.</typeparam>
/// <param name="Object">The one object the name means, or null.</param>
/// <param name="Candidates">The objects that matched the name.</param>
/// <param name="Ambiguous">True when the name fits several objects and nothing chose between them: it must be qualified.</param>
internal sealed record Resolution<T>(T? Object, ImmutableArray<T> Candidates, bool Ambiguous) where T : class;
