using System.Globalization;
using System.Text;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Postgres.Catalog;
using Xunit.Abstractions;

namespace Pgrant.IntegrationTests.Access;

/// <summary>
/// THE PROOF of issue 2 §4 and issue 3: on a dedicated cluster, random seeded role graphs and grants
/// on every object kind the snapshot holds; then AccessEvaluator is compared with
/// has_table/sequence/column/schema/database/function/type/language_privilege for every (role,
/// object, privilege) triple — each privilege also asked WITH GRANT OPTION, which checks
/// <see cref="AccessDecision.Grantable"/> — and who-can's role list with the roles the server says
/// yes for, per (object, privilege). Must agree 100% on every version of PGRANT_TEST_PG_VERSIONS (13–18).
/// Issue 9 §7 adds what the server also answers for: system columns (has_column_privilege on attnum -1…-6,
/// with and without column grants), tables' row types and every array type (has_type_privilege, read by a
/// scoped snapshot, as who-can reads them), and large objects. The oracle for large objects, per major:
/// 18 — has_largeobject_privilege, and the server's behaviour as well (the two must agree);
/// 13–17 — the server's behaviour only (no such function): lo_get / lo_put / GRANT run as the role in
/// rolled-back subtransactions (<see cref="ServerAnswers.ForLargeObjectsByBehaviourAsync"/>). Then, with
/// lo_compat_privileges on for the database, the same behaviour (every check skipped) on every major.
/// Seeds: a fixed few, plus PGRANT_ORACLE_SEED when set.
/// </summary>
[Collection(DedicatedClusters.Collection)]
public sealed class OracleTests(ITestOutputHelper output)
{
    private static readonly int[] FixedSeeds = [1, 42, 20250601];

    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        var seeds = FixedSeeds.ToList();
        if (int.TryParse(Environment.GetEnvironmentVariable("PGRANT_ORACLE_SEED"), CultureInfo.InvariantCulture, out var extra))
            seeds.Add(extra);
        foreach (var major in TestVersions.Majors)
            foreach (var seed in seeds)
                data.Add(major, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task DecideAgreesWithTheServerOnEveryTriple(int major, int seed)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        // Dedicated: the comparison covers every role of the cluster, so no other test may add any meanwhile.
        await using var cluster = await LocalCluster.StartAsync(new LocalClusterOptions { Major = major }, ct);
        var world = new OracleWorld(seed, major);
        await ExecuteAllAsync(ConnectionString(cluster, "postgres"), world.ClusterSql(), seed, ct);
        await ExecuteAllAsync(ConnectionString(cluster, OracleWorld.DatabaseName), world.DatabaseSql(), seed, ct);

        await using var conn = new NpgsqlConnection(ConnectionString(cluster, OracleWorld.DatabaseName));
        await conn.OpenAsync(ct);
        var snapshot = await CatalogReader.ReadAsync(conn, ct);
        Assert.Equal(major, snapshot.Version.Major);
        var comparison = new OracleComparison(snapshot, seed);
        string[] roles = [.. snapshot.Roles.Select(r => r.Name), "public"];

        var tables = snapshot.Relations.Where(r => r.Kind != ObjectKind.Sequence).ToArray();
        var sequences = snapshot.Relations.Where(r => r.Kind == ObjectKind.Sequence).ToArray();
        var userTables = tables.Where(t => snapshot.SchemaByOid(t.Schema)?.IsSystem == false).ToArray();
        var userColumns = userTables.SelectMany(t => t.Columns.Select(c => (t.Oid, c.Number))).ToArray();
        // Every system column of every table that has them, granted or not (the table's ACL decides first).
        var systemColumns = userTables.SelectMany(t => t.AllSystemColumns.Select(c => (t.Oid, c.Number))).ToArray();

        await comparison.CompareAsync("table", ServerAnswers.ForObjectsAsync(conn, "has_table_privilege", roles,
            [.. tables.Select(t => t.Oid)], PrivilegeTexts(ObjectKind.Table, major), ct));
        await comparison.CompareAsync("sequence", ServerAnswers.ForObjectsAsync(conn, "has_sequence_privilege", roles,
            [.. sequences.Select(t => t.Oid)], PrivilegeTexts(ObjectKind.Sequence, major), ct));
        await comparison.CompareAsync("column", ServerAnswers.ForColumnsAsync(conn, roles, userColumns,
            PrivilegeTexts(ObjectKind.Column, major), ct));
        await comparison.CompareAsync("system column", ServerAnswers.ForColumnsAsync(conn, roles, systemColumns,
            PrivilegeTexts(ObjectKind.Column, major), ct));
        await comparison.CompareAsync("schema", ServerAnswers.ForObjectsAsync(conn, "has_schema_privilege", roles,
            [.. snapshot.Schemas.Select(s => s.Oid)], PrivilegeTexts(ObjectKind.Schema, major), ct));
        await comparison.CompareAsync("database", ServerAnswers.ForObjectsAsync(conn, "has_database_privilege", roles,
            [.. snapshot.Databases.Select(d => d.Oid)], PrivilegeTexts(ObjectKind.Database, major), ct));
        await comparison.CompareAsync("function", ServerAnswers.ForObjectsAsync(conn, "has_function_privilege", roles,
            [.. snapshot.Functions.Select(f => f.Oid)], PrivilegeTexts(ObjectKind.Function, major), ct));
        await comparison.CompareAsync("type", ServerAnswers.ForObjectsAsync(conn, "has_type_privilege", roles,
            [.. snapshot.Types.Select(t => t.Oid)], PrivilegeTexts(ObjectKind.Type, major), ct));
        await comparison.CompareAsync("language", ServerAnswers.ForObjectsAsync(conn, "has_language_privilege", roles,
            [.. snapshot.Languages.Select(l => l.Oid)], PrivilegeTexts(ObjectKind.Language, major), ct));
        AssertWorldCoversEveryKind(snapshot);

        // Implicit types and large objects: a scoped read (the one who-can and can do) naming every table row
        // type and array type of the world, and every large object.
        var implicitTypes = await ImplicitTypesAsync(conn, ct);
        var scope = new CatalogScope([], [], [.. implicitTypes.Select(t => new ScopeName(t.Schema, t.Name)).Distinct()])
        {
            LargeObjects = [.. OracleWorld.LargeObjects],
        };
        var scoped = await CatalogReader.ReadAsync(conn, scope, ct);
        foreach (var t in implicitTypes)
            Assert.True(scoped.TypeByOid(t.Oid) is { } read && (read.ElementType != 0 || read.RowTypeOf != 0), $"the scoped read must hold {t.Schema}.{t.Name} as an implicit type");
        Assert.Contains(scoped.Types, t => t.ElementType != 0);
        Assert.Contains(scoped.Types, t => t.RowTypeOf != 0);
        Assert.Equal(OracleWorld.LargeObjects.Length, scoped.LargeObjects.Length);
        var scopedComparison = new OracleComparison(scoped, seed);
        await scopedComparison.CompareAsync("scoped type", ServerAnswers.ForObjectsAsync(conn, "has_type_privilege", roles,
            [.. scoped.Types.Select(t => t.Oid)], PrivilegeTexts(ObjectKind.Type, major), ct));
        var loPrivileges = PrivilegeTexts(ObjectKind.LargeObject, major);
        if (major >= 18)
            await scopedComparison.CompareAsync("large object (has_largeobject_privilege)", ServerAnswers.ForObjectsAsync(conn, "has_largeobject_privilege", roles,
                [.. OracleWorld.LargeObjects], loPrivileges, ct));
        await scopedComparison.CompareAsync("large object (lo_get, lo_put, GRANT as the role)", ServerAnswers.ForLargeObjectsByBehaviourAsync(conn, roles,
            [.. OracleWorld.LargeObjects], loPrivileges, OracleWorld.ProbeRole, ct));

        // lo_compat_privileges on (for the database: a new session reads it): the server checks nothing on large
        // objects. Only the privileges themselves: GRANT still checks the ACL for the grant option, while
        // has_largeobject_privilege (18) says yes WITH GRANT OPTION too, so the two oracles part there.
        await ExecuteAllAsync(ConnectionString(cluster, "postgres"), [$"ALTER DATABASE {OracleWorld.DatabaseName} SET lo_compat_privileges = on"], seed, ct);
        await using (var compatConn = new NpgsqlConnection(ConnectionString(cluster, OracleWorld.DatabaseName)))
        {
            await compatConn.OpenAsync(ct);
            var compat = await CatalogReader.ReadAsync(compatConn, CatalogScope.None with { LargeObjects = [.. OracleWorld.LargeObjects] }, ct);
            Assert.True(compat.LargeObjectCompatPrivileges);
            var compatComparison = new OracleComparison(compat, seed);
            string[] plain = [.. Privileges.Split(Privileges.All(ObjectKind.LargeObject, major)).Select(Privileges.SqlName)];
            await compatComparison.CompareAsync("large object, lo_compat_privileges on (behaviour)", ServerAnswers.ForLargeObjectsByBehaviourAsync(compatConn, roles,
                [.. OracleWorld.LargeObjects], plain, OracleWorld.ProbeRole, ct));
            if (major >= 18)
                await compatComparison.CompareAsync("large object, lo_compat_privileges on (has_largeobject_privilege)", ServerAnswers.ForObjectsAsync(compatConn, "has_largeobject_privilege", roles,
                    [.. OracleWorld.LargeObjects], plain, ct));
            Report(compatComparison, major);
            Assert.True(compatComparison.Denied == 0, "with lo_compat_privileges on, every role may read and write every large object");
        }

        Report(comparison, major);
        Report(scopedComparison, major);
        Assert.True(comparison.Mismatches.Count == 0, comparison.Report(major));
        Assert.True(scopedComparison.Mismatches.Count == 0, scopedComparison.Report(major));
        Assert.True(comparison.Allowed > 0 && comparison.Denied > 0, "the world must produce both answers");
        Assert.True(scopedComparison.Allowed > 0 && scopedComparison.Denied > 0, "the implicit types and large objects must produce both answers");
    }

