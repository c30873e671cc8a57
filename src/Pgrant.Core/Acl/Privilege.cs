namespace Pgrant.Core.Acl;

/// <summary>
/// Privilege bits, in the same order as the server's ACL_* bits (utils/acl.h), so that
/// the letters print in the server's order: arwdDxtXUCTcsAm.
/// </summary>
[Flags]
public enum Privilege : ushort
{
    None = 0,
    Insert = 1 << 0,       // a
    Select = 1 << 1,       // r
    Update = 1 << 2,       // w
    Delete = 1 << 3,       // d
    Truncate = 1 << 4,     // D
    References = 1 << 5,   // x
    Trigger = 1 << 6,      // t
    Execute = 1 << 7,      // X
    Usage = 1 << 8,        // U
    Create = 1 << 9,       // C
    Temporary = 1 << 10,   // T
    Connect = 1 << 11,     // c
    Set = 1 << 12,         // s (15+)
    AlterSystem = 1 << 13, // A (15+)
    Maintain = 1 << 14,    // m (17+)
}

/// <summary>The kinds of object that carry an ACL (and a few that only appear in messages).</summary>
public enum ObjectKind
{
    Database,
    Schema,
    Table,
    View,
    MaterializedView,
    ForeignTable,
    PartitionedTable,
    Sequence,
    Column,
    Function,
    Procedure,
    Aggregate,
    Type,
    Domain,
    Language,
    LargeObject,
    Tablespace,
    ForeignDataWrapper,
    ForeignServer,
    Parameter,
    /// <summary>A role: not a securable with an ACL, but what some findings and statements are about.</summary>
    Role,
}
