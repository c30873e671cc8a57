using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Sql;

namespace Pgrant.Spec;

/// <summary>The words of the spec: keys of kinds and targets, and which privileges each kind takes.</summary>
internal static class SpecVocabulary
{
    public static readonly ImmutableSortedDictionary<string, SpecObjectKind> ObjectKinds = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
        new Dictionary<string, SpecObjectKind>
        {
            ["tables"] = SpecObjectKind.Tables,
            ["views"] = SpecObjectKind.Views,
            ["materialized_views"] = SpecObjectKind.MaterializedViews,
            ["partitioned_tables"] = SpecObjectKind.PartitionedTables,
            ["foreign_tables"] = SpecObjectKind.ForeignTables,
            ["sequences"] = SpecObjectKind.Sequences,
            ["functions"] = SpecObjectKind.Functions,
            ["procedures"] = SpecObjectKind.Procedures,
            ["aggregates"] = SpecObjectKind.Aggregates,
            ["types"] = SpecObjectKind.Types,
            ["domains"] = SpecObjectKind.Domains,
            ["languages"] = SpecObjectKind.Languages,
            ["foreign_data_wrappers"] = SpecObjectKind.ForeignDataWrappers,
            ["foreign_servers"] = SpecObjectKind.ForeignServers,
            ["large_objects"] = SpecObjectKind.LargeObjects,
        });

    public static readonly ImmutableSortedDictionary<string, ProfileTarget> ProfileTargets = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
        new Dictionary<string, ProfileTarget>
        {
            ["schema"] = ProfileTarget.Schema,
            ["tables"] = ProfileTarget.Tables,
            ["views"] = ProfileTarget.Views,
            ["materialized_views"] = ProfileTarget.MaterializedViews,
            ["partitioned_tables"] = ProfileTarget.PartitionedTables,
            ["foreign_tables"] = ProfileTarget.ForeignTables,
            ["sequences"] = ProfileTarget.Sequences,
            ["functions"] = ProfileTarget.Functions,
            ["types"] = ProfileTarget.Types,
        });

    public static readonly ImmutableSortedDictionary<string, DefaultObjectType> DefaultTypes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
        new Dictionary<string, DefaultObjectType>
        {
            ["tables"] = DefaultObjectType.Tables,
            ["sequences"] = DefaultObjectType.Sequences,
            ["functions"] = DefaultObjectType.Functions,
            ["types"] = DefaultObjectType.Types,
            ["schemas"] = DefaultObjectType.Schemas,
            ["large_objects"] = DefaultObjectType.LargeObjects,
        });

    public static ObjectKind Kind(SpecObjectKind kind) => kind switch
    {
        SpecObjectKind.Tables => ObjectKind.Table,
        SpecObjectKind.Views => ObjectKind.View,
        SpecObjectKind.MaterializedViews => ObjectKind.MaterializedView,
        SpecObjectKind.PartitionedTables => ObjectKind.PartitionedTable,
        SpecObjectKind.ForeignTables => ObjectKind.ForeignTable,
        SpecObjectKind.Sequences => ObjectKind.Sequence,
        SpecObjectKind.Functions => ObjectKind.Function,
        SpecObjectKind.Procedures => ObjectKind.Procedure,
        SpecObjectKind.Aggregates => ObjectKind.Aggregate,
        SpecObjectKind.Types => ObjectKind.Type,
        SpecObjectKind.Domains => ObjectKind.Domain,
        SpecObjectKind.Languages => ObjectKind.Language,
        SpecObjectKind.ForeignDataWrappers => ObjectKind.ForeignDataWrapper,
        SpecObjectKind.ForeignServers => ObjectKind.ForeignServer,
        SpecObjectKind.LargeObjects => ObjectKind.LargeObject,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ObjectKind Kind(ProfileTarget target) => target switch
    {
        ProfileTarget.Schema => ObjectKind.Schema,
        ProfileTarget.Tables => ObjectKind.Table,
        ProfileTarget.Views => ObjectKind.View,
        ProfileTarget.MaterializedViews => ObjectKind.MaterializedView,
        ProfileTarget.PartitionedTables => ObjectKind.PartitionedTable,
        ProfileTarget.ForeignTables => ObjectKind.ForeignTable,
        ProfileTarget.Sequences => ObjectKind.Sequence,
        ProfileTarget.Functions => ObjectKind.Function,
        ProfileTarget.Types => ObjectKind.Type,
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };

    /// <summary>Schema objects live in a schema (the <c>schema:</c> key); the others do not.</summary>
    public static bool InSchema(SpecObjectKind kind) => kind is not (SpecObjectKind.Languages or SpecObjectKind.ForeignDataWrappers
        or SpecObjectKind.ForeignServers or SpecObjectKind.LargeObjects);

    public static bool IsRelation(SpecObjectKind kind) => kind is SpecObjectKind.Tables or SpecObjectKind.Views
        or SpecObjectKind.MaterializedViews or SpecObjectKind.PartitionedTables or SpecObjectKind.ForeignTables;

    public static bool IsRoutine(SpecObjectKind kind) => kind is SpecObjectKind.Functions or SpecObjectKind.Procedures or SpecObjectKind.Aggregates;

    /// <summary>Every privilege a kind takes on the newest major (a major that lacks one is told at expansion).</summary>
    public static Privilege Allowed(ObjectKind kind) => Privileges.All(kind, 18);

    /// <summary>"a sequence", "a materialized view" …</summary>
    public static string Article(ObjectKind kind) => kind switch
    {
        ObjectKind.Database => "a database",
        ObjectKind.Schema => "a schema",
        ObjectKind.Table => "a table",
        ObjectKind.View => "a view",
        ObjectKind.MaterializedView => "a materialized view",
        ObjectKind.ForeignTable => "a foreign table",
        ObjectKind.PartitionedTable => "a partitioned table",
        ObjectKind.Sequence => "a sequence",
        ObjectKind.Column => "a column",
        ObjectKind.Function => "a function",
        ObjectKind.Procedure => "a procedure",
        ObjectKind.Aggregate => "an aggregate",
        ObjectKind.Type => "a type",
        ObjectKind.Domain => "a domain",
        ObjectKind.Language => "a language",
        ObjectKind.LargeObject => "a large object",
        ObjectKind.ForeignDataWrapper => "a foreign-data wrapper",
        ObjectKind.ForeignServer => "a foreign server",
        _ => "an object",
    };

    /// <summary>"USAGE, SELECT, UPDATE or ALL": what a kind takes.</summary>
    public static string Expected(ObjectKind kind) =>
        string.Join(", ", Privileges.Split(Allowed(kind)).Select(Privileges.SqlName)) + " or ALL";

    /// <summary>The privilege a spec word names (capitals, as GRANT spells it), or null.</summary>
    public static Privilege? Parse(string word) => word switch
    {
        "SELECT" => Privilege.Select,
        "INSERT" => Privilege.Insert,
        "UPDATE" => Privilege.Update,
        "DELETE" => Privilege.Delete,
        "TRUNCATE" => Privilege.Truncate,
        "REFERENCES" => Privilege.References,
        "TRIGGER" => Privilege.Trigger,
        "MAINTAIN" => Privilege.Maintain,
        "EXECUTE" => Privilege.Execute,
        "USAGE" => Privilege.Usage,
        "CREATE" => Privilege.Create,
        "TEMPORARY" => Privilege.Temporary,
        "CONNECT" => Privilege.Connect,
        _ => null,
    };
}
