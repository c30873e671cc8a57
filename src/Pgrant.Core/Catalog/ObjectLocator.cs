using System.Collections.Frozen;
using System.Collections.Immutable;
using Pgrant.Core.Acl;

namespace Pgrant.Core.Catalog;

/// <summary>
/// Finds the one object an <see cref="ObjectReference"/> names in a snapshot. Unqualified names
/// follow the search_path (<see cref="NameResolver"/>). Without a kind, every kind that fits the
/// written form is looked at; when several objects answer, the ones the privilege applies to are
/// kept; still several → an error that asks for --kind. Failures are <see cref="PgrantException"/>s (exit 2).
/// </summary>
internal sealed class ObjectLocator(CatalogSnapshot snapshot)
{
    private static readonly FrozenSet<ObjectKind> TableLike = new[]
    {
        ObjectKind.Table, ObjectKind.View, ObjectKind.MaterializedView, ObjectKind.ForeignTable, ObjectKind.PartitionedTable,
    }.ToFrozenSet();

    private static readonly FrozenSet<ObjectKind> Routines = new[] { ObjectKind.Function, ObjectKind.Procedure, ObjectKind.Aggregate }.ToFrozenSet();

    // Relations a column name may be looked for in: the table-like ones, and sequences to say their columns are not read.
    private static readonly FrozenSet<ObjectKind> WithColumns = TableLike.Append(ObjectKind.Sequence).ToFrozenSet();

    private const string SupportedKinds =
        "table, view, materialized view, foreign table, partitioned table, sequence, column, schema, database, function, procedure, aggregate, routine, type, domain, language, large object";

    private readonly NameResolver _names = new(snapshot);

    /// <summary>
    /// The kinds a --kind word selects: "table" means every table-like relation (as GRANT … ON TABLE),
    /// "function" includes aggregates, "routine" every routine, "type" includes domains.
    /// </summary>
    public static IReadOnlySet<ObjectKind> KindsFor(string word)
    {
        var normalized = word.Trim().ToLowerInvariant();
        if (normalized == "routine") return Routines;
        var kind = KindWords.Parse(word) ?? throw new PgrantException(
            $"unknown kind '{word}'",
            "expected one of: " + SupportedKinds);
        return kind switch
        {
            ObjectKind.Table => TableLike,
            ObjectKind.Function => new[] { ObjectKind.Function, ObjectKind.Aggregate }.ToFrozenSet(),
            ObjectKind.Type => new[] { ObjectKind.Type, ObjectKind.Domain }.ToFrozenSet(),
            ObjectKind.Database or ObjectKind.Schema or ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable
                or ObjectKind.PartitionedTable or ObjectKind.Sequence or ObjectKind.Column or ObjectKind.Procedure
                or ObjectKind.Aggregate or ObjectKind.Domain or ObjectKind.Language or ObjectKind.LargeObject => new[] { kind }.ToFrozenSet(),
            _ => throw new PgrantException($"who-can and can do not look at {KindWords.Plural(kind)}",
                "supported kinds: " + SupportedKinds),
        };
    }

    /// <summary>
    /// Resolves <paramref name="reference"/>. <paramref name="kinds"/> null = any kind;
    /// <paramref name="fits"/> tells whether the privilege asked about exists for a candidate
    /// (used to break ties only; the caller validates the winner).
    /// </summary>
    public ObjectTarget Locate(ObjectReference reference, IReadOnlySet<ObjectKind>? kinds, Func<ObjectTarget, bool> fits, string roleName)
    {
        var found = Candidates(reference, kinds, roleName).Distinct().ToList();
        if (found.Count > 1)
        {
            var fitting = found.Where(fits).ToList();
            if (fitting.Count >= 1) found = fitting;
        }
        // A table and its own row type share the name: when the privilege picks neither, the table is meant
        // (the row type is named only for a type privilege, or with --kind type).
        if (found.Count > 1)
            found.RemoveAll(t => t.Object is TypeInfo { RowTypeOf: not 0 } row && found.Any(o => o.Column is null && o.Object.Oid == row.RowTypeOf && o.Object is Relation));
        if (found.Count == 1) return found[0];
        if (found.Count == 0 && reference.LargeObject is { } oid)
            throw new PgrantException($"large object {oid} does not exist in database {snapshot.CurrentDatabase}",
                "large objects belong to one database: connect to the one that holds it (SELECT oid FROM pg_largeobject_metadata lists them)");
        if (found.Count == 0)
            throw new PgrantException($"no {Describe(kinds)} named {reference} in database {snapshot.CurrentDatabase}",
                "names are case-sensitive when quoted; qualify with the schema (schema.name), give functions their argument types (f(integer)), name a column as table(column) or schema.table.column, an array type as type[]");
        throw new AmbiguousObjectException(reference.ToString(), [.. found.Select(t => $"{KindWords.Singular(t.Kind)} {t.Name(snapshot)}")]);
    }

