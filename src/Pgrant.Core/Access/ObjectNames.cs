using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Access;

/// <summary>How objects are named in explanations: kind word and schema-qualified name.</summary>
internal static class ObjectNames
{
    /// <summary>The kind as a word people read: "table", "materialized view", "function" …</summary>
    public static string KindWord(ObjectKind kind) => KindWords.Singular(kind);

    /// <summary>The object's name as written in SQL (schema-qualified where it has a schema; functions with their arguments).</summary>
    public static string Name(CatalogSnapshot snapshot, ISecurable obj) => obj switch
    {
        Relation r => $"{snapshot.SchemaName(r.Schema)}.{r.Name}",
        Function f => $"{snapshot.SchemaName(f.Schema)}.{f.Name}({f.IdentityArguments})",
        TypeInfo t => $"{snapshot.SchemaName(t.Schema)}.{t.Name}",
        Schema s => s.Name,
        Database d => d.Name,
        Language l => l.Name,
        _ => obj.Oid.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
