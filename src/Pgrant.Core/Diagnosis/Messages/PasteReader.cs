using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;

namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>What reading a paste found: the error, or why there is none (for a clear message).</summary>
/// <param name="Error">The permission error, or null.</param>
/// <param name="Problem">Why the paste was declined when it held something that looked like an error, or null.</param>
/// <param name="Hint">What the user may do about <paramref name="Problem"/>, or null.</param>
internal sealed record PasteReading(PermissionError? Error, string? Problem, string? Hint);

/// <summary>
/// Finds the server's permission error and its fields in whatever was pasted: psql and server log lines
/// (any log_line_prefix, csvlog and jsonlog records), pg_dump/pg_restore output, and what drivers and
/// tools print around the server's message (JSON bodies, exception dumps, tracebacks, debug structs).
/// Matching the message text is <see cref="MessageCatalog"/>'s; this reads the layers around it: where
/// the message starts and ends, where an unquoted name ends, and the SQLSTATE, DETAIL, HINT, CONTEXT and
/// STATEMENT near it.
/// </summary>
internal static partial class PasteReader
{
    /// <summary>PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1); a longer name was never printed by a server.</summary>
    public const int MaxNameBytes = 63;

    /// <summary>How much of an over-long name a message shows.</summary>
    private const int EchoChars = 40;

    /// <summary>Reads <paramref name="text"/>: the first permission error in it, or why none was taken.</summary>
    public static PasteReading Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        string? tooLong = null;
        var variants = Variants(text);
        // Structured records first (their message is exact), then lines, on each layer of escaping.
        foreach (var variant in variants)
            if (Take(StructuredRecords.Find(variant)) is { } found) return new PasteReading(found, null, null);
        foreach (var variant in variants)
            if (Take(FindInLines(variant)) is { } found) return new PasteReading(found, null, null);
        if (tooLong is not null)
            return new PasteReading(null,
                $"the name in the message is longer than the {MaxNameBytes} bytes PostgreSQL prints: \"{tooLong}\"",
                "paste the error as the server or driver printed it; PostgreSQL truncates names to 63 bytes");
        return new PasteReading(null, null, null);

