using Pgrant.Core.Sql;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Postgres.Catalog;

/// <summary>
/// Collects relations, columns, sequences, the columns whose defaults use sequences, what views read
/// and row-level security policies from their separate result sets, then assembles the immutable
/// <see cref="Relation"/> and <see cref="Sequence"/> records once everything is read (a relation needs
/// its columns, references and policies, a sequence its users).
/// </summary>
internal sealed class RelationAssembler(NamePool names, AclResolver acls)
{
    private readonly record struct RelationRow(
        uint Oid, uint Schema, string Name, ObjectKind Kind, uint Owner, AclList Acl,
        bool RowSecurity, bool ForceRowSecurity, bool SecurityInvoker);

    private readonly record struct ColumnRow(uint Relation, Column Column);

    private readonly record struct SequenceRow(
        uint Oid, string DataType, long Start, long Increment, long Min, long Max, bool Cycle,
        char State, long? LastValue, ColumnRef? OwnedBy, bool IsIdentity);

    private readonly List<RelationRow> _relations = [];
    private readonly List<ColumnRow> _columns = [];
    private readonly Dictionary<uint, List<Column>> _systemColumnGrants = [];
    private readonly List<SequenceRow> _sequences = [];
    private readonly HashSet<uint> _seenSequences = [];
    private readonly Dictionary<uint, List<ColumnRef>> _defaultUsers = [];
    private readonly Dictionary<uint, List<ColumnRef>> _viewReferences = [];
    private readonly Dictionary<uint, List<Policy>> _policies = [];

    public void ReadRelations(NpgsqlDataReader r)
    {
        while (r.Read())
        {
            var kind = RelationKind(CatalogRowMapper.Char(r, 3));
            var owner = r.GetFieldValue<uint>(4);
            _relations.Add(new RelationRow(
                Oid: r.GetFieldValue<uint>(0),
                Schema: r.GetFieldValue<uint>(1),
                Name: r.GetFieldValue<string>(2),
                Kind: kind,
                Owner: owner,
                Acl: acls.Resolve(CatalogRowMapper.Text(r, 5), kind, owner),
                RowSecurity: r.GetFieldValue<bool>(6),
                ForceRowSecurity: r.GetFieldValue<bool>(7),
                SecurityInvoker: r.GetFieldValue<bool>(8)));
        }
    }

    public void ReadColumns(NpgsqlDataReader r)
    {
        while (r.Read())
        {
            var column = new Column(
                Number: r.GetFieldValue<short>(1),
                Name: names.Intern(r.GetFieldValue<string>(2)),
                TypeName: names.Intern(r.GetFieldValue<string>(3)),
                NotNull: r.GetFieldValue<bool>(4),
                HasDefaultExpression: r.GetFieldValue<bool>(5),
                Identity: CatalogRowMapper.Char(r, 6),
                Generated: CatalogRowMapper.Char(r, 7),
                Acl: acls.Resolve(CatalogRowMapper.Text(r, 8), ObjectKind.Column, 0));
            var relation = r.GetFieldValue<uint>(0);
            if (column.IsSystem)
            {
                // A system column with a grant of its own (the query sends no other).
                if (!_systemColumnGrants.TryGetValue(relation, out var grants))
                    _systemColumnGrants.Add(relation, grants = new List<Column>(1));
                grants.Add(column);
                continue;
            }
            _columns.Add(new ColumnRow(relation, column));
        }
    }

