namespace Pgrant.Core.Acl;

/// <summary>What one privilege lets its holder do, in plain words, per object kind.</summary>
internal static class PrivilegeMeaning
{
    /// <summary>
    /// The meaning of <paramref name="single"/> on <paramref name="kind"/>; without a kind, the
    /// meaning on every kind that has it (CREATE on a database is not CREATE on a schema).
    /// </summary>
    public static string Of(Privilege single, ObjectKind? kind)
    {
        if (kind is null) return Generic(single);
        var k = kind.Value;
        if ((Privileges.All(k, AclValidation.NewestMajor) & single) == 0)
            return $"nothing: {Privileges.SqlName(single)} is not a privilege of {KindWords.Plural(k)}";
        return (single, k) switch
        {
            (Privilege.Insert, ObjectKind.Column) => "name this column in INSERT (and COPY FROM)",
            (Privilege.Insert, _) => "add rows (INSERT, COPY FROM)",
            (Privilege.Select, ObjectKind.Column) => "read this column (SELECT, RETURNING, WHERE clauses)",
            (Privilege.Select, ObjectKind.Sequence) => "read the sequence (SELECT … FROM it) and call currval()/lastval()",
            (Privilege.Select, ObjectKind.LargeObject) => "read the large object",
            (Privilege.Select, _) => "read rows (SELECT, COPY TO; also needed for RETURNING and for columns read in WHERE of UPDATE/DELETE)",
            (Privilege.Update, ObjectKind.Column) => "set this column in UPDATE (and ON CONFLICT DO UPDATE)",
            (Privilege.Update, ObjectKind.Sequence) => "call nextval() and setval()",
            (Privilege.Update, ObjectKind.LargeObject) => "write or truncate the large object",
            (Privilege.Update, _) => "change rows (UPDATE, SELECT … FOR UPDATE/SHARE)",
            (Privilege.Delete, _) => "remove rows (DELETE)",
            (Privilege.Truncate, _) => "empty the table at once (TRUNCATE)",
            (Privilege.References, ObjectKind.Column) => "reference this column from a foreign key",
            (Privilege.References, _) => "create foreign keys that reference this table",
            (Privilege.Trigger, _) => "create triggers on the table",
            (Privilege.Maintain, _) => "run VACUUM, ANALYZE, CLUSTER, REFRESH MATERIALIZED VIEW, REINDEX and LOCK TABLE",
            (Privilege.Execute, ObjectKind.Procedure) => "run the procedure (CALL)",
            (Privilege.Execute, _) => "call the function",
            (Privilege.Usage, ObjectKind.Schema) => "look up objects in the schema (without it nothing inside can be reached by name, whatever its own grants)",
            (Privilege.Usage, ObjectKind.Sequence) => "call nextval() and currval() (what a serial column's default needs)",
            (Privilege.Usage, ObjectKind.Type or ObjectKind.Domain) => "use the type in tables, functions and casts",
            (Privilege.Usage, ObjectKind.Language) => "create functions in the language",
            (Privilege.Usage, ObjectKind.ForeignDataWrapper) => "create foreign servers that use the wrapper",
            (Privilege.Usage, ObjectKind.ForeignServer) => "create foreign tables and user mappings on the server",
            (Privilege.Create, ObjectKind.Database) => "create schemas (and publications, trusted extensions) in the database",
            (Privilege.Create, ObjectKind.Schema) => "create objects in the schema (and rename own objects in it)",
            (Privilege.Create, ObjectKind.Tablespace) => "place tables, indexes and databases in the tablespace",
            (Privilege.Temporary, _) => "create temporary tables while connected to the database",
            (Privilege.Connect, _) => "connect to the database (checked after pg_hba.conf)",
            (Privilege.Set, _) => "set the parameter in a session (SET), though it is superuser-only",
            (Privilege.AlterSystem, _) => "change the parameter with ALTER SYSTEM",
            _ => Privileges.SqlName(single),
        };
    }

    private static string Generic(Privilege single) => single switch
    {
        Privilege.Insert => "add rows to a table (or name a column in INSERT)",
        Privilege.Select => "read a table, column or sequence (currval), or a large object",
        Privilege.Update => "change rows or a column; on a sequence, call nextval()/setval()",
        Privilege.Delete => "remove rows from a table",
        Privilege.Truncate => "empty a table (TRUNCATE)",
        Privilege.References => "create foreign keys referencing a table or column",
        Privilege.Trigger => "create triggers on a table",
        Privilege.Execute => "call a function or procedure",
        Privilege.Usage => "on a schema: look up objects in it; on a sequence: nextval()/currval(); on a type, domain, language, FDW or server: use it",
        Privilege.Create => "on a database: create schemas; on a schema: create objects in it; on a tablespace: place objects in it",
        Privilege.Temporary => "create temporary tables in a database",
        Privilege.Connect => "connect to a database",
        Privilege.Set => "set a superuser-only parameter (15+)",
        Privilege.AlterSystem => "change a parameter with ALTER SYSTEM (15+)",
        Privilege.Maintain => "VACUUM, ANALYZE, CLUSTER, REFRESH, REINDEX, LOCK a table (17+)",
        _ => throw new ArgumentOutOfRangeException(nameof(single), single, "not a single privilege"),
    };
}