        PermissionError? Take(PermissionError? candidate)
        {
            if (candidate is null) return null;
            if (Encoding.UTF8.GetByteCount(candidate.ObjectName) <= MaxNameBytes) return candidate;
            tooLong ??= Echo(candidate.ObjectName);
            return null;
        }
    }

    /// <summary>At most <see cref="EchoChars"/> characters of <paramref name="s"/>, single-line, for a message.</summary>
    public static string Echo(string s)
    {
        var flat = WhiteSpaceRun().Replace(s, " ");
        return flat.Length <= EchoChars ? flat : string.Concat(flat.AsSpan(0, EchoChars), "…");
    }

    /// <summary>The text as pasted, then with one and two layers of backslash escaping removed, then with HTML entities decoded.</summary>
    private static List<string> Variants(string text)
    {
        var variants = new List<string> { text };
        var current = text;
        for (var i = 0; i < 2 && current.Contains('\\', StringComparison.Ordinal); i++)
        {
            var unescaped = Unescape(current);
            if (unescaped == current) break;
            variants.Add(unescaped);
            current = unescaped;
        }
        if (text.Contains("&quot;", StringComparison.Ordinal) || text.Contains("&#39;", StringComparison.Ordinal) || text.Contains("&lt;", StringComparison.Ordinal))
            variants.Add(System.Net.WebUtility.HtmlDecode(text));
        return variants;
    }

    /// <summary>One layer of C/JSON string escaping removed (\" \\ \' \n \t \r \/ and \uXXXX).</summary>
    internal static string Unescape(string s)
    {
        var b = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c != '\\' || i + 1 == s.Length) { b.Append(c); continue; }
            var n = s[++i];
            switch (n)
            {
                case 'n': b.Append('\n'); break;
                case 't': b.Append('\t'); break;
                case 'r': b.Append('\n'); break;
                case '"' or '\\' or '\'' or '/': b.Append(n); break;
                case 'u' when i + 4 < s.Length && int.TryParse(s.AsSpan(i + 1, 4), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var code):
                    b.Append((char)code);
                    i += 4;
                    break;
                default: b.Append('\\').Append(n); break;
            }
        }
        return b.ToString();
    }

    /// <summary>The first line that holds a known message, with the fields around it.</summary>
    private static PermissionError? FindInLines(string text)
    {
        // No line before the first text a message needs can hold one: start there.
        var first = MessageCatalog.Default.FirstCandidate(text);
        if (first < 0) return null;
        var lines = text.Split('\n');
        var start = text.AsSpan(0, first).Count('\n');
        for (var i = start; i < lines.Length; i++)
        {
            var line = lines[i];
            var found = LineMessage.Read(line);
            // A name wrapped onto the next line ("… for relation" / "alembic_version").
            if (found is null && i + 1 < lines.Length && SingleToken().IsMatch(lines[i + 1]) && TrailingWord().IsMatch(line))
            {
                var joined = line.TrimEnd() + " " + lines[i + 1].Trim();
                if (LineMessage.Read(joined) is { } wrapped)
                {
                    found = wrapped;
                    lines[i] = joined;
                    lines[i + 1] = "";
                }
            }
            // A translation may break its message over two lines (French does, for a few).
            if (found is null && i + 1 < lines.Length && LineMessage.Read(line + "\n" + lines[i + 1], acrossLines: true) is { } twoLines)
            {
                found = twoLines;
                lines[i + 1] = "";
            }
            if (found is null) continue;
            return PasteFields.Complete(found, lines, i);
        }
        return null;
    }

    /// <summary>Builds the error for a message matched by <paramref name="m"/> whose name is <paramref name="name"/>.</summary>
    internal static PermissionError Build(MessageMatch m, string message, string name, string? severity)
    {
        var t = m.Template;
        return new PermissionError(t.Kind, message.Trim(), t.ObjectWord, name,
            severity ?? (t.Kind == PermissionErrorKind.DatabaseConnect ? "FATAL" : null), null, null)
        {
            Language = m.Language,
            MessageId = t.MsgId,
        };
    }

    /// <summary>A message read exactly as the server wrote it (a csvlog/jsonlog column, a JSON field): the bare name runs to its end.</summary>
    internal static PermissionError? Exact(string message, string? severity)
    {
        var trimmed = message.Trim();
        if (MessageCatalog.Default.Match(trimmed) is not { } m) return null;
        if (m.Index != 0) return null;
        var t = m.Template;
        var name = t.NameArgument == 0 ? "" : m.Arguments[t.NameArgument - 1];
        if (t.NameArgument != 0 && name.Length == 0) return null;
        var text = trimmed[..(m.Index + m.Length)];
        return Build(m, text, name, severity);
    }

    [GeneratedRegex(@"^\s*[^\s]{1,200}\s*$")]
    private static partial Regex SingleToken();

    [GeneratedRegex(@"\bfor [a-z -]+$")]
    private static partial Regex TrailingWord();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpaceRun();
}

/// <summary>Reads one line: where a known message starts, its severity, and where its name ends.</summary>
internal static partial class LineMessage
{
    /// <summary>The message in <paramref name="line"/> with its name cut where the identifier ends, or null.</summary>
    /// <param name="line">The line (or, with <paramref name="acrossLines"/>, a line joined with the next).</param>
    /// <param name="acrossLines">Only the formats a translation breaks over two lines (French does, for a few).</param>
    public static PermissionError? Read(string line, bool acrossLines = false)
    {
        if (line.Length == 0 || MessageCatalog.Default.Match(line, acrossLines) is not { } m) return null;
        var t = m.Template;
        var before = line[..m.Index];
        var severity = Severity(before);
        var message = line.Substring(m.Index, m.Length);
        var name = t.NameArgument == 0 ? "" : m.Arguments[t.NameArgument - 1];
        var rest = line[(m.Index + m.Length)..];
        if (m.NameAtEnd)
        {
            // A bare name ends the message: it ran to the end of the line; cut what the paste appended
            // (first a cursor position a server log appended, in the log's language).
            var (cut, after) = CutBareName(before, MessageLabels.Default.WithoutPosition(name));
            if (cut.Length == 0) return null;
            rest = after;
            message = message[..(message.Length - name.Length)] + cut;
            name = Unquote(cut);
        }
        else if (t.NameArgument != 0 && name.Length == 0) return null;
        return Annotate(PasteReader.Build(m, message, name, severity), before, rest);
    }