    public void ReadSequences(NpgsqlDataReader r)
    {
        while (r.Read())
        {
            ColumnRef? ownedBy = r.IsDBNull(9) ? null : new ColumnRef(r.GetFieldValue<uint>(9), (short)r.GetFieldValue<int>(10));
            var row = new SequenceRow(
                Oid: r.GetFieldValue<uint>(0),
                DataType: names.Intern(r.GetFieldValue<string>(1)),
                Start: r.GetFieldValue<long>(2),
                Increment: r.GetFieldValue<long>(3),
                Min: r.GetFieldValue<long>(4),
                Max: r.GetFieldValue<long>(5),
                Cycle: r.GetFieldValue<bool>(6),
                State: CatalogRowMapper.Char(r, 7),
                LastValue: r.IsDBNull(8) ? null : r.GetFieldValue<long>(8),
                OwnedBy: ownedBy,
                IsIdentity: ownedBy is not null && CatalogRowMapper.Char(r, 11) == 'i');
            // A sequence has at most one owning column; should the join ever repeat a sequence, keep one row.
            if (_seenSequences.Add(row.Oid)) _sequences.Add(row);
        }
    }

    public void ReadSequenceDefaults(NpgsqlDataReader r)
    {
        while (r.Read())
        {
            var sequence = r.GetFieldValue<uint>(0);
            if (!_defaultUsers.TryGetValue(sequence, out var users))
                _defaultUsers.Add(sequence, users = new List<ColumnRef>(1));
            users.Add(new ColumnRef(r.GetFieldValue<uint>(1), r.GetFieldValue<short>(2)));
        }
    }

    public void ReadViewReferences(NpgsqlDataReader r)
    {
        while (r.Read())
        {
            var view = r.GetFieldValue<uint>(0);
            if (!_viewReferences.TryGetValue(view, out var refs))
                _viewReferences.Add(view, refs = new List<ColumnRef>(4));
            refs.Add(new ColumnRef(r.GetFieldValue<uint>(1), (short)r.GetFieldValue<int>(2)));
        }
    }

    public void ReadPolicies(NpgsqlDataReader r)
    {
        while (r.Read())
        {
            var table = r.GetFieldValue<uint>(0);
            if (!_policies.TryGetValue(table, out var list))
                _policies.Add(table, list = new List<Policy>(1));
            list.Add(new Policy(
                Name: names.Intern(r.GetFieldValue<string>(1)),
                Command: CatalogRowMapper.Char(r, 2),
                Permissive: r.GetFieldValue<bool>(3),
                Roles: [.. r.GetFieldValue<uint[]>(4).Order()]));
        }
    }

    public ImmutableArray<Relation> BuildRelations()
    {
        // Sorted by (relation, number), each relation's columns are one slice. The server sends them in
        // pg_attribute's physical order, which is usually sorted already: checked in one pass first.
        var columns = CollectionsMarshal.AsSpan(_columns);
        if (!IsSorted(columns)) columns.Sort(default(ColumnOrder));
        var slices = new Dictionary<uint, (int Start, int Count)>(_relations.Count);
        for (var i = 0; i < columns.Length;)
        {
            var start = i;
            var rel = columns[i].Relation;
            while (i < columns.Length && columns[i].Relation == rel) i++;
            slices[rel] = (start, i - start);
        }
        var relations = ImmutableArray.CreateBuilder<Relation>(_relations.Count);
        foreach (var row in _relations)
        {
            var cols = ImmutableArray<Column>.Empty;
            if (slices.TryGetValue(row.Oid, out var slice))
            {
                var b = ImmutableArray.CreateBuilder<Column>(slice.Count);
                for (var i = slice.Start; i < slice.Start + slice.Count; i++) b.Add(columns[i].Column);
                cols = b.MoveToImmutable();
            }
            relations.Add(new Relation(row.Oid, row.Schema, row.Name, row.Kind, row.Owner, row.Acl,
                row.RowSecurity, row.ForceRowSecurity, row.SecurityInvoker, cols)
            {
                ViewReferences = _viewReferences.TryGetValue(row.Oid, out var refs)
                    ? [.. refs.OrderBy(x => x.Relation).ThenBy(x => x.Column)]
                    : [],
                Policies = _policies.TryGetValue(row.Oid, out var policies)
                    ? [.. policies.OrderBy(p => p.Name, StringComparer.Ordinal)]
                    : [],
                SystemColumnGrants = _systemColumnGrants.TryGetValue(row.Oid, out var grants)
                    ? [.. grants.OrderByDescending(c => c.Number)]
                    : [],
            });
        }
        return relations.MoveToImmutable();
    }

