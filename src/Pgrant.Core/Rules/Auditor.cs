using System.Collections.Immutable;

namespace Pgrant.Core.Rules;

/// <summary>The result of one audit: findings in a stable order, and what could not be read.</summary>
public sealed record AuditResult(ImmutableArray<Finding> Findings, ImmutableArray<string> Unreadable, ImmutableArray<RuleDescriptor> RulesRun)
{
    public int Count(Severity severity) => Findings.Count(f => f.Severity == severity);
    public bool AnyAtOrAbove(Severity threshold) => Findings.Any(f => f.Severity >= threshold);
}

/// <summary>Runs the selected rules over one context. Pure: same snapshot, same findings, same order.</summary>
public static class Auditor
{
    public static AuditResult Run(AuditContext context, IEnumerable<IAuditRule>? rules = null)
    {
        var selected = (rules ?? RuleCatalog.All).ToImmutableArray();
        // The fields of Finding.Key as a tuple: the same identity without building one long string per
        // finding (100,000 serial-column findings at 100,000 tables made that 80 MB of keys).
        var seen = new HashSet<(string, string, string?, string?, string)>();
        var findings = new List<Finding>();
        foreach (var rule in selected)
        {
            foreach (var finding in rule.Check(context))
                if (seen.Add((finding.Rule.Id, finding.Database, finding.Object, finding.Role, finding.Message))) findings.Add(finding);
        }
        return new AuditResult(Order(findings), context.Snapshot.Unreadable, [.. selected.Select(r => r.Descriptor)]);
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
                var clusterWide = f.Schema is null && f.ObjectKind is "database" or "role";
                if (seen.Add((f.Rule.Id, clusterWide ? null : f.Database, f.Object, f.Role, clusterWide ? "" : f.Message))) findings.Add(f);
            }
        }
        var unreadable = audits.SelectMany(a => a.Result.Unreadable.Select(u => $"database {a.Database}: {u}"));
        var rulesRun = audits.Count == 0 ? ImmutableArray<RuleDescriptor>.Empty : audits[0].Result.RulesRun;
        return new AuditResult(Order(findings), [.. unreadable], rulesRun);
    }

    /// <summary>The one order of findings: most severe first, then rule, database, object, role, message.</summary>
    private static ImmutableArray<Finding> Order(IEnumerable<Finding> findings) =>
        [.. findings
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Rule.Id, StringComparer.Ordinal)
            .ThenBy(f => f.Database, StringComparer.Ordinal)
            .ThenBy(f => f.Object ?? "", StringComparer.Ordinal)
            .ThenBy(f => f.Role ?? "", StringComparer.Ordinal)
            .ThenBy(f => f.Message, StringComparer.Ordinal)];

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