    private IEnumerable<ObjectTarget> Candidates(ObjectReference r, IReadOnlySet<ObjectKind>? kinds, string roleName)
    {
        bool Wants(ObjectKind k) => kinds is null || kinds.Contains(k);
        if (r.LargeObject is { } oid)
        {
            if (Wants(ObjectKind.LargeObject) && snapshot.LargeObjectByOid(oid) is { } largeObject)
                yield return new ObjectTarget(largeObject, null);
            yield break;
        }
        if (r.Array)
        {
            if (Wants(ObjectKind.Type) && ArrayOf(r, roleName) is { } array) yield return new ObjectTarget(array, null);
            yield break;
        }
        if (r.Member is not null)
        {
            if (Wants(ObjectKind.Column) && Column(r.Schema, r.Name, r.Member, r, roleName, kinds) is { } target) yield return target;
            yield break;
        }
        var relationKinds = snapshot.Relations.Select(x => x.Kind).Where(Wants).ToHashSet();
        if (r.Parenthesized is { } items)
        {
            if (Wants(ObjectKind.Column) && items.Length == 1 && ColumnName(items[0]) is { } columnName
                && Column(r.Schema, r.Name, columnName, r, roleName, kinds) is { } target)
                yield return target;
            foreach (var f in Functions(r, kinds, roleName, items)) yield return f;
            yield break;
        }
        // table.column, when a table of that name has the column (schema.name is looked at too).
        if (r.Schema is not null && Wants(ObjectKind.Column)
            && Single(_names.Relation(r.Schema, null, roleName, WithColumns), r) is { } owner
            && FindColumn(owner, r.Name) is { } dotted)
            yield return new ObjectTarget(owner, dotted);
        if (relationKinds.Count > 0 && Single(_names.Relation(r.Name, r.Schema, roleName, relationKinds), r) is { } relation)
            yield return new ObjectTarget(relation, null);
        foreach (var f in Functions(r, kinds, roleName, null)) yield return f;
        if ((Wants(ObjectKind.Type) || Wants(ObjectKind.Domain))
            && Single(_names.Resolve(snapshot.Types.Where(t => t.Name == r.Name && Wants(t.Kind)), t => t.Schema, r.Name, r.Schema, roleName), r) is { } type)
            yield return new ObjectTarget(type, null);
        if (r.Schema is not null) yield break;
        if (Wants(ObjectKind.Schema) && snapshot.Schemas.FirstOrDefault(s => s.Name == r.Name) is { } schema)
            yield return new ObjectTarget(schema, null);
        if (Wants(ObjectKind.Database) && snapshot.Databases.FirstOrDefault(d => d.Name == r.Name) is { } database)
            yield return new ObjectTarget(database, null);
        if (Wants(ObjectKind.Language) && snapshot.Languages.FirstOrDefault(l => l.Name == r.Name) is { } language)
            yield return new ObjectTarget(language, null);
    }