    private void Report(OracleComparison comparison, int major)
    {
        output.WriteLine(comparison.Summary(major));
        Console.WriteLine(comparison.Summary(major));
        Assert.True(comparison.Mismatches.Count == 0, comparison.Report(major));
    }

    // Every table row type and true array type of the world's schemas, as the server lists them.
    private static async Task<List<(uint Oid, string Schema, string Name)>> ImplicitTypesAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        const string sql = """
            SELECT t.oid, n.nspname::text, t.typname::text
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            LEFT JOIN pg_class c ON c.oid = t.typrelid
            WHERE n.nspname IN ('app', 'public', 'untouched')
              AND ((t.typrelid <> 0 AND c.relkind <> 'c') OR (t.typelem <> 0 AND t.typlen = -1))
            """;
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(uint, string, string)>();
        while (await r.ReadAsync(ct)) list.Add((r.GetFieldValue<uint>(0), r.GetString(1), r.GetString(2)));
        Assert.NotEmpty(list);
        return list;
    }

    // Thousands of has_*_privilege calls per statement can outlast the default 30 s command timeout.
    private static string ConnectionString(LocalCluster cluster, string database) =>
        new NpgsqlConnectionStringBuilder(cluster.ConnectionString(database)) { Pooling = false, CommandTimeout = 300 }.ConnectionString;

    // The world must really hold every kind the comparison claims to cover.
    private static void AssertWorldCoversEveryKind(CatalogSnapshot snapshot)
    {
        ObjectKind[] relationKinds = [ObjectKind.Table, ObjectKind.View, ObjectKind.MaterializedView, ObjectKind.ForeignTable, ObjectKind.PartitionedTable, ObjectKind.Sequence];
        foreach (var kind in relationKinds)
            Assert.Contains(snapshot.Relations, r => r.Kind == kind);
        foreach (var kind in new[] { ObjectKind.Function, ObjectKind.Procedure, ObjectKind.Aggregate })
            Assert.Contains(snapshot.Functions, f => f.Kind == kind);
        Assert.Contains(snapshot.Types, t => t.Kind == ObjectKind.Domain);
        Assert.Contains(snapshot.Types, t => t.Kind == ObjectKind.Type && t.Name == "r1");
        if (snapshot.Version.AtLeast(14)) Assert.Contains(snapshot.Types, t => t.Name == "r1_multirange" && (t.RangeType != 0) == snapshot.Version.AtLeast(17));
        Assert.Contains(snapshot.Languages, l => l.Name == "plpgsql");
        Assert.Contains(snapshot.Relations, r => r.SystemColumnGrants.Any(c => c.Name == "tableoid"));
        // A whole read holds no implicit type and no large object (they come with a scope).
        Assert.DoesNotContain(snapshot.Types, t => t.ElementType != 0 || t.RowTypeOf != 0);
        Assert.Empty(snapshot.LargeObjects);
    }

    // Each privilege of the kind, plain and WITH GRANT OPTION (has_*_privilege accepts both).
    private static string[] PrivilegeTexts(ObjectKind kind, int major)
    {
        var names = Privileges.Split(Privileges.All(kind, major)).Select(Privileges.SqlName).ToList();
        return [.. names, .. names.Select(n => n + " WITH GRANT OPTION")];
    }

    private async Task ExecuteAllAsync(string connectionString, IEnumerable<string> statements, int seed, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        foreach (var sql in statements)
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            try { await cmd.ExecuteNonQueryAsync(ct); }
            catch (PostgresException e)
            {
                throw new InvalidOperationException($"seed {seed}: world setup failed on `{sql}`: {e.MessageText}", e);
            }
            output.WriteLine(sql);
        }
    }
}

