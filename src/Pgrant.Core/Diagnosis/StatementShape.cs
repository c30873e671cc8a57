using System.Collections.Immutable;

namespace Pgrant.Core.Diagnosis;

/// <summary>The command of a statement, as far as its privileges differ.</summary>
internal enum StatementCommand
{
    /// <summary>INSERT: INSERT on the written columns (and SELECT on what it reads).</summary>
    Insert,
    /// <summary>UPDATE: UPDATE on the assigned columns, SELECT on the columns it reads.</summary>
    Update,
    /// <summary>DELETE: DELETE on the table, SELECT on the columns it reads.</summary>
    Delete,
    /// <summary>SELECT: SELECT on the columns it reads (UPDATE too with FOR UPDATE/SHARE).</summary>
    Select,
    /// <summary>TRUNCATE: TRUNCATE on the table.</summary>
    Truncate,
    /// <summary>COPY … FROM: loads rows, so INSERT on the columns.</summary>
    CopyFrom,
    /// <summary>COPY … TO: dumps rows, so SELECT on the columns.</summary>
    CopyTo,
    /// <summary>LOCK TABLE: a privilege that depends on the mode (<see cref="StatementShape.Lock"/>) and the major.</summary>
    Lock,
    /// <summary>Any other statement (or one that starts with WITH): not analysed.</summary>
    Other,
}

/// <summary>A name as written in SQL: optional schema, and the object name (folded or quoted as the server would).</summary>
/// <param name="Schema">The schema it is qualified with, or null.</param>
/// <param name="Name">The object's name.</param>
internal sealed record QualifiedName(string? Schema, string Name)
{
    /// <summary><c>schema.name</c> or <c>name</c>, without quoting.</summary>
    public override string ToString() => Schema is null ? Name : Schema + "." + Name;
}

/// <summary>
/// What a DML statement does to its target, as far as privileges are concerned: the command, the
/// target relation, the columns it writes, the identifiers it reads (WHERE, SET expressions,
/// RETURNING, ON CONFLICT), and whether it returns every column.
/// </summary>
/// <param name="Command">What the statement does.</param>
/// <param name="Target">The relation it acts on, or null when none was found.</param>
/// <param name="WrittenColumns">The columns it writes (INSERT's column list, UPDATE's SET targets, COPY FROM's list).</param>
/// <param name="WritesAllColumns">True when it writes every column (INSERT or COPY FROM without a column list).</param>
/// <param name="ReadIdentifiers">The identifiers its expressions mention: candidate column names it reads.</param>
/// <param name="Returning">An INSERT, UPDATE or DELETE with RETURNING; for SELECT and COPY TO, the same as <paramref name="ReturningAll"/>.</param>
/// <param name="ReturningAll">It reads back every column: RETURNING *, SELECT *, or COPY TO without a column list.</param>
/// <param name="OnConflict">An INSERT with ON CONFLICT, whose conflict target and DO UPDATE read columns.</param>
/// <param name="ForUpdate">A SELECT with a locking clause (FOR UPDATE, FOR SHARE …), which needs UPDATE.</param>
internal sealed record StatementShape(
    StatementCommand Command,
    QualifiedName? Target,
    ImmutableArray<string> WrittenColumns,
    bool WritesAllColumns,
    ImmutableArray<string> ReadIdentifiers,
    bool Returning,
    bool ReturningAll,
    bool OnConflict,
    bool ForUpdate)
{
    /// <summary>For LOCK TABLE, the mode it takes; else null.</summary>
    public Access.TableLockMode? Lock { get; init; }
}
