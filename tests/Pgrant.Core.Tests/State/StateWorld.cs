using Pgrant.Core.Catalog;
using Pgrant.Core.Planning;
using Pgrant.Core.State;

namespace Pgrant.Core.Tests.State;

/// <summary>
/// A small in-memory world for state and diff tests: roles o (the owner), x, y, app and g; schema w (owned by
/// o) with table w.t (columns a, b), sequence w.s and function w.f(integer). Every ACL is given as the
/// server prints it (null: NULL, the built-in default). The state holds only schema w and what is in it,
/// and only those roles.
/// </summary>
internal sealed record StateWorld(int Major)
{
    public static readonly string[] Roles = ["o", "x", "y", "app", "g"];

    public string? Schema { get; init; }
    public string? Table { get; init; }
    public string? ColumnA { get; init; }
    public string? ColumnB { get; init; }
    public string? Sequence { get; init; }
    public string? Function { get; init; }
    public (string Creator, string? Schema, char Type, string Acl)[] Defaults { get; init; } = [];
    public (string Role, string Member, string Grantor, bool Admin, bool? Inherit, bool? Set)[] Memberships { get; init; } = [];

    public CatalogSnapshot Snapshot()
    {
        var b = new SnapshotBuilder(Major).WithBootstrap();
        var oids = Roles.ToDictionary(r => r, r => b.Role(r));
        var w = b.Schema("w", oids["o"], Schema);
        b.Relation(w, "t", oids["o"], Table, columns: [("a", ColumnA), ("b", ColumnB)]);
        b.Sequence(w, "s", oids["o"], Sequence);
        b.Function(w, "f", oids["o"], Function, arguments: "integer");
        foreach (var (creator, schema, type, acl) in Defaults)
            b.DefaultAcl(oids[creator], schema is null ? null : w, type, acl);
        foreach (var (role, member, grantor, admin, inherit, set) in Memberships)
            b.Grant(oids[role], oids[member], inherit, set ?? true, admin, grantor == "postgres" ? b.Bootstrap : oids[grantor]);
        return b.Build();
    }

    public static readonly GrantStateFilter Filter = new(
        Roles: r => Roles.Contains(r),
        Objects: o => o.Schema == "w" || o is { Kind: ObjectKind.Schema, Name: "w" });

    public GrantState State() => GrantState.Of(Snapshot(), Filter);

    /// <summary>The SQL of diff(this, to), each statement as shown on its own.</summary>
    public string[] DiffTo(StateWorld to) => SqlText.Of(StateDiff.Diff(State(), to.State()));

    public static string All(int major) => major >= 17 ? "arwdDxtm" : "arwdDxt";
}
