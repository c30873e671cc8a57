using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>
/// PGR009: a serial column — its default calls nextval() on a sequence OWNED BY that column and used
/// by no other default. The sequence has its own ACL, so every role that inserts needs USAGE on it
/// (the classic sequence story's error); an identity column's sequence is called without a permission check. The fix is
/// <see cref="SerialToIdentity"/>, which keeps the next value. Only plain tables: partitions
/// and inheritance children copy the default (so the sequence has more than one user and is skipped),
/// and on a partitioned parent the identity (checked on 15) does not reach the partitions, so inserts
/// straight into a partition would lose their id.
/// </summary>
public sealed class SerialColumn : IAuditRule
{
    /// <summary>PGR009 (serial-column): the ID, name, default severity, title and description every finding of the rule carries.</summary>
    public static readonly RuleDescriptor Rule = new(
        "PGR009", "serial-column", Severity.Info,
        "Serial column: an identity column needs no sequence grants",
        "Inserting into a serial column needs USAGE on its sequence, a separate grant that is easy to forget; an identity column does not, and the conversion keeps the next value.");

    private static readonly ImmutableHashSet<string> IntegerTypes = ["smallint", "integer", "bigint"];

    /// <inheritdoc/>
    public RuleDescriptor Descriptor => Rule;

    /// <inheritdoc/>
    public IEnumerable<Finding> Check(AuditContext context)
    {
        var snapshot = context.Snapshot;
        foreach (var seq in snapshot.Sequences)
        {
            if (seq.IsIdentity || seq.OwnedBy is not { } owner || seq.UsedByDefaults.Length != 1 || seq.UsedByDefaults[0] != owner) continue;
            var table = snapshot.RelationByOid(owner.Relation);
            var seqRel = snapshot.RelationByOid(seq.Oid);
            if (table is null || seqRel is null || table.Kind != ObjectKind.Table || !context.InScope(table.Schema)) continue;
            var column = table.ColumnByNumber(owner.Column);
            if (column is null || column.IsIdentity || !IntegerTypes.Contains(column.TypeName)) continue;
            yield return context.At(Rule, table, null,
                $"column {SqlNames.Ident(column.Name)} of {context.Display(table)} is a serial column on sequence {context.Display(seqRel)}: every role that inserts " +
                "needs USAGE on that sequence as well; an identity column needs no sequence grant, and the conversion below keeps the next value.",
                [new SerialToIdentity(context.Ref(table), column.Name, context.Ref(seqRel), new SequenceSettings(seq.Increment, seq.Min, seq.Max, seq.Cycle),
                    $"{Rule.Id}: an identity column needs no grant on its sequence")],
                notes: [Note.Caution("the table is locked (ACCESS EXCLUSIVE) until the transaction ends; grants on the old sequence are dropped with it.")]);
        }
    }
}
