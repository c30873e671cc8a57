using System.Collections.Concurrent;

namespace Pgrant.IntegrationTests.Infrastructure;

/// <summary>
/// At most one cluster per major, each started (and set up) on first use and kept until
/// <see cref="DisposeAsync"/>. A failed start is remembered, so every test of that major fails fast
/// with the same message instead of retrying. <see cref="ClusterPool"/> holds the shared set;
/// fixtures that need a dedicated cluster (fixed names, pg_hba rules, all roles enumerated) own one.
/// </summary>
public sealed class ClusterSet(Func<int, LocalClusterOptions> options, Func<LocalCluster, Task>? setUp = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, Lazy<Task<LocalCluster>>> _clusters = new();

    /// <summary>The cluster of that major, started on first use.</summary>
    public Task<LocalCluster> GetAsync(int major) =>
        _clusters.GetOrAdd(major, m => new Lazy<Task<LocalCluster>>(() => StartAsync(options(m), setUp))).Value;

    /// <summary>Starts a cluster and runs <paramref name="setUp"/> on it; a failed setup stops and deletes it.</summary>
    public static async Task<LocalCluster> StartAsync(LocalClusterOptions options, Func<LocalCluster, Task>? setUp = null)
    {
        var cluster = await LocalCluster.StartAsync(options).ConfigureAwait(false);
        try
        {
            if (setUp is not null) await setUp(cluster).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops and deletes every cluster started so far.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _clusters.Values.Where(lazy => lazy.IsValueCreated))
        {
            try { await (await lazy.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false); }
            catch (Exception) { /* a start that failed has already cleaned up after itself */ }
        }
        _clusters.Clear();
    }
}