/// <summary>Compares server answers with the evaluator and keeps counts and the first mismatches.</summary>
internal sealed class OracleComparison(CatalogSnapshot snapshot, int seed)
{
    private const string GrantOption = " WITH GRANT OPTION";
    private readonly AccessEvaluator _evaluator = new(snapshot);
    private readonly Dictionary<string, int> _counts = [];
    private int _whoCanQuestions;

    public List<string> Mismatches { get; } = [];
    public int Allowed { get; private set; }
    public int Denied { get; private set; }

    public async Task CompareAsync(string kind, Task<List<ServerAnswer>> answersTask)
    {
        var answers = await answersTask;
        _counts[kind] = answers.Count;
        foreach (var a in answers)
        {
            var role = a.Role == "public" ? 0u : snapshot.RoleByName(a.Role)!.Oid;
            var grantOption = a.Privilege.EndsWith(GrantOption, StringComparison.Ordinal);
            var privilege = Privileges.Parse(grantOption ? a.Privilege[..^GrantOption.Length] : a.Privilege)!.Value;
            var decision = Decide(kind, role, a.Object, a.Column, privilege);
            var ours = grantOption ? decision.Grantable : decision.Allowed;
            if (ours) Allowed++; else Denied++;
            if (ours == a.Allowed) continue;
            if (Mismatches.Count < 40)
                Mismatches.Add($"seed {seed}: {kind} {decision.ObjectName}{(a.Column != 0 ? "." + decision.ColumnName : "")} role {a.Role} {a.Privilege}: server {a.Allowed}, pgrant {ours} — {decision.Explanation()} [source {decision.Source}, denial {decision.Denial.Kind}]");
            else Mismatches.Add("");
        }
        CompareWhoCan(kind, answers);
    }

