using System.Text.RegularExpressions;

namespace Pgrant.Postgres.Probe;

/// <summary>
/// COPY as the statement whose privileges it checks: the server takes no PREPARE or EXPLAIN of a COPY, but
/// COPY … FROM checks INSERT on the columns it loads (and fires their defaults), COPY … TO checks SELECT on
/// the columns it dumps, and COPY (query) TO checks the query. The restatement is only analysed or planned,
/// never run.
/// </summary>
internal static partial class CopyStatement
{
    /// <summary>The INSERT or query that checks what <paramref name="text"/> (a COPY) checks, or null for a form it does not restate.</summary>
    public static string? Restate(string text)
    {
        if (QueryCopy().Match(text) is { Success: true } q) return q.Groups["q"].Value;
        var m = TableCopy().Match(text);
        if (!m.Success) return null;
        var target = m.Groups["t"].Value;
        var cols = m.Groups["c"].Success ? m.Groups["c"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : null;
        if (!m.Groups["d"].Value.Equals("from", StringComparison.OrdinalIgnoreCase))
            return $"SELECT {(cols is null ? "*" : string.Join(", ", cols))} FROM ONLY {target}";
        // Values of the target's own row type: INSERT … SELECT from the table would check SELECT too.
        return cols is null
            ? $"INSERT INTO {target} SELECT (NULL::{target}).*"
            : $"INSERT INTO {target} ({string.Join(", ", cols)}) SELECT {string.Join(", ", cols.Select(c => $"(NULL::{target}).{c}"))}";
    }

    /// <summary>Whether a restated COPY loads rows (FROM).</summary>
    public static bool Loads(string text) => !QueryCopy().IsMatch(text) && TableCopy().Match(text) is { Success: true } m &&
        m.Groups["d"].Value.Equals("from", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^\s*copy\s+(?<t>(?:""(?:[^""]|"""")+""|[\w$]+)(?:\s*\.\s*(?:""(?:[^""]|"""")+""|[\w$]+))?)\s*(?:\((?<c>[^)]*)\))?\s+(?<d>from|to)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TableCopy();

    [GeneratedRegex(@"^\s*copy\s*\((?<q>.*)\)\s*to\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex QueryCopy();
}
