using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// One privilege a statement needs: on a relation (table-level when <see cref="Columns"/> is empty,
/// else on those columns) or a sequence operation, with the reason in plain words.
/// </summary>
/// <param name="Object">The relation (table, view or sequence) the privilege is needed on.</param>
/// <param name="Privilege">The privilege needed.</param>
/// <param name="Columns">The columns it is needed on; empty for the whole relation.</param>
/// <param name="SequenceOperation">The sequence function called, for a need on a sequence; else null.</param>
/// <param name="Reason">Why the statement needs it, in words.</param>
internal sealed record Need(Relation Object, Privilege Privilege, ImmutableArray<Column> Columns, SequenceOperation? SequenceOperation, string Reason)
{
    /// <summary>Other privileges any one of which also meets the need (LOCK TABLE's modes); None when only <see cref="Privilege"/> does.</summary>
    public Privilege AnyOf { get; init; }
}

/// <summary>
/// What a DML statement needs, following the server's rules (docs/postgres-privileges.md, "Column
/// privileges and what each statement needs"): INSERT on the written columns, sequence USAGE for
/// serial defaults that fire, SELECT on columns read by WHERE / SET expressions / RETURNING.
/// </summary>
internal static class StatementNeeds
{
    /// <summary>The privileges <paramref name="shape"/> needs on <paramref name="table"/> and the sequences its defaults call.</summary>
    /// <param name="shape">The statement, as <see cref="StatementAnalyzer"/> read it.</param>
    /// <param name="table">The statement's target relation, resolved.</param>
    /// <param name="snapshot">The catalog the relation and its sequences come from.</param>
    public static ImmutableArray<Need> Of(StatementShape shape, Relation table, CatalogSnapshot snapshot)
    {
        var needs = ImmutableArray.CreateBuilder<Need>();
        var byName = table.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        ImmutableArray<Column> Cols(IEnumerable<string> names) =>
            [.. names.Distinct(StringComparer.Ordinal).Where(byName.ContainsKey).Select(n => byName[n]).OrderBy(c => c.Number)];
        var reads = Cols(shape.ReadIdentifiers);

        switch (shape.Command)
        {
            case StatementCommand.Insert or StatementCommand.CopyFrom:
                var written = shape.WritesAllColumns ? ImmutableArray<Column>.Empty : Cols(shape.WrittenColumns);
                needs.Add(new Need(table, Privilege.Insert, written, null,
                    written.IsEmpty ? "INSERT writes the table's columns" : $"INSERT writes column{Plural(written)} {Names(written)}"));
                if (!shape.WritesAllColumns)
                {
                    var writtenSet = written.Select(c => c.Number).ToHashSet();
                    foreach (var seq in snapshot.Sequences)
                    {
                        foreach (var use in seq.UsedByDefaults)
                        {
                            if (use.Relation != table.Oid || writtenSet.Contains(use.Column)) continue;
                            var seqRel = snapshot.RelationByOid(seq.Oid);
                            var col = table.ColumnByNumber(use.Column);
                            if (seqRel is null || col is null) continue;
                            needs.Add(new Need(seqRel, Privilege.Usage, [], SequenceOperation.Nextval,
                                $"the default of column {col.Name} calls nextval() when the INSERT leaves it out"));
                        }
                    }
                }
                AddReads(needs, table, shape, reads, shape.Command == StatementCommand.Insert ? "RETURNING / ON CONFLICT reads" : null);
                break;
            case StatementCommand.Update:
                var set = Cols(shape.WrittenColumns);
                needs.Add(new Need(table, Privilege.Update, set, null, set.IsEmpty ? "UPDATE writes the table" : $"UPDATE sets {Names(set)}"));
                AddReads(needs, table, shape, reads, "SET expressions, WHERE and RETURNING read");
                break;
            case StatementCommand.Delete:
                needs.Add(new Need(table, Privilege.Delete, [], null, "DELETE removes rows"));
                AddReads(needs, table, shape, reads, "WHERE and RETURNING read");
                break;
            case StatementCommand.Select or StatementCommand.CopyTo:
                var selected = shape.ReturningAll || reads.IsEmpty ? ImmutableArray<Column>.Empty : reads;
                needs.Add(new Need(table, Privilege.Select, selected, null,
                    selected.IsEmpty ? "the query reads every column" : $"the query reads {Names(selected)}"));
                if (shape.ForUpdate)
                    needs.Add(new Need(table, Privilege.Update, [], null, "FOR UPDATE / FOR SHARE locks rows, which needs UPDATE"));
                break;
            case StatementCommand.Truncate:
                needs.Add(new Need(table, Privilege.Truncate, [], null, "TRUNCATE empties the table"));
                break;
            case StatementCommand.Lock when shape.Lock is { } mode:
                var major = snapshot.Version.Major;
                var any = TableLocks.Allowing(mode, major);
                needs.Add(new Need(table, TableLocks.Least(mode, major), [], null,
                    $"LOCK TABLE … IN {TableLocks.Sql(mode)} MODE needs one of {SqlWriter.PrivilegeList(any)} on PostgreSQL {major}") { AnyOf = any });
                break;
        }
        return needs.ToImmutable();
    }

    private static void AddReads(ImmutableArray<Need>.Builder needs, Relation table, StatementShape shape, ImmutableArray<Column> reads, string? why)
    {
        if (shape.ReturningAll)
            needs.Add(new Need(table, Privilege.Select, [], null, "RETURNING * reads every column back"));
        else if (!reads.IsEmpty)
            needs.Add(new Need(table, Privilege.Select, reads, null, $"{why} {Names(reads)}"));
    }

    private static string Names(ImmutableArray<Column> cols) => string.Join(", ", cols.Select(c => c.Name));
    private static string Plural(ImmutableArray<Column> cols) => cols.Length == 1 ? "" : "s";
}