    /// <summary>What the rest of the line says about the error (Rails' " : SQL", a one-line CONTEXT or Where:, pgx's SQLSTATE).</summary>
    private static PermissionError Annotate(PermissionError e, string before, string rest)
    {
        // The line was quoted as inline code: what follows its closing backtick is the writer's prose.
        if (Count(before, '`') % 2 == 1 && rest.IndexOf('`', StringComparison.Ordinal) is var tick and >= 0) rest = rest[..tick];
        var state = PasteFields.SqlStateIn(before + " " + rest) ?? SqlStateJustBefore(before);
        if (state is not null) e = e with { SqlState = state };
        // DETAIL and HINT written on the message's own line (a tool that joined the lines).
        if (InlineField().Match(rest) is { Success: true } f)
            for (; f.Success; f = f.NextMatch())
                e = f.Groups["tag"].Value == "DETAIL" ? e with { Detail = e.Detail ?? f.Groups["v"].Value.Trim() } : e with { Hint = e.Hint ?? f.Groups["v"].Value.Trim() };
        if (InlineContext().Match(rest) is { Success: true } c)
            e = e with { Context = PasteFields.SplitInlineContext(c.Groups["v"].Value) };
        if (RailsStatement().Match(rest) is { Success: true } r)
        {
            e = e with { Statement = r.Groups["sql"].Value.Trim() };
        }
        else if (SqlAlchemyInline().Match(rest) is { Success: true } s)
            e = e with { Statement = PasteFields.Normalize(s.Groups["sql"].Value) };
        if (e.Statement is null && KnexStatement().Match(before) is { Success: true } k)
            e = e with { Statement = k.Groups["sql"].Value.Trim() };
        return e;
    }

    /// <summary>"42501: message" (Npgsql) or "ERROR 42501: message": the SQLSTATE written right before the message.</summary>
    private static string? SqlStateJustBefore(string before) =>
        CodeJustBefore().Match(before) is { Success: true } m ? m.Groups["s"].Value : null;

    private static string? Severity(string before)
    {
        var m = SeverityBefore().Match(before);
        if (m.Success) return m.Groups["sev"].Value.ToUpperInvariant();
        // A severity the server translated ("FEHLER:  ", "ОШИБКА:  "), given as its English tag.
        var translated = MessageLabels.Default.SeverityBefore.Match(before);
        return translated.Success ? MessageLabels.Default.TagOf(translated.Groups["sev"].Value) : null;
    }

    /// <summary>
    /// The bare name ran to the end of the line. It ends where a string the message stood in closes (a
    /// quote or backtick opened before the message), or where a driver's or a writer's addition starts;
    /// a name may hold spaces, so only those additions end it.
    /// </summary>
    internal static (string Name, string After) CutBareName(string before, string name)
    {
        var end = name.Length;
        if (Closer(before) is { } closer)
        {
            var i = name.IndexOf(closer, StringComparison.Ordinal);
            if (i >= 0) end = i;
        }
        for (var stop = Stops().Match(name); stop.Success; stop = stop.NextMatch())
        {
            if (stop.Index == 0) continue;
            if (stop.Index < end) end = stop.Index;
            break;
        }
        foreach (var literal in LiteralStops)
        {
            var i = name.IndexOf(literal, StringComparison.Ordinal);
            if (i > 0 && i < end) end = i;
        }
        // A closing parenthesis with no opening one in the name closes something the paste opened.
        var close = name.IndexOf(')', StringComparison.Ordinal);
        if (close > 0 && close < end && name.LastIndexOf('(', close) < 0) end = close;
        var cut = name[..end].TrimEnd();
        // Sentence punctuation, a closing quote or markdown after the name is not part of it.
        while (cut.Length > 0 && cut[^1] is '\'' or '`' or ';' or '.' or ',' or ':' or '*' or '"' && !IsQuotedName(cut))
            cut = cut[..^1].TrimEnd();
        return (cut, name[end..]);
    }

