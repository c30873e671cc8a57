using System.Text.RegularExpressions;
using Pgrant.Core.Diagnosis.Messages;

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
            // A translation may break its message over two lines (French does for a few).
            var parsed = ParseMessage(body) ?? (i + 1 < lines.Length ? ParseMessage(body + "\n" + lines[i + 1], acrossLines: true) : null);
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
        return m.Success ? (MessageLabels.Default.TagOf(m.Groups["sev"].Value), line[(m.Index + m.Length)..]) : (null, line);
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
            switch (MessageLabels.Default.TagOf(m.Groups["tag"].Value))
            {
                case "DETAIL": detail ??= value; break;
                case "STATEMENT": statement ??= value; break;
                case "ERROR" or "FATAL": return (detail, statement);
            }
        }
        return (detail, statement);
    }

    private static PermissionError? ParseMessage(string body, bool acrossLines = false)
    {
        if (MessageCatalog.Default.Match(body, acrossLines) is not { } m) return null;
        var t = m.Template;
        var args = m.Arguments;
        var message = body.Substring(m.Index, m.Length);
        var name = t.NameArgument == 0 ? "" : args[t.NameArgument - 1];
        // A bare name ends the message: cut what the paste appended after it.
        if (m.NameAtEnd)
        {
            var cut = CutName(MessageLabels.Default.WithoutPosition(name));
            if (cut.Length == 0) return null;
            message = message[..(message.Length - name.Length)] + cut;
            name = Unquote(cut);
        }
        return new PermissionError(t.Kind, message.Trim(), t.ObjectWord, name, t.Kind == PermissionErrorKind.DatabaseConnect ? "FATAL" : null, null, null)
        {
            Language = m.Language,
            MessageId = t.MsgId,
        };
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

    // The words in every language the catalogs translate them to (MessageLabels).
    private static Regex SeverityPrefix() => MessageLabels.Default.SeverityPrefix;

    private static Regex FollowLine() => MessageLabels.Default.FollowLine;








}
