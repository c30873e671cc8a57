namespace Pgrant.IntegrationTests.Catalog;

/// <summary>
/// One dedicated cluster per major for the catalog tests, with <see cref="CatalogWorld"/> in database
/// "world" and <see cref="ManySequencesDatabase"/> built on first use. Dedicated, not the shared pool:
/// the tests compare every role of the cluster with pg_roles (and two snapshots with each other), which
/// other tests creating roles meanwhile would break, and the world's role names are fixed.
/// </summary>
public sealed class CatalogClusters : IAsyncLifetime
{
    public const string Collection = "catalog clusters";

    /// <summary>A database with more sequences than the reader's lock budget allows reading last_value for.</summary>
    public const string ManySequencesDatabase = "many_seqs";

    private readonly ClusterSet _clusters = new(ClusterPool.SharedOptions, BuildAsync);

    public Task<LocalCluster> GetAsync(int major) => _clusters.GetAsync(major);

    /// <summary>Opens a connection without pooling; <paramref name="user"/> null is the superuser, else a world role with <see cref="CatalogWorld.LoginPassword"/>.</summary>
    public async Task<NpgsqlConnection> OpenAsync(int major, string database = "postgres", string? user = null)
    {
        var cluster = await GetAsync(major);
        var builder = new NpgsqlConnectionStringBuilder(cluster.ConnectionString(database, user, user is null ? null : CatalogWorld.LoginPassword))
        {
            Pooling = false, Timeout = 30, CommandTimeout = 120,
            // As pgrant's own connections: a cancel's answer may take over Npgsql's default 2 s on a busy machine.
            CancellationTimeout = 10_000,
        };
        var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    /// <summary>Half of max_locks_per_transaction: how many sequences the reader reads last_value for at most.</summary>
    public static async Task<int> LockBudgetAsync(LocalCluster cluster)
    {
        await using var conn = new NpgsqlConnection(cluster.ConnectionString());
        await conn.OpenAsync();
        await using var show = new NpgsqlCommand("SHOW max_locks_per_transaction", conn);
        return int.Parse((string)(await show.ExecuteScalarAsync())!) / 2;
    }

    private static async Task BuildAsync(LocalCluster cluster)
    {
        await cluster.CreateDatabaseAsync(CatalogWorld.Database);
        await cluster.ExecuteAsync(CatalogWorld.Sql(cluster.Major), CatalogWorld.Database);
        await cluster.CreateDatabaseAsync(ManySequencesDatabase);
        var budget = await LockBudgetAsync(cluster);
        await cluster.ExecuteAsync(
            $"DO $$ BEGIN FOR i IN 1..{budget + 8} LOOP EXECUTE format('CREATE SEQUENCE s%s', lpad(i::text, 3, '0')); END LOOP; END $$",
            ManySequencesDatabase);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _clusters.DisposeAsync().AsTask();
}

/// <summary>Every catalog test class shares the fixture; the classes run one after another.</summary>
[CollectionDefinition(CatalogClusters.Collection)]
public sealed class CatalogClustersCollection : ICollectionFixture<CatalogClusters>;
