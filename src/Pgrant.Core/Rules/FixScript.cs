using Pgrant.Core.Sql;
using System.Text;
using Pgrant.Core.Planning;

namespace Pgrant.Core.Rules;

/// <summary>
/// One ordered, commented SQL script of every finding's fix, for a person to review and run with
/// psql: grouped by database (with \connect), errors first, each fix under a comment naming the
/// rule, object and role. Identical statements are written once.
/// </summary>
public static class FixScript
{
    public static string Write(IEnumerable<Finding> findings, string generatedBy)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"-- Fixes proposed by {generatedBy}. Review before running: psql -v ON_ERROR_STOP=1 -f THIS_FILE");
        sb.AppendLine("-- Each database's statements run in one transaction.");
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var db in findings.Where(f => !f.Fix.IsEmpty).GroupBy(f => f.Database).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.AppendLine();
            sb.AppendLine($"\\connect {SqlNames.Ident(db.Key)}");
            sb.AppendLine("BEGIN;");
            sb.AppendLine("SET LOCAL lock_timeout = '5s';");
            foreach (var f in db.OrderByDescending(f => f.Severity).ThenBy(f => f.Rule.Id, StringComparer.Ordinal).ThenBy(f => f.Object, StringComparer.Ordinal))
            {
                var fresh = f.Fix.Where(s => s.StartsWith("--", StringComparison.Ordinal) || written.Add(db.Key + "\u0001" + s)).ToList();
                if (fresh.Count == 0) continue;
                sb.AppendLine($"-- {f.Rule.Id} {f.Rule.Name} ({f.Severity.ToString().ToLowerInvariant()}): {OneLine(f.Object ?? "")}{(f.Role is null ? "" : " for " + OneLine(f.Role))}");
                foreach (var s in fresh) sb.AppendLine(s);
            }
            sb.AppendLine("COMMIT;");
        }
        return sb.ToString();
    }

    // A name may hold a newline; a comment must stay on one line.
    private static string OneLine(string s) => s.Replace('\n', ' ').Replace('\r', ' ');
}
