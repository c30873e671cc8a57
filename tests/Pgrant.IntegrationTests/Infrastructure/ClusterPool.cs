using System.Collections.Immutable;

namespace Pgrant.IntegrationTests.Infrastructure;

/// <summary>
/// One shared throwaway cluster per major for the whole test process, started on first use.
/// <see cref="ClusterPoolFramework"/> disposes them after the last test; LocalCluster's own
/// process-exit and Ctrl+C handlers (and its reaping of orphans) cover interrupted runs.
///
/// Sharing rules: test classes run in parallel on the same cluster. Give every test its own
/// database (<see cref="TestDatabase"/>) and uniquely named roles (<see cref="TestDatabase.UniqueName"/>);
/// roles are cluster-wide. A test that enumerates ALL roles of a cluster (or otherwise needs a
/// quiet cluster) must start its own dedicated <see cref="LocalCluster"/> instead, because other
/// tests create and drop roles on the shared one while it runs.
/// </summary>
public static class ClusterPool
{
    private static readonly ClusterSet Clusters = new(SharedOptions);

    /// <summary>
    /// The shared cluster of that major. A failed start is remembered, so every test of that major
    /// fails fast with the same message instead of retrying.
    /// </summary>
    public static Task<LocalCluster> GetAsync(int major) => Clusters.GetAsync(major);

    /// <summary>Stops and deletes every shared cluster started so far (called once, after the last test).</summary>
    public static Task DisposeAllAsync() => Clusters.DisposeAsync().AsTask();

    /// <summary>Options for a shared cluster: also a good base for dedicated ones.</summary>
    public static LocalClusterOptions SharedOptions(int major) => new()
    {
        Major = major,
        // Every test database gets its own Npgsql pool; idle pooled connections add up.
        Settings = ImmutableDictionary<string, string>.Empty.Add("max_connections", "300"),
    };
}
