using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Pgrant.Clusters;

/// <summary>
/// Clusters that must not outlive this process. Ctrl+C, SIGTERM and normal exit stop and delete
/// them, so an interrupted demo or test run leaves no server and no temp folder behind.
/// (SIGKILL cannot be caught; nothing can clean up after it.)
/// </summary>
internal static class ClusterRegistry
{
    private static readonly ConcurrentDictionary<LocalCluster, byte> Live = new();
    private static readonly object HookGate = new();
    private static List<PosixSignalRegistration>? _signals;

    public static void Add(LocalCluster cluster)
    {
        EnsureHooked();
        Live.TryAdd(cluster, 0);
    }

    public static void Remove(LocalCluster cluster) => Live.TryRemove(cluster, out _);

    private static void EnsureHooked()
    {
        lock (HookGate)
        {
            if (_signals is not null) return;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanupAll();
            // The handlers do not cancel the signal: after cleanup the default action (or the
            // host's own cooperative handling, such as pgrant's Ctrl+C cancellation) proceeds.
            _signals =
            [
                PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => CleanupAll()),
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => CleanupAll()),
            ];
        }
    }

    private static void CleanupAll()
    {
        // In parallel: hosts such as the test runner allow exit handlers only moments.
        Parallel.ForEach(Live.Keys, cluster =>
        {
            try { cluster.Dispose(); }
            catch (Exception) { /* exiting anyway: one stubborn cluster must not keep the others alive */ }
        });
    }
}
