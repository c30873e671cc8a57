using System.Text;
using Pgrant.Core.Diagnosis;
using Pgrant.IntegrationTests.Explain;
using Pgrant.Postgres.Probe;
using Xunit.Abstractions;

namespace Pgrant.IntegrationTests.Statements;

/// <summary>
/// The server's analysis reaches the probe in three forms — revalidated at EXPLAIN EXECUTE on 13 and 14, printed at
/// PREPARE with range table entries on 15, with RTEPERMISSIONINFO and the raw statement on 16+ — and must give the
/// same needs: every statement of the matrix, as its role after its setup, probed on each configured major, compared
/// (names only: OIDs and the generated role names differ between clusters).
/// </summary>
public sealed class StatementNeedsAcrossMajorsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryMajorFindsTheSameNeeds()
    {
        var byCase = new Dictionary<string, List<(int Major, string Needs)>>(StringComparer.Ordinal);
        foreach (var major in TestVersions.Majors)
        {
            await using var w = await ExplainWorld.CreateAsync(major);
            await w.SqlAsync(StatementCases.World);
            var builder = new NpgsqlConnectionStringBuilder(w.Db.ConnectionString()) { Pooling = false, IncludeErrorDetail = true };
            await using var conn = new NpgsqlConnection(builder.ConnectionString);
            await conn.OpenAsync();
            var index = 0;
            foreach (var c in StatementCases.All)
            {
                index++;
                if (major < c.MinMajor) continue;
                var app = await w.RoleAsync($"n{index}");
                var vown = await w.RoleAsync($"o{index}", "NOLOGIN");
                var suffix = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                string Fill(string s) => s.Replace("{app}", SqlNames.Ident(app), StringComparison.Ordinal)
                    .Replace("{vown}", SqlNames.Ident(vown), StringComparison.Ordinal).Replace("{s}", suffix, StringComparison.Ordinal);
                if (c.Setup.Length > 0) await w.SqlAsync(Fill(c.Setup));
                var needs = await StatementProbe.ProbeAsync(conn, Fill(c.Sql), app, "\"$user\", public", default);
                Assert.True(needs.Analysed, $"{c.Name} on {major}: {needs.Problem}");
                var text = Describe(needs).Replace(vown, "{vown}", StringComparison.Ordinal).Replace(app, "{app}", StringComparison.Ordinal)
                    .Replace(w.Db.Cluster.SuperUser, "{superuser}", StringComparison.Ordinal).Replace("_" + suffix, "_{s}", StringComparison.Ordinal);
                if (!byCase.TryGetValue(c.Name, out var list)) byCase[c.Name] = list = [];
                list.Add((major, text));
            }
        }
        // Same needs on every major, except where the servers themselves differ: then within 13–15 and within 16+.
        var differing = byCase.Where(kv => Groups(kv.Key, kv.Value).Any(g => g.Select(v => v.Needs).Distinct(StringComparer.Ordinal).Count() > 1)).ToList();
        foreach (var (name, list) in differing)
            output.WriteLine($"--- {name}\n" + string.Join("\n", list.Select(v => $"{v.Major}: {v.Needs}")));
        foreach (var (name, reason) in ServerDifferences.Where(d => byCase.ContainsKey(d.Key)))
            output.WriteLine($"{name}: compared within 13–15 and within 16+ ({reason})");
        output.WriteLine($"{byCase.Count} statements probed on {string.Join(", ", TestVersions.Majors)}; {differing.Count} differ");
        Assert.True(differing.Count == 0, $"{differing.Count} statements have different needs on different majors: " + string.Join(", ", differing.Select(d => d.Key)));
    }

    // Where the servers' own analyses differ (seen in the trees they print), by statement of the matrix.
    private static readonly Dictionary<string, string> ServerDifferences = new(StringComparer.Ordinal)
    {
        // 16+ give the DO ALSO action's NEW placeholder a permission entry of its own (SELECT, no column, as the rule's
        // owner); 13–15 give it none (requiredPerms 0).
        ["update with a rule"] = "16+ check the rule action's NEW placeholder",
    };

    private static IEnumerable<List<(int Major, string Needs)>> Groups(string name, List<(int Major, string Needs)> list) =>
        ServerDifferences.ContainsKey(name) ? list.GroupBy(v => v.Major >= 16).Select(g => g.ToList()) : [list];

    private static string Describe(ServerNeeds n)
    {
        var sb = new StringBuilder();
        sb.Append(n.Command).Append(" | ");
        foreach (var r in n.Relations.OrderBy(r => (r.Schema, r.Name, (int)r.Required, r.CheckAs)).Select(r =>
                     $"{r.Schema}.{r.Name} {r.Required} as {r.CheckAs ?? "-"} s({string.Join(",", r.Selected.Order(StringComparer.Ordinal))}) " +
                     $"i({string.Join(",", r.Inserted.Order(StringComparer.Ordinal))}) u({string.Join(",", r.Updated.Order(StringComparer.Ordinal))}) " +
                     $"{(r.WholeRow ? "row " : "")}{(r.NamedInStatement ? "named" : "unnamed")}").Distinct().Order(StringComparer.Ordinal))
            sb.Append(r).Append("; ");
        sb.Append("| ").AppendJoin("; ", n.Functions.Select(f => $"{f.Schema}.{f.Name}({f.IdentityArguments}) {(f.NamedInStatement ? "named" : "unnamed")}").Order(StringComparer.Ordinal));
        sb.Append(" | ").AppendJoin("; ", n.Sequences.Select(s => $"{s.Operation} {s.Schema}.{s.Name}{(s.FromDefault ? " default" : "")}").Distinct().Order(StringComparer.Ordinal));
        sb.Append(" | ").AppendJoin("; ", n.Triggers.Select(t => $"{t.Table} {t.Name} {t.Function} {t.RunsAs} {t.Events}").Order(StringComparer.Ordinal));
        sb.Append(" | ").AppendJoin(",", n.Schemas).Append(" | ").AppendJoin("; ", n.Unseen.Order(StringComparer.Ordinal));
        return sb.ToString();
    }
}