    // who-can must list exactly the roles (PUBLIC aside) the server says yes for, per object and privilege.
    private void CompareWhoCan(string kind, List<ServerAnswer> answers)
    {
        var questions = new AccessQuestions(_evaluator);
        foreach (var group in answers.Where(a => a.Role != "public" && !a.Privilege.EndsWith(GrantOption, StringComparison.Ordinal))
                     .GroupBy(a => (a.Object, a.Column, a.Privilege)))
        {
            _whoCanQuestions++;
            var target = Target(kind, group.Key.Object, group.Key.Column);
            var request = new PrivilegeRequest(Privileges.Parse(group.Key.Privilege)!.Value, null);
            var server = group.Where(a => a.Allowed).Select(a => a.Role).Order(StringComparer.Ordinal).ToList();
            var ours = questions.WhoCan(target, request).Roles.Select(r => r.Role).ToList();
            if (server.SequenceEqual(ours)) continue;
            if (Mismatches.Count < 40)
                Mismatches.Add($"seed {seed}: who-can {group.Key.Privilege} on {kind} {target.Name(snapshot)}: server [{string.Join(", ", server)}], pgrant [{string.Join(", ", ours)}]");
            else Mismatches.Add("");
        }
    }

    private ObjectTarget Target(string kind, uint oid, short column) => kind switch
    {
        "table" or "sequence" => new ObjectTarget(snapshot.RelationByOid(oid)!, null),
        "column" or "system column" => new ObjectTarget(snapshot.RelationByOid(oid)!, ColumnOf(snapshot.RelationByOid(oid)!, column)),
        "schema" => new ObjectTarget(snapshot.SchemaByOid(oid)!, null),
        "database" => new ObjectTarget(snapshot.Databases.Single(d => d.Oid == oid), null),
        "type" or "scoped type" => new ObjectTarget(snapshot.TypeByOid(oid)!, null),
        _ when kind.StartsWith("large object", StringComparison.Ordinal) => new ObjectTarget(snapshot.LargeObjectByOid(oid)!, null),
        "language" => new ObjectTarget(snapshot.Languages.Single(l => l.Oid == oid), null),
        _ => new ObjectTarget(snapshot.FunctionByOid(oid)!, null),
    };