    private static bool IsQuotedName(string s) => s.Length >= 2 && s[0] == '"' && s[^1] == '"';

    private static readonly string[] LiteralStops = [" ...", "...", "\",", "',", "\"}", "'}", " }", "}", ", severity", ", code", "\t", " at "];

    /// <summary>The quote that closes the string the message was written in, or null when it stood in none.</summary>
    private static string? Closer(string before)
    {
        // Skip the labels written inside the same string ("'ERROR: …", "\"pq: …", "\"ProgrammingError: …").
        var trimmed = Labels().Replace(before, "").TrimEnd();
        if (trimmed.EndsWith("\\\"", StringComparison.Ordinal)) return "\\\"";
        if (trimmed.Length > 0 && trimmed[^1] is '"' or '\'' or '`') return trimmed[^1].ToString();
        if (Count(before, '`') % 2 == 1) return "`";
        var escaped = CountOf(before, "\\\"");
        if (escaped % 2 == 1) return "\\\"";
        if ((Count(before, '"') - escaped) % 2 == 1) return "\"";
        return null;
    }

    private static int Count(string s, char c)
    {
        var n = 0;
        foreach (var x in s) if (x == c) n++;
        return n;
    }

    private static int CountOf(string s, string what)
    {
        var n = 0;
        for (var i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    private static string Unquote(string name) =>
        IsQuotedName(name) ? name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : name;

    /// <summary>A severity word right before the message ("ERROR:  ", "FATAL:  42501: ", "ERROR 42501: ").</summary>
    [GeneratedRegex(@"(?<sev>ERROR|FATAL|PANIC|WARNING)(?:\s+[0-9A-Z]{5})?:\s+(?:[0-9A-Z]{5}:\s+)?$")]
    private static partial Regex SeverityBefore();

    /// <summary>Labels written right before a message ("ERROR: ", "pq: ", "db error: ERROR: ").</summary>
    [GeneratedRegex(@"(?:[^\s""'`]+:\s*)+$")]
    private static partial Regex Labels();

    [GeneratedRegex(@"(?:^|[\s:>(\[])(?<s>[0-9][0-9A-Z]{4}):\s+$")]
    private static partial Regex CodeJustBefore();

    /// <summary>Where a driver's or writer's addition starts after a bare name (the earliest wins).</summary>
    [GeneratedRegex(@" \(SQLSTATE [0-9A-Z]{5}\)| : (?=\S)|\s*Position: \d+|\s+(?:Where|CONTEXT|DETAIL|HINT|STATEMENT|LINE \d+):\s|\s+at character \d+|\s+at (?:\S+ )?line \d+|\.(?:\s|$)|\\n|\\""|\s+\[SQL:|\s+\(Background on this error|\s+\((?:[A-Za-z_][A-Za-z0-9_]*::)+[A-Za-z_][A-Za-z0-9_]*\)|\s+\([\w.]*(?:Error|Exception)\w*\)|\s{2,}$|\s+\[Failed SQL")]
    private static partial Regex Stops();

    [GeneratedRegex(@"(?:\s|^)(?<tag>DETAIL|HINT):\s+(?<v>.*?)(?=\s+(?:DETAIL|HINT|CONTEXT|STATEMENT|Where):\s|$)")]
    private static partial Regex InlineField();

    [GeneratedRegex(@"(?:\s|^)(?:Where|CONTEXT):\s+(?<v>.*?)(?:\s+\[SQL:.*)?$")]
    private static partial Regex InlineContext();

    [GeneratedRegex(@"^\s*:\s(?<sql>.+)$")]
    private static partial Regex RailsStatement();

    [GeneratedRegex(@"\[SQL:\s*(?<sql>.+?)\s*\](?:\s*\(Background|\s*$)")]
    private static partial Regex SqlAlchemyInline();

    /// <summary>Knex: "&lt;sql&gt; - &lt;message&gt;".</summary>
    [GeneratedRegex(@"(?:^|[:>`]\s*)(?<sql>(?i:select|insert|update|delete|with|create|alter|drop|truncate|lock|copy|grant|revoke|merge|refresh|comment|call)\s.*?) - $")]
    private static partial Regex KnexStatement();
}
