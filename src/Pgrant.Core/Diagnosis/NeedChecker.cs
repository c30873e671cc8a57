using System.Collections.Immutable;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>A privilege a role lacks for a statement, and the least grant that gives it.</summary>
/// <param name="Missing">What the role lacks, and why it is needed.</param>
/// <param name="Fix">The least grant that gives it.</param>
internal sealed record LackedNeed(MissingPrivilege Missing, GrantPrivileges Fix);

/// <summary>
/// Judges the <see cref="Need"/>s of a statement for one role (what explain reports for the failing
/// statement, and what an application's start-up check reports before it runs): each need the role
/// does not hold, with the least grant — USAGE for a sequence, the missing columns only when the need
/// names columns and some of them are held.
/// </summary>
internal sealed class NeedChecker(CatalogSnapshot snapshot, AccessEvaluator access)
{
    /// <summary>What <paramref name="role"/> lacks to run <paramref name="shape"/> on <paramref name="table"/>; the sequence <paramref name="skipSequence"/> (an OID, 0 for none) is judged elsewhere.</summary>
    public IEnumerable<LackedNeed> Lacking(Relation table, StatementShape shape, Role role, uint skipSequence = 0)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(role);
        foreach (var need in StatementNeeds.Of(shape, table, snapshot))
        {
            if (need.SequenceOperation is { } op)
            {
                if (need.Object.Oid == skipSequence || access.DecideSequence(role.Oid, need.Object, op).Allowed) continue;
                var qs = Name(need.Object);
                yield return new LackedNeed(MissingPrivilege.Of(Privilege.Usage, ObjectKind.Sequence, qs, need.Reason),
                    new GrantPrivileges(Privilege.Usage, SqlObject.Of(snapshot, need.Object), role.Name, need.Reason));
                continue;
            }
            if (access.Decide(role.Oid, need.Object, need.Privilege).Allowed) continue;
            var lacking = need.Columns.Where(c => !access.DecideColumn(role.Oid, need.Object, c, need.Privilege).Allowed).ToImmutableArray();
            if (!need.Columns.IsEmpty && lacking.IsEmpty) continue;
            var qt = Name(need.Object);
            var everyColumn = need.Columns.IsEmpty || lacking.Length == need.Object.Columns.Length;
            var kind = need.Object.Kind == ObjectKind.View ? ObjectKind.View : ObjectKind.Table;
            yield return new LackedNeed(
                MissingPrivilege.Of(need.Privilege, kind, everyColumn ? qt : $"{qt} ({string.Join(", ", lacking.Select(c => SqlNames.Ident(c.Name)))})", need.Reason),
                new GrantPrivileges(need.Privilege, [SqlObject.Of(snapshot, need.Object)], [role.Name], need.Reason,
                    Columns: everyColumn ? default : lacking.Select(c => c.Name).ToValueList()));
        }
    }

    private string Name(ISecurable obj) => SqlWriter.Name(SqlObject.Of(snapshot, obj));
}
