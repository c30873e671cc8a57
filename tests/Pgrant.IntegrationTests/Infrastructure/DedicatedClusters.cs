namespace Pgrant.IntegrationTests.Infrastructure;

/// <summary>
/// The xunit collection of test classes that start a dedicated cluster per test (see
/// <see cref="ClusterPool"/> for when that is needed). They run one after another: each world setup
/// and comparison keeps both cores busy, and running them side by side only makes every one slower
/// and closer to its timeout.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class DedicatedClusters
{
    public const string Collection = "dedicated clusters, one at a time";
}
