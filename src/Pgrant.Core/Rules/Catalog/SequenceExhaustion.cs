using Pgrant.Core.Sql;
using System.Collections.Immutable;
using System.Globalization;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR010: a sequence that has used 75% (warning) or 90% (error) of its range. The limit is the
/// tighter of the sequence's own MAXVALUE (MINVALUE when it descends) and the range of every integer
/// column whose default or identity draws from it: a bigint sequence behind an integer column fails
/// at 2^31-1 with "integer out of range". A CYCLE sequence is skipped when its own bound is the limit
/// (it wraps by design). Sequences whose last_value could not be read make one info finding that
/// names them: their state is unknown, not fine.
/// </summary>
public sealed class SequenceExhaustion : IAuditRule
{
    /// <summary>PGR010 (sequence-exhaustion): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR010", "sequence-exhaustion", Severity.Warning,
        "Sequence close to the end of its range (or its column's)",
        "When a sequence (or the integer column it feeds) runs out, every INSERT fails; widening a column rewrites the table under an exclusive lock, so it is done before, not during, the outage.");

    /// <summary>The share of its range (or its column's) a sequence has used from which it is reported as a warning: 75%.</summary>
    public const double WarningAt = 0.75;

    /// <summary>The share used from which it is reported as an error: 90%.</summary>
    public const double ErrorAt = 0.90;

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var unknown = new List<Relation>();
        foreach (var rel in context.Relations)
        {
            if (rel.Kind != ObjectKind.Sequence || context.Snapshot.SequenceByOid(rel.Oid) is not { } seq) continue;
            if (!seq.LastValueRead) { unknown.Add(rel); continue; }
            if (seq.LastValue is not { } last || seq.Increment == 0) continue;   // never called: nothing used
            var finding = Judge(context, rel, seq, last);
            if (finding is not null) yield return finding;
        }
        if (unknown.Count > 0) yield return Unknown(context, unknown);
    }

    private static Finding? Judge(AuditContext context, Relation rel, Sequence seq, long last)
    {
        var ascending = seq.Increment > 0;
        var columns = Columns(context.Snapshot, seq);
        // The binding limit: the sequence's own bound, or a narrower column's.
        var limit = ascending ? seq.Max : seq.Min;
        var narrow = new List<(Relation Table, Column Column)>();
        foreach (var (table, column) in columns)
        {
            if (Range(column.TypeName) is not { } range) continue;
            var bound = ascending ? range.Max : range.Min;
            if (ascending ? bound < limit : bound > limit) limit = bound;
            if (range.Max < long.MaxValue) narrow.Add((table, column));
        }
        var ownLimit = limit == (ascending ? seq.Max : seq.Min);
        if (seq.Cycle && ownLimit) return null;
        var origin = ascending ? seq.Min : seq.Max;
        var span = Math.Abs((double)limit - origin);
        if (span <= 0) return null;
        var used = Math.Abs((double)last - origin) / span;
        if (used < WarningAt) return null;
        var severity = used >= ErrorAt ? Severity.Error : Severity.Warning;
        var name = context.Display(rel);
        var left = Math.Floor(Math.Abs(((decimal)limit - last) / seq.Increment));
        var whose = ownLimit ? $"its {(ascending ? "MAXVALUE" : "MINVALUE")}" : "the range of the column it feeds";
        var (fix, notes) = Fix(context, rel, seq, narrow, ownLimit, ascending);
        return context.At(Rule, rel, null,
            $"sequence {name} has used {Percent(used)} of its range: last value {Num(last)}, limit {Num(limit)} ({whose}); " +
            $"{Num(left)} more values, then every INSERT that draws from it fails.",
            fix, severity, notes);
    }

    /// <summary>
    /// Widen what limits the sequence: the narrow columns (each rewrites its table), then the
    /// sequence's type. An explicit MAXVALUE (MINVALUE) that is itself the limit is only commented:
    /// it may be deliberate, and widening types would not move it.
    /// </summary>
    private static (ImmutableArray<SqlStatement> Fix, ImmutableArray<Note> Notes) Fix(AuditContext context, Relation rel, Sequence seq,
        List<(Relation Table, Column Column)> narrow, bool ownLimit, bool ascending)
    {
        var name = context.Display(rel);
        var explicitBound = ascending ? seq.Max : seq.Min;
        var typeBound = Range(seq.DataType) is { } r ? (ascending ? r.Max : r.Min) : explicitBound;
        if (ownLimit && explicitBound != typeBound)
            return ([], [Note.Advise($"{(ascending ? "MAXVALUE" : "MINVALUE")} {Num(explicitBound)} was set explicitly; if it is not deliberate:",
                new AlterSequence(context.Ref(rel), ascending ? SequenceChange.NoMaxValue : SequenceChange.NoMinValue,
                    $"{Rule.Id}: the explicit bound of {name} is what runs out"))]);
        var fix = ImmutableArray.CreateBuilder<SqlStatement>();
        var notes = ImmutableArray.CreateBuilder<Note>();
        foreach (var (table, column) in narrow)
        {
            notes.Add(Note.Caution($"widening {context.Display(table)}.{SqlNames.Ident(column.Name)} rewrites the table under an ACCESS EXCLUSIVE lock " +
                "(reads and writes wait until it ends); widen columns that reference it (foreign keys) the same way."));
            fix.Add(new AlterColumnType(context.Ref(table), column.Name, IntegerType.BigInt, $"{Rule.Id}: {name} feeds this {column.TypeName} column, which runs out first"));
        }
        // An identity sequence follows its column's type change; any other sequence is widened itself.
        if (seq.DataType != "bigint" && !(seq.IsIdentity && narrow.Count > 0))
            fix.Add(new AlterSequence(context.Ref(rel), SequenceChange.AsBigInt, $"{Rule.Id}: {name} is close to the end of its type's range"));
        if (fix.Count == 0)
            notes.Add(Note.Advise("nothing is wider than bigint: archive or renumber rows, or move the key to a new column (e.g. uuid)."));
        return (fix.ToImmutable(), notes.ToImmutable());
    }

    private static Finding Unknown(AuditContext context, List<Relation> unknown)
    {
        // The first ten by (schema, name), without formatting every name: there may be 100,000.
        var shown = string.Join(", ", RuleSupport.Smallest(context, unknown, 10).Select(context.Display)) +
            (unknown.Count > 10 ? $" and {unknown.Count - 10} more" : "");
        return context.AtDatabase(Rule, context.Database, null,
            $"exhaustion of {unknown.Count} sequence{(unknown.Count == 1 ? "" : "s")} is unknown: last_value could not be read ({shown}); see what could not be read for why.",
            [], Severity.Info,
            [Note.Advise("audit as a role with SELECT or USAGE on these sequences (their owner, or a member of pg_read_all_data), or raise max_locks_per_transaction when there are many.")]);
    }

    /// <summary>Integer columns whose default or identity draws from the sequence.</summary>
    private static IEnumerable<(Relation, Column)> Columns(CatalogSnapshot snapshot, Sequence seq)
    {
        var refs = seq.UsedByDefaults.AsEnumerable();
        if (seq.OwnedBy is { } owner && !seq.UsedByDefaults.Contains(owner)) refs = refs.Append(owner);
        foreach (var c in refs)
        {
            if (snapshot.RelationByOid(c.Relation) is not { } table) continue;
            if (table.Columns.FirstOrDefault(x => x.Number == c.Column) is { } column) yield return (table, column);
        }
    }

    private static (long Min, long Max)? Range(string type) => type switch
    {
        "smallint" => (short.MinValue, short.MaxValue),
        "integer" => (int.MinValue, int.MaxValue),
        "bigint" => (long.MinValue, long.MaxValue),
        _ => null,
    };

    private static string Percent(double used) => (Math.Floor(used * 1000) / 10).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    private static string Num(decimal n) => n.ToString(CultureInfo.InvariantCulture);
    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
