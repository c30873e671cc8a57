using System.Text.RegularExpressions;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// Finds a permission error in pasted text: a bare message, a psql "ERROR:" line, a server log
/// excerpt (with DETAIL/STATEMENT lines), a driver's dump such as node-postgres'
/// "{ error: permission denied for sequence x ...}", or an Npgsql "42501: …" message.
/// </summary>
public static partial class PermissionErrorParser
{
    /// <summary>The first permission error in <paramref name="text"/>, with the DETAIL and STATEMENT lines after it; null when there is none.</summary>
    public static PermissionError? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var (severity, body) = StripPrefix(lines[i]);
            var parsed = ParseMessage(body);
            if (parsed is null) continue;
            var (detail, statement) = FollowingLines(lines, i + 1);
            return parsed with { Severity = severity ?? parsed.Severity, Detail = detail, Statement = statement };
        }
        return null;
    }

    /// <summary>Like <see cref="TryParse"/> but explains what it expected when nothing matched.</summary>
    public static PermissionError Parse(string text) =>
        TryParse(text) ?? throw new PgrantException(
            "no PostgreSQL permission error found in the message",
            "pass the error text, e.g. 'permission denied for sequence descriptions_id_seq', a psql 'ERROR:' line, or a server log excerpt");

    private static (string? Severity, string Body) StripPrefix(string line)
    {
        var m = SeverityPrefix().Match(line);
        return m.Success ? (m.Groups["sev"].Value, line[(m.Index + m.Length)..]) : (null, line);
    }

    private static (string? Detail, string? Statement) FollowingLines(string[] lines, int start)
    {
        string? detail = null, statement = null;
        for (var i = start; i < lines.Length; i++)
        {
            var m = FollowLine().Match(lines[i]);
            if (!m.Success)
            {
                // A statement in a server log may continue over several lines (tab-indented).
                if (statement is not null && lines[i].StartsWith('\t'))
                {
                    statement += "\n" + lines[i].TrimStart('\t');
                    continue;
                }
                if (SeverityPrefix().IsMatch(lines[i])) break;
                continue;
            }
            var value = m.Groups["value"].Value.Trim();
            switch (m.Groups["tag"].Value)
            {
                case "DETAIL": detail ??= value; break;
                case "STATEMENT": statement ??= value; break;
                case "ERROR" or "FATAL": return (detail, statement);
            }
        }
        return (detail, statement);
    }

    private static PermissionError? ParseMessage(string body)
    {
        Match m;
        if ((m = DatabaseConnect().Match(body)).Success)
            return Make(PermissionErrorKind.DatabaseConnect, m, "database", "FATAL");
        if ((m = TempTables().Match(body)).Success)
            return Make(PermissionErrorKind.TemporaryTables, m, "database");
        if ((m = SetRole().Match(body)).Success || (m = SetRole16().Match(body)).Success)
            return Make(PermissionErrorKind.SetRole, m, null);
        if ((m = MemberOf().Match(body)).Success)
            return Make(PermissionErrorKind.MemberOfRole, m, null);
        if ((m = Rls().Match(body)).Success)
            return Make(PermissionErrorKind.RowLevelSecurity, m, "table");
        if ((m = Denied().Match(body)).Success)
            return WithWord(PermissionErrorKind.PermissionDenied, m);
        if ((m = Owner().Match(body)).Success)
            return WithWord(PermissionErrorKind.MustBeOwner, m);
        return null;
    }

    private static PermissionError Make(PermissionErrorKind kind, Match m, string? word, string? severity = null) =>
        new(kind, m.Value.Trim(), word, m.Groups["name"].Value, severity, null, null);

    private static PermissionError? WithWord(PermissionErrorKind kind, Match m)
    {
        var rest = m.Groups["rest"].Value;
        foreach (var word in ObjectWords.All)
        {
            if (!rest.StartsWith(word + " ", StringComparison.Ordinal)) continue;
            var name = CutName(rest[(word.Length + 1)..]);
            if (name.Length == 0) return null;
            var message = m.Value[..(m.Groups["rest"].Index - m.Index)] + word + " " + name;
            return new PermissionError(kind, message.Trim(), word, Unquote(name), null, null, null);
        }
        return null;
    }

    /// <summary>
    /// The name runs to the end of the message. Names are printed unquoted, so they may hold
    /// spaces; we cut at what a paste adds after the message: " ...", "}", a quote closing a JS
    /// string, or the driver's next field (", severity:", "\n").
    /// </summary>
    private static string CutName(string text)
    {
        var end = text.Length;
        foreach (var stop in (string[])[" ...", "...", "\",", "',", "\"}", "'}", " }", "}", ", severity", ", code", "\t", " at "])
        {
            var i = text.IndexOf(stop, StringComparison.Ordinal);
            if (i > 0 && i < end) end = i;
        }
        var name = text[..end].TrimEnd();
        // Trailing sentence punctuation or a closing quote of a wrapped string is not part of the name.
        while (name.Length > 0 && name[^1] is '\'' or '`' or ';')
            name = name[..^1];
        return name;
    }

    private static string Unquote(string name) =>
        name.Length >= 2 && name[0] == '"' && name[^1] == '"' ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name;

    [GeneratedRegex(@"^(?:.*?\b)?(?<sev>ERROR|FATAL|PANIC|WARNING):\s+(?:[0-9A-Z]{5}:\s+)?")]
    private static partial Regex SeverityPrefix();

    [GeneratedRegex(@"^(?:.*?\s)?(?<tag>DETAIL|STATEMENT|HINT|CONTEXT|ERROR|FATAL):\s+(?<value>.*)$")]
    private static partial Regex FollowLine();

    [GeneratedRegex(@"permission denied for database ""(?<name>(?:[^""]|"""")+)""")]
    private static partial Regex DatabaseConnect();

    [GeneratedRegex(@"permission denied to create temporary tables in database ""(?<name>(?:[^""]|"""")+)""")]
    private static partial Regex TempTables();

    [GeneratedRegex(@"permission denied to set role ""(?<name>(?:[^""]|"""")+)""")]
    private static partial Regex SetRole();

    [GeneratedRegex(@"must be able to SET ROLE ""(?<name>(?:[^""]|"""")+)""")]
    private static partial Regex SetRole16();

    [GeneratedRegex(@"must be member of role ""(?<name>(?:[^""]|"""")+)""")]
    private static partial Regex MemberOf();

    [GeneratedRegex(@"new row violates row-level security policy (?:""[^""]*"" )?for table ""(?<name>(?:[^""]|"""")+)""")]
    private static partial Regex Rls();

    [GeneratedRegex(@"permission denied for (?<rest>.+)$")]
    private static partial Regex Denied();

    [GeneratedRegex(@"must be owner of (?<rest>.+)$")]
    private static partial Regex Owner();
}
