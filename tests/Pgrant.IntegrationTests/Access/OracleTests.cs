using System.Globalization;
using System.Text;
using Npgsql;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.IntegrationTests.Infrastructure;
using Pgrant.Postgres.Catalog;
using Pgrant.Postgres.Cluster;
using Xunit.Abstractions;

namespace Pgrant.IntegrationTests.Access;

/// <summary>
/// THE PROOF of issue 2 §4: on a dedicated cluster, random seeded role graphs and grants; then
/// AccessEvaluator is compared with has_table/sequence/column/schema/database/function_privilege
/// for every (role, object, privilege) triple — each privilege also asked WITH GRANT OPTION, which
/// checks <see cref="AccessDecision.Grantable"/>. Must agree 100% on PostgreSQL 15 and 18.
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
        var userColumns = tables.Where(t => snapshot.SchemaByOid(t.Schema)?.IsSystem == false)
            .SelectMany(t => t.Columns.Select(c => (t.Oid, c.Number))).ToArray();

        await comparison.CompareAsync("table", ServerAnswers.ForObjectsAsync(conn, "has_table_privilege", roles,
            [.. tables.Select(t => t.Oid)], PrivilegeTexts(ObjectKind.Table, major), ct));
        await comparison.CompareAsync("sequence", ServerAnswers.ForObjectsAsync(conn, "has_sequence_privilege", roles,
            [.. sequences.Select(t => t.Oid)], PrivilegeTexts(ObjectKind.Sequence, major), ct));
        await comparison.CompareAsync("column", ServerAnswers.ForColumnsAsync(conn, roles, userColumns,
            PrivilegeTexts(ObjectKind.Column, major), ct));
        await comparison.CompareAsync("schema", ServerAnswers.ForObjectsAsync(conn, "has_schema_privilege", roles,
            [.. snapshot.Schemas.Select(s => s.Oid)], PrivilegeTexts(ObjectKind.Schema, major), ct));
        await comparison.CompareAsync("database", ServerAnswers.ForObjectsAsync(conn, "has_database_privilege", roles,
            [.. snapshot.Databases.Select(d => d.Oid)], PrivilegeTexts(ObjectKind.Database, major), ct));
        await comparison.CompareAsync("function", ServerAnswers.ForObjectsAsync(conn, "has_function_privilege", roles,
            [.. snapshot.Functions.Select(f => f.Oid)], PrivilegeTexts(ObjectKind.Function, major), ct));

        output.WriteLine(comparison.Summary(major));
        Console.WriteLine(comparison.Summary(major));
        Assert.True(comparison.Mismatches.Count == 0, comparison.Report(major));
        Assert.True(comparison.Allowed > 0 && comparison.Denied > 0, "the world must produce both answers");
    }

    // Thousands of has_*_privilege calls per statement can outlast the default 30 s command timeout.
    private static string ConnectionString(LocalCluster cluster, string database) =>
        new NpgsqlConnectionStringBuilder(cluster.ConnectionString(database)) { Pooling = false, CommandTimeout = 300 }.ConnectionString;

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
    }

    private AccessDecision Decide(string kind, uint role, uint oid, short column, Privilege privilege)
    {
        switch (kind)
        {
            case "table" or "sequence":
                return _evaluator.Decide(role, snapshot.RelationByOid(oid)!, privilege);
            case "column":
                var table = snapshot.RelationByOid(oid)!;
                return _evaluator.DecideColumn(role, table, table.Columns.Single(c => c.Number == column), privilege);
            case "schema":
                return _evaluator.Decide(role, snapshot.SchemaByOid(oid)!, privilege);
            case "database":
                return _evaluator.Decide(role, snapshot.Databases.Single(d => d.Oid == oid), privilege);
            default:
                return _evaluator.Decide(role, snapshot.FunctionByOid(oid)!, privilege);
        }
    }

    public string Summary(int major) =>
        $"PostgreSQL {major} seed {seed}: {_counts.Values.Sum()} triples compared ("
        + string.Join(", ", _counts.Select(kv => $"{kv.Key} {kv.Value}"))
        + $"), {Mismatches.Count} mismatches; {Allowed} allowed, {Denied} denied";

    public string Report(int major)
    {
        var sb = new StringBuilder(Summary(major)).AppendLine();
        foreach (var m in Mismatches.Where(m => m.Length > 0)) sb.AppendLine(m);
        return sb.ToString();
    }
}
