using System.Collections.Immutable;

namespace Pgrant.Core.Diagnosis;

public enum StatementCommand { Insert, Update, Delete, Select, Truncate, CopyFrom, CopyTo, Other }

/// <summary>A name as written in SQL: optional schema, and the object name (folded or quoted as the server would).</summary>
public sealed record QualifiedName(string? Schema, string Name)
{
    public override string ToString() => Schema is null ? Name : Schema + "." + Name;
}

/// <summary>
/// What a DML statement does to its target, as far as privileges are concerned: the command, the
/// target relation, the columns it writes, the identifiers it reads (WHERE, SET expressions,
/// RETURNING, ON CONFLICT), and whether it returns every column.
/// </summary>
public sealed record StatementShape(
    StatementCommand Command,
    QualifiedName? Target,
    ImmutableArray<string> WrittenColumns,
    bool WritesAllColumns,
    ImmutableArray<string> ReadIdentifiers,
    bool Returning,
    bool ReturningAll,
    bool OnConflict,
    bool ForUpdate);
