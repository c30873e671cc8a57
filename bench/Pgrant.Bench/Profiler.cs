using System.Diagnostics;
using Npgsql;
using Pgrant.Core.Rules;
using Pgrant.Postgres.Catalog;

namespace Pgrant.Bench;

/// <summary>
/// In-process phase profile of `pgrant check`: the catalog read, the audit context, and each rule
/// alone, repeated so the first (JIT) round can be told from steady state, with the managed
/// allocation of each step. Finds which phase or rule a missed target comes from.
/// </summary>
public static class Profiler
{
    public static async Task<int> RunAsync(string connectionString, int rounds, TextWriter output)
    {
        for (var round = 1; round <= rounds; round++)
        {
            var line = new List<string>();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            Core.Catalog.CatalogSnapshot snapshot;
            TimeSpan opened;
            await using (var conn = new NpgsqlConnection(connectionString))
            {
                await conn.OpenAsync();
                opened = watch.Elapsed;
                snapshot = await CatalogReader.ReadAsync(conn);
            }
            var (elapsed, bytes) = (watch.Elapsed, GC.GetTotalAllocatedBytes(precise: true) - before);
            line.Add($"open {opened.TotalMilliseconds:0} ms");
            line.Add(Format("read", elapsed, bytes));
            AuditContext? context = null;
            var (e2, b2) = Measure(() => context = new AuditContext(snapshot));
            line.Add(Format("context", e2, b2));
            var total = 0;
            foreach (var rule in RuleCatalog.All)
            {
                var count = 0;
                var (e3, b3) = Measure(() => count = rule.Check(context!).Count());
                total += count;
                line.Add(Format($"{rule.Descriptor.Id}({count})", e3, b3));
            }
            // What `check` times as its analyse phase: a fresh context, every rule, de-duplication and ordering.
            var (e4, b4) = Measure(() => Auditor.Run(new AuditContext(snapshot)));
            line.Add(Format("audit", e4, b4));
            var (e5, b5) = Measure(() => Auditor.Run(new AuditContext(snapshot), parallelism: 1));
            line.Add(Format("audit-1-thread", e5, b5));
            output.WriteLine($"round {round}: {string.Join(", ", line)}; {snapshot.Relations.Length} relations, {snapshot.Roles.Length} roles");
        }
        return 0;
    }

    private static string Format(string name, TimeSpan elapsed, long bytes) => $"{name} {elapsed.TotalMilliseconds:0} ms/{bytes / 1048576.0:0} MB{LastGc}";

    [ThreadStatic] private static string? _lastGc;
    private static string LastGc => _lastGc ?? "";

    private static (TimeSpan, long) Measure(Action action)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (pause, gen2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
        var watch = Stopwatch.StartNew();
        action();
        var elapsed = watch.Elapsed;
        var gcPause = GC.GetTotalPauseDuration() - pause;
        _lastGc = gcPause.TotalMilliseconds >= 1 ? $" (GC {gcPause.TotalMilliseconds:0} ms, {GC.CollectionCount(2) - gen2} gen2)" : "";
        return (elapsed, GC.GetTotalAllocatedBytes(precise: true) - before);
    }
}