    private static bool IsSorted(ReadOnlySpan<ColumnRow> columns)
    {
        var order = default(ColumnOrder);
        for (var i = 1; i < columns.Length; i++)
            if (order.Compare(columns[i - 1], columns[i]) > 0) return false;
        return true;
    }

    private readonly struct ColumnOrder : IComparer<ColumnRow>
    {
        public int Compare(ColumnRow a, ColumnRow b) =>
            a.Relation != b.Relation ? a.Relation.CompareTo(b.Relation) : a.Column.Number.CompareTo(b.Column.Number);
    }

    public ImmutableArray<Sequence> BuildSequences()
    {
        var sequences = ImmutableArray.CreateBuilder<Sequence>(_sequences.Count);
        foreach (var s in _sequences)
        {
            var users = !_defaultUsers.TryGetValue(s.Oid, out var list) ? ImmutableArray<ColumnRef>.Empty
                : list.Count == 1 ? [list[0]]
                : [.. list.OrderBy(c => c.Relation).ThenBy(c => c.Column)];
            var read = s.State == 'r';
            sequences.Add(new Sequence(s.Oid, s.DataType, s.Start, s.Increment, s.Min, s.Max, s.Cycle,
                LastValue: read ? s.LastValue : null,
                // pg_sequence_last_value() returns NULL exactly when nextval() was never called.
                IsCalled: read && s.LastValue is not null,
                OwnedBy: s.OwnedBy,
                IsIdentity: s.IsIdentity,
                UsedByDefaults: users,
                LastValueRead: read));
        }
        return sequences.MoveToImmutable();
    }

    /// <summary>One line per reason why some sequences' last_value was not read; names a few of them.</summary>
    public IEnumerable<string> UnreadableSequenceValues(Func<uint, string> schemaName, int lockBudget)
    {
        var reasons = new[]
        {
            ('p', "no SELECT or USAGE"),
            ('l', $"more than {lockBudget} readable sequences, half of max_locks_per_transaction; reading last_value locks each sequence until the end of the transaction"),
            ('u', "unlogged sequences on a standby keep no data"),
        };
        var byState = reasons.Select(r => (State: r.Item1, Reason: r.Item2, Oids: _sequences.Where(s => s.State == r.Item1).Select(s => s.Oid).Order().ToList()))
            .Where(g => g.Oids.Count > 0).ToList();
        if (byState.Count == 0) return [];
        // Names only for the few shown: at 100,000 sequences a lookup of all of them cost more than the rest.
        var shownOids = byState.SelectMany(g => g.Oids.Take(5)).ToHashSet();
        var names = _relations.Where(r => shownOids.Contains(r.Oid)).ToDictionary(r => r.Oid, r => (r.Schema, r.Name));
        return byState.Select(g =>
        {
            var shown = g.Oids.Take(5).Select(o => names.TryGetValue(o, out var n)
                ? SqlNames.Qualified(schemaName(n.Schema), n.Name)
                : o.ToString(CultureInfo.InvariantCulture));
            var more = g.Oids.Count > 5 ? $", and {g.Oids.Count - 5} more" : "";
            var noun = g.Oids.Count == 1 ? "sequence" : "sequences";
            return $"last_value of {g.Oids.Count} {noun} ({g.Reason}): {string.Join(", ", shown)}{more}";
        }).ToList();
    }

    private static ObjectKind RelationKind(char relkind) => relkind switch
    {
        'r' => ObjectKind.Table,
        'p' => ObjectKind.PartitionedTable,
        'v' => ObjectKind.View,
        'm' => ObjectKind.MaterializedView,
        'f' => ObjectKind.ForeignTable,
        'S' => ObjectKind.Sequence,
        _ => throw new InvalidOperationException($"unexpected relkind '{relkind}' (the relations query selects only r p v m f S)"),
    };
}