    private AccessDecision Decide(string kind, uint role, uint oid, short column, Privilege privilege)
    {
        switch (kind)
        {
            case "table" or "sequence":
                return _evaluator.Decide(role, snapshot.RelationByOid(oid)!, privilege);
            case "column" or "system column":
                var table = snapshot.RelationByOid(oid)!;
                return _evaluator.DecideColumn(role, table, ColumnOf(table, column), privilege);
            case "scoped type":
                return _evaluator.Decide(role, snapshot.TypeByOid(oid)!, privilege);
            case var lo when lo.StartsWith("large object", StringComparison.Ordinal):
                return _evaluator.Decide(role, snapshot.LargeObjectByOid(oid)!, privilege);
            case "schema":
                return _evaluator.Decide(role, snapshot.SchemaByOid(oid)!, privilege);
            case "database":
                return _evaluator.Decide(role, snapshot.Databases.Single(d => d.Oid == oid), privilege);
            case "type":
                return _evaluator.Decide(role, snapshot.TypeByOid(oid)!, privilege);
            case "language":
                return _evaluator.Decide(role, snapshot.Languages.Single(l => l.Oid == oid), privilege);
            default:
                return _evaluator.Decide(role, snapshot.FunctionByOid(oid)!, privilege);
        }
    }

    // A user column, or a system column (attnum < 0) with its grants.
    private static Column ColumnOf(Relation table, short number) =>
        number > 0 ? table.Columns.Single(c => c.Number == number) : table.AllSystemColumns.Single(c => c.Number == number);

    public string Summary(int major) =>
        $"PostgreSQL {major} seed {seed}: {_counts.Values.Sum()} triples compared ("
        + string.Join(", ", _counts.Select(kv => $"{kv.Key} {kv.Value}"))
        + $"), {Mismatches.Count} mismatches; {Allowed} allowed, {Denied} denied; {_whoCanQuestions} who-can lists compared";

    public string Report(int major)
    {
        var sb = new StringBuilder(Summary(major)).AppendLine();
        foreach (var m in Mismatches.Where(m => m.Length > 0)) sb.AppendLine(m);
        return sb.ToString();
    }
}
