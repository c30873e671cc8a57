namespace Pgrant.Core.Acl;

/// <summary>
/// Privilege bits, in the same order as the server's ACL_* bits (utils/acl.h), so that
/// the letters print in the server's order: arwdDxtXUCTcsAm.
/// </summary>
[Flags]
public enum Privilege : ushort
{
    /// <summary>No privilege.</summary>
    None = 0,
    /// <summary>INSERT (a): add rows to a table, or values to the granted columns.</summary>
    Insert = 1 << 0,       // a
    /// <summary>SELECT (r): read a table, view or column; on a sequence, currval and lastval; on a large object, read it.</summary>
    Select = 1 << 1,       // r
    /// <summary>UPDATE (w): change rows or the granted columns; on a sequence, nextval and setval; on a large object, write it.</summary>
    Update = 1 << 2,       // w
    /// <summary>DELETE (d): remove rows from a table.</summary>
    Delete = 1 << 3,       // d
    /// <summary>TRUNCATE (D): empty a table at once.</summary>
    Truncate = 1 << 4,     // D
    /// <summary>REFERENCES (x): create a foreign key that refers to the table or column.</summary>
    References = 1 << 5,   // x
    /// <summary>TRIGGER (t): create a trigger on the table.</summary>
    Trigger = 1 << 6,      // t
    /// <summary>EXECUTE (X): call a function or procedure.</summary>
    Execute = 1 << 7,      // X
    /// <summary>USAGE (U): look up objects in a schema; use a sequence (currval, nextval), a type, a language, a foreign-data wrapper or server.</summary>
    Usage = 1 << 8,        // U
    /// <summary>CREATE (C): create schemas in a database, objects in a schema, or objects in a tablespace.</summary>
    Create = 1 << 9,       // C
    /// <summary>TEMPORARY (T): create temporary tables in a database.</summary>
    Temporary = 1 << 10,   // T
    /// <summary>CONNECT (c): connect to a database.</summary>
    Connect = 1 << 11,     // c
    /// <summary>SET (s, 15+): set a configuration parameter in a session.</summary>
    Set = 1 << 12,         // s (15+)
    /// <summary>ALTER SYSTEM (A, 15+): set a configuration parameter with ALTER SYSTEM.</summary>
    AlterSystem = 1 << 13, // A (15+)
    /// <summary>MAINTAIN (m, 17+): VACUUM, ANALYZE, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW and LOCK TABLE on a relation.</summary>
    Maintain = 1 << 14,    // m (17+)
}

/// <summary>The kinds of object that carry an ACL (and a few that only appear in messages).</summary>
public enum ObjectKind
{
    /// <summary>A database (pg_database).</summary>
    Database,
    /// <summary>A schema (pg_namespace).</summary>
    Schema,
    /// <summary>An ordinary table (relkind r).</summary>
    Table,
    /// <summary>A view (relkind v).</summary>
    View,
    /// <summary>A materialized view (relkind m).</summary>
    MaterializedView,
    /// <summary>A foreign table (relkind f).</summary>
    ForeignTable,
    /// <summary>A partitioned table (relkind p).</summary>
    PartitionedTable,
    /// <summary>A sequence (relkind S).</summary>
    Sequence,
    /// <summary>A column of a table or view: its own ACL in pg_attribute.attacl.</summary>
    Column,
    /// <summary>A function (prokind f; also window functions, prokind w).</summary>
    Function,
    /// <summary>A procedure (prokind p).</summary>
    Procedure,
    /// <summary>An aggregate function (prokind a).</summary>
    Aggregate,
    /// <summary>A type (pg_type), other than a domain.</summary>
    Type,
    /// <summary>A domain: a type with constraints (typtype d).</summary>
    Domain,
    /// <summary>A procedural language (pg_language).</summary>
    Language,
    /// <summary>A large object (pg_largeobject_metadata).</summary>
    LargeObject,
    /// <summary>A tablespace (pg_tablespace).</summary>
    Tablespace,
    /// <summary>A foreign-data wrapper (pg_foreign_data_wrapper).</summary>
    ForeignDataWrapper,
    /// <summary>A foreign server (pg_foreign_server).</summary>
    ForeignServer,
    /// <summary>A configuration parameter with its own ACL (pg_parameter_acl, 15+).</summary>
    Parameter,
    /// <summary>A role: not a securable with an ACL, but what some findings and statements are about.</summary>
    Role,
}