    // The column (user or system) of a table; a missing column is an error only when nothing but a column was asked for.
    private ObjectTarget? Column(string? schema, string tableName, string columnName, ObjectReference r, string roleName, IReadOnlySet<ObjectKind>? kinds)
    {
        var table = Single(_names.Relation(tableName, schema, roleName, WithColumns), r);
        if (table is null) return null;
        if (table.Kind == ObjectKind.Sequence)
            throw new PgrantException($"pgrant does not answer for the columns of a sequence ({Access.ObjectNames.Name(snapshot, table)})",
                "ask about the sequence itself: SELECT, USAGE or UPDATE, or nextval / currval / setval");
        if (FindColumn(table, columnName) is { } column) return new ObjectTarget(table, column);
        if (kinds is not null && kinds.SetEquals([ObjectKind.Column]) || r.Member is not null)
            throw new PgrantException($"{KindWords.Singular(table.Kind)} {Access.ObjectNames.Name(snapshot, table)} has no column \"{columnName}\"",
                "column names are case-sensitive when quoted; the system columns are ctid, xmin, cmin, xmax, cmax and tableoid (a view has none)");
        return null;
    }

    // A user column, else a system column (their names are reserved: no user column can take one).
    private static Column? FindColumn(Relation table, string name) =>
        table.Columns.FirstOrDefault(c => c.Name == name) ?? table.SystemColumn(name);

    // name[]: the array type of the type (or domain) the name resolves to.
    private TypeInfo? ArrayOf(ObjectReference r, string roleName)
    {
        var element = Single(_names.Resolve(snapshot.Types.Where(t => t.Name == r.Name), t => t.Schema, r.Name, r.Schema, roleName), r);
        if (element is null) return null;
        if (element.ArrayType != 0 && snapshot.TypeByOid(element.ArrayType) is { } array) return array;
        throw new PgrantException($"{KindWords.Singular(element.Kind)} {Access.ObjectNames.Name(snapshot, element)} has no array type",
            "name the type itself, without []");
    }

    private IEnumerable<ObjectTarget> Functions(ObjectReference r, IReadOnlySet<ObjectKind>? kinds, string roleName, ImmutableArray<string>? arguments)
    {
        var routineKinds = Routines.Where(k => kinds is null || kinds.Contains(k)).ToHashSet();
        if (routineKinds.Count == 0) return [];
        var named = snapshot.Functions.Where(f => f.Name == r.Name && routineKinds.Contains(f.Kind));
        if (arguments is { } args) named = named.Where(f => ArgumentTypes.Matches(args, f.IdentityArguments));
        var resolution = _names.Resolve(named, f => f.Schema, r.Name, r.Schema, roleName);
        if (resolution.Object is not null) return [new ObjectTarget(resolution.Object, null)];
        if (resolution.Candidates.Length <= 1) return [];
        // Overloads: the search_path's first schema holding the name decides which ones count.
        var schema = r.Schema is not null ? resolution.Candidates[0].Schema
            : _names.SearchPathFor(roleName).Cast<uint?>().FirstOrDefault(s => resolution.Candidates.Any(f => f.Schema == s));
        var pool = schema is null ? resolution.Candidates : [.. resolution.Candidates.Where(f => f.Schema == schema)];
        return pool.Select(f => new ObjectTarget(f, null));
    }

    private static T? Single<T>(Resolution<T> resolution, ObjectReference r) where T : class
    {
        if (resolution.Object is not null) return resolution.Object;
        if (resolution.Ambiguous)
            throw new PgrantException($"{r} is ambiguous: it exists in several schemas outside the search_path",
                "qualify it with the schema: schema.name");
        return null;
    }

    // The column inside table(col): one identifier, quoted or bare; anything else is not a column.
    private static string? ColumnName(string item)
    {
        var pos = 0;
        try
        {
            var name = ObjectReference.ReadIdentifier(item, ref pos);
            return pos == item.Length ? name : null;
        }
        catch (PgrantException)
        {
            return null;
        }
    }

    private static string Describe(IReadOnlySet<ObjectKind>? kinds) =>
        kinds is null ? "object" : string.Join(" or ", kinds.Select(KindWords.Singular));
}
