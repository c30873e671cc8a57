using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pgrant.Core.Rules;

/// <summary>The result of one audit: findings in a stable order, and what could not be read.</summary>
/// <param name="Findings">The findings, most severe first, then by rule, database, object, role and message.</param>
/// <param name="Unreadable">What the catalog read could not see, in plain words (see <see cref="Pgrant.Core.Catalog.CatalogSnapshot.Unreadable"/>).</param>
/// <param name="RulesRun">The rules that ran, in the order they ran.</param>
public sealed record AuditResult(ImmutableArray<Finding> Findings, ImmutableArray<string> Unreadable, ImmutableArray<RuleDescriptor> RulesRun)
{
    /// <summary>How long each rule of <see cref="RulesRun"/> took (wall time, same order); empty for merged results.</summary>
    public ImmutableArray<TimeSpan> RuleTimes { get; init; } = [];

    /// <summary>Time spent reading catalogs, when the result came from a server (zero otherwise).</summary>
    public TimeSpan ReadTime { get; init; }

    /// <summary>Time spent running the rules, when measured (zero otherwise).</summary>
    public TimeSpan AnalyseTime { get; init; }

    /// <summary>How many findings have exactly this severity.</summary>
    public int Count(Severity severity) => Findings.Count(f => f.Severity == severity);
    /// <summary>Whether any finding is at least as severe as <paramref name="threshold"/>.</summary>
    public bool AnyAtOrAbove(Severity threshold) => Findings.Any(f => f.Severity >= threshold);
}

/// <summary>
/// Runs the selected rules over one context. Pure: same snapshot, same findings, same order, whatever
/// the parallelism. Rules are independent, so they run on up to <c>parallelism</c> threads (default: one
/// per core), each thread with its own fork of the context; findings are then joined in rule order,
/// de-duplicated and ordered exactly as a sequential run would.
/// </summary>
public static class Auditor
{
    /// <summary>Runs the rules over the context and returns their findings, de-duplicated, most severe first.</summary>
    /// <param name="context">The snapshot and scope to audit.</param>
    /// <param name="rules">The rules to run; null runs <see cref="RuleCatalog.All"/>.</param>
    /// <param name="parallelism">At most this many threads; null means one per core.</param>
    public static AuditResult Run(AuditContext context, IEnumerable<IAuditRule>? rules = null, int? parallelism = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var selected = (rules ?? RuleCatalog.All).ToImmutableArray();
        var perRule = new List<Finding>[selected.Length];
        var times = new TimeSpan[selected.Length];
        void RunRule(int i, AuditContext own)
        {
            var start = Stopwatch.GetTimestamp();
            perRule[i] = [.. selected[i].Check(own)];
            times[i] = Stopwatch.GetElapsedTime(start);
        }
        var threads = Math.Clamp(parallelism ?? Environment.ProcessorCount, 1, Math.Max(1, selected.Length));
        if (threads == 1)
        {
            for (var i = 0; i < selected.Length; i++) RunRule(i, context);
        }
        else
        {
            // Each worker takes the next rule not yet taken (rules differ in cost by orders of magnitude,
            // so a static split would leave a core idle). A rule's exception reaches the caller unwrapped.
            var next = -1;
            void Work(AuditContext own)
            {
                for (var i = Interlocked.Increment(ref next); i < selected.Length; i = Interlocked.Increment(ref next))
                    RunRule(i, own);
            }
            var workers = Enumerable.Range(0, threads)
                .Select(t => Task.Factory.StartNew(() => Work(t == 0 ? context : context.Fork()), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
                .ToArray();
            Task.WhenAll(workers).GetAwaiter().GetResult();
        }
        // A tuple, not one long string per finding (100,000 findings made that 80 MB of keys).
        var seen = new HashSet<(string, string, string?, string?, string)>();
        var findings = new List<Finding>(perRule.Sum(f => f.Count));
        foreach (var list in perRule)
            foreach (var finding in list)
                if (seen.Add(finding.Identity)) findings.Add(finding);
        return new AuditResult(Order(findings), context.Snapshot.Unreadable, [.. selected.Select(r => r.Descriptor)])
        {
            RuleTimes = ImmutableCollectionsMarshal.AsImmutableArray(times),
        };
    }

    /// <summary>
    /// Joins the audits of several databases of one cluster. Roles and databases are cluster-wide, so
    /// every database's audit sees them: their findings are kept once. Everything else stays per database.
    /// </summary>
    public static AuditResult Merge(IReadOnlyList<(string Database, AuditResult Result)> audits)
    {
        var seen = new HashSet<(string, string?, string?, string?, string)>();
        var findings = new List<Finding>();
        foreach (var (_, result) in audits)
        {
            foreach (var f in result.Findings)
            {
                var clusterWide = f.Schema is null && f.ObjectKind is Acl.ObjectKind.Database or Acl.ObjectKind.Role;
                if (seen.Add((f.Rule.Id, clusterWide ? null : f.Database, f.Object, f.Role, clusterWide ? "" : f.Message))) findings.Add(f);
            }
        }
        var unreadable = audits.SelectMany(a => a.Result.Unreadable.Select(u => $"database {a.Database}: {u}"));
        var rulesRun = audits.Count == 0 ? ImmutableArray<RuleDescriptor>.Empty : audits[0].Result.RulesRun;
        return new AuditResult(Order(findings), [.. unreadable], rulesRun);
    }

    /// <summary>The one order of findings: most severe first, then rule, database, object, role, message.</summary>
    private static ImmutableArray<Finding> Order(IEnumerable<Finding> findings)
    {
        // One comparison over the fields, sorted in place: LINQ's six-key ordering kept key arrays per level.
        var array = findings.ToArray();
        Array.Sort(array, Compare);
        return ImmutableCollectionsMarshal.AsImmutableArray(array);
    }

    private static int Compare(Finding a, Finding b)
    {
        if (ReferenceEquals(a, b)) return 0;
        var c = ((int)b.Severity).CompareTo((int)a.Severity);
        if (c == 0) c = string.CompareOrdinal(a.Rule.Id, b.Rule.Id);
        if (c == 0) c = string.CompareOrdinal(a.Database, b.Database);
        if (c == 0) c = string.CompareOrdinal(a.Object ?? "", b.Object ?? "");
        if (c == 0) c = string.CompareOrdinal(a.Role ?? "", b.Role ?? "");
        if (c == 0) c = string.CompareOrdinal(a.Message, b.Message);
        return c;
    }

    /// <summary>Selects rules by --rules / --exclude-rules (IDs or names, case-insensitive).</summary>
    public static ImmutableArray<IAuditRule> Select(IEnumerable<string> include, IEnumerable<string> exclude)
    {
        var inc = include.SelectMany(Split).ToList();
        var exc = exclude.SelectMany(Split).ToList();
        foreach (var id in inc.Concat(exc))
            if (RuleCatalog.Find(id) is null)
                throw new PgrantException($"unknown rule '{id}'", $"known rules: {string.Join(", ", RuleCatalog.All.Select(r => r.Descriptor.Id))}");
        return [.. RuleCatalog.All.Where(r =>
            (inc.Count == 0 || inc.Any(i => Matches(r, i))) && !exc.Any(e => Matches(r, e)))];
    }

    private static IEnumerable<string> Split(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool Matches(IAuditRule rule, string idOrName) =>
        string.Equals(rule.Descriptor.Id, idOrName, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(rule.Descriptor.Name, idOrName, StringComparison.OrdinalIgnoreCase);
}
