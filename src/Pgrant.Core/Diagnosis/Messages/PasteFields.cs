using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>
/// The fields around a message found in a line: SQLSTATE, DETAIL, HINT, CONTEXT and the failing
/// statement, in the forms servers, psql, pg_dump/pg_restore and drivers print them.
/// </summary>
internal static partial class PasteFields
{
    /// <summary>How far after the message its fields may stand (a stack trace may come between).</summary>
    private const int Window = 60;

    /// <summary><paramref name="e"/>, found on line <paramref name="at"/>, with the fields the lines around it carry.</summary>
    public static PermissionError Complete(PermissionError e, string[] lines, int at)
    {
        var end = Math.Min(lines.Length, at + 1 + Window);
        for (var j = at + 1; j < end; j++)
            if ((NewRecord().IsMatch(lines[j]) || MessageLabels.Default.SeverityPrefix.IsMatch(lines[j])) && TagIn(lines[j]) is null) { end = j; break; }

        string? detail = null, hint = null, statement = null;
        var context = ImmutableArray.CreateBuilder<string>();
        for (var j = at + 1; j < end; j++)
        {
            var line = lines[j];
            if (TagIn(line) is var (tagWord, tagValue))
            {
                var value = tagValue;
                switch (tagWord)
                {
                    case "DETAIL" or "Detail": detail ??= value; break;
                    case "HINT" or "Hint": hint ??= value; break;
                    case "CONTEXT" or "Where" or "Context" when context.Count == 0:
                        if (value.Length > 0) context.Add(value);
                        foreach (var line2 in Continuation(lines, j + 1, end, contextLines: true).Lines) context.Add(line2.Trim());
                        break;
                    case "STATEMENT" when statement is null:
                        var (more, tabbed) = Continuation(lines, j + 1, end, contextLines: false);
                        // The server indents a statement's further lines with one tab (removed): the rest is the SQL's own.
                        statement = Normalize(string.Join('\n', [value, .. more]), dedent: !tabbed);
                        break;
                }
                continue;
            }
            if (JsField().Match(line) is { Success: true } js)
            {
                var value = PasteReader.Unescape(js.Groups["v"].Value);
                switch (js.Groups["k"].Value)
                {
                    case "detail": detail ??= value; break;
                    case "hint": hint ??= value; break;
                    case "where" when context.Count == 0: context.AddRange(value.Split('\n')); break;
                }
            }
        }
        statement ??= OtherStatement(lines, at, end);
        var state = e.SqlState;
        for (var j = at + 1; state is null && j < end; j++) state = SqlStateIn(lines[j]);
        for (var j = at - 1; state is null && j >= Math.Max(0, at - 3); j--) state = SqlStateIn(lines[j]);
        return e with
        {
            Detail = e.Detail ?? detail,
            Hint = e.Hint ?? hint,
            Context = e.Context.IsEmpty ? context.ToImmutable() : e.Context,
            Statement = e.Statement ?? statement,
            SqlState = state,
        };
    }

    /// <summary>
    /// A labelled line's label and value: English ("DETAIL:", JDBC's "Detail:"/"Where:"), or a label the server or libpq
    /// translated ("DÉTAIL : …", "ANWEISUNG:  …"), given as its English tag.
    /// </summary>
    private static (string Tag, string Value)? TagIn(string line)
    {
        if (Tag().Match(line) is { Success: true } tag) return (tag.Groups["tag"].Value, tag.Groups["v"].Value.Trim());
        if (MessageLabels.Default.FollowLine.Match(line) is { Success: true } translated
            && MessageLabels.Default.TagOf(translated.Groups["tag"].Value) is "DETAIL" or "HINT" or "CONTEXT" or "STATEMENT")
            return (MessageLabels.Default.TagOf(translated.Groups["tag"].Value)!, translated.Groups["value"].Value.Trim());
        return null;
    }

    /// <summary>The lines that continue a STATEMENT or CONTEXT value: indented ones (a server log's tab), and for CONTEXT the context lines psql prints unindented.</summary>
    private static (List<string> Lines, bool Tabbed) Continuation(string[] lines, int from, int end, bool contextLines)
    {
        var more = new List<string>();
        var tabbed = true;
        for (var j = from; j < end; j++)
        {
            var line = lines[j];
            if (line.Trim().Length == 0 || Tag().IsMatch(line) || StackFrame().IsMatch(line)) break;
            if (line[0] == '\t') more.Add(line[1..]);
            else if (line[0] == ' ') more.Add(line);
            else if (contextLines && ContextStart().IsMatch(line)) more.Add(line);
            else break;
            tabbed &= line[0] == '\t';
        }
        return (more, tabbed && more.Count > 0);
    }

    /// <summary>The failing statement as a driver or tool prints it, when no STATEMENT line gave it.</summary>
    private static string? OtherStatement(string[] lines, int at, int end)
    {
        for (var j = at; j < end; j++)
        {
            var line = lines[j];
            if (j > at && RailsSql().Match(line) is { Success: true } rails) return rails.Groups["sql"].Value.Trim();
            if (SqlAlchemyStart().Match(line) is { Success: true } sa) return SqlAlchemyBlock(lines, j, sa.Index + sa.Length, end);
            if (FailedSql().Match(line) is { Success: true } failed) return failed.Groups["sql"].Value.Trim();
            if (CommandWas().Match(line) is { Success: true } command) return command.Groups["sql"].Value.Trim();
            if (JsonStatement().Match(line) is { Success: true } json) return Normalize(PasteReader.Unescape(json.Groups["v"].Value));
            if (j > at && Flyway().Match(line) is { Success: true } flyway)
            {
                var sql = new List<string> { flyway.Groups["sql"].Value };
                for (var k = j + 1; k < end && !FlywayEnd().IsMatch(lines[k]); k++) sql.Add(lines[k]);
                return Normalize(string.Join('\n', sql));
            }
        }
        for (var j = at - 1; j >= Math.Max(0, at - 3); j--)
            if (Before().Match(lines[j]) is { Success: true } before) return before.Groups["sql"].Value.Trim();
        return null;
    }

    /// <summary>SQLAlchemy's "[SQL: …]", over as many lines as it takes, to the "]" that ends a line.</summary>
    private static string? SqlAlchemyBlock(string[] lines, int start, int offset, int end)
    {
        var parts = new List<string>();
        for (var j = start; j < end; j++)
        {
            var text = j == start ? lines[j][offset..] : lines[j];
            var close = SqlAlchemyEnd().Match(text);
            if (close.Success)
            {
                parts.Add(text[..close.Index]);
                return Normalize(string.Join('\n', parts));
            }
            parts.Add(text);
        }
        return null;
    }

    /// <summary>
    /// A statement as one text: leading and trailing blank lines dropped, the first line trimmed, the
    /// indentation the continuation lines share (a log's or a tool's, not the SQL's) removed.
    /// </summary>
    public static string Normalize(string raw, bool dedent = true)
    {
        var lines = raw.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        // When the statement starts on a line of its own, its first line is indented like the others.
        var ownLine = lines.Count > 1 && lines[0].Length == 0;
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        if (lines.Count == 0) return "";
        var rest = lines.Skip(ownLine ? 0 : 1).Where(l => l.Length > 0).ToList();
        var indent = rest.Count == 0 || !dedent ? 0 : rest.Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', [lines[0].Trim(), .. lines.Skip(1).Select(l => l.Length >= indent ? l[indent..] : l)]);
    }

    /// <summary>A CONTEXT written on one line: each context line the server printed starts with one of its known openings.</summary>
    public static ImmutableArray<string> SplitInlineContext(string value)
    {
        var parts = InlineContextSplit().Split(value.Trim());
        return [.. parts.Select(p => p.Trim()).Where(p => p.Length > 0)];
    }

    /// <summary>The SQLSTATE a driver or tool printed in <paramref name="text"/>, or null.</summary>
    public static string? SqlStateIn(string text)
    {
        if (SqlState().Match(text) is { Success: true } m) return m.Groups["s"].Value;
        return InsufficientPrivilege().IsMatch(text) ? "42501" : null;
    }

    /// <summary>A line that starts another server record (so fields after it are not this error's).</summary>
    [GeneratedRegex(@"\b(?:ERROR|FATAL|PANIC):\s")]
    private static partial Regex NewRecord();

    /// <summary>A DETAIL/HINT/CONTEXT/STATEMENT line (psql, server log with any prefix, psycopg) or JDBC's "  Detail:/Hint:/Where:".</summary>
    [GeneratedRegex(@"(?:^|[\s>|\]])(?<tag>DETAIL|HINT|CONTEXT|STATEMENT|Detail|Hint|Where|Context):(?:\s+(?<v>.*))?$")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^\s+at\s")]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"^(?:SQL statement|SQL function|SQL expression|PL/\w+ function|PL/pgSQL|extension script|COPY |parallel worker|remote SQL command)")]
    private static partial Regex ContextStart();

    /// <summary>node-postgres' error fields (detail: '…', hint: '…', where: '…').</summary>
    [GeneratedRegex(@"^\s*(?<k>detail|hint|where): (?:'(?<v>(?:[^'\\]|\\.)*)'|""(?<v>(?:[^""\\]|\\.)*)"")")]
    private static partial Regex JsField();

    /// <summary>Rails prints the statement after the message on a line of its own: ": INSERT INTO …".</summary>
    [GeneratedRegex(@"^:\s(?<sql>.+)$")]
    private static partial Regex RailsSql();

    [GeneratedRegex(@"\[SQL:\s*")]
    private static partial Regex SqlAlchemyStart();

    [GeneratedRegex(@"\]\s*(?:\(Background on this error.*)?$")]
    private static partial Regex SqlAlchemyEnd();

    /// <summary>Liquibase: "[Failed SQL: (0) …]".</summary>
    [GeneratedRegex(@"\[Failed SQL: (?:\(\d+\) )?(?<sql>.+?)\]?\s*$")]
    private static partial Regex FailedSql();

    /// <summary>pg_dump/pg_restore: "The command was: …", "query was: …", "Query was: …", "Command was: …".</summary>
    [GeneratedRegex(@"(?:The command was|[Qq]uery was|Command was):\s+(?<sql>.+)$")]
    private static partial Regex CommandWas();

    /// <summary>A JSON body's "statement" (Hasura).</summary>
    [GeneratedRegex(@"""statement""\s*:\s*""(?<v>(?:[^""\\]|\\.)*)""")]
    private static partial Regex JsonStatement();

    /// <summary>Flyway: "Statement  : …".</summary>
    [GeneratedRegex(@"^Statement\s+:\s(?<sql>.*)$")]
    private static partial Regex Flyway();

    [GeneratedRegex(@"^(?:\s*$|Caused by|```|\s*at\s|-{3,})")]
    private static partial Regex FlywayEnd();

    /// <summary>Printed before the error: TypeORM's "query failed: …", Liquibase's "Error executing SQL …".</summary>
    [GeneratedRegex(@"(?:query failed: |Error executing SQL )(?<sql>.+)$")]
    private static partial Regex Before();

    [GeneratedRegex(@"\s+(?=(?:SQL statement ""|PL/\w+ function |SQL function ""|remote SQL command: ))")]
    private static partial Regex InlineContextSplit();

    [GeneratedRegex(@"\(SQLSTATE (?<s>[0-9A-Z]{5})\)|SQLSTATE\[(?<s>[0-9A-Z]{5})\]|(?i:sql ?state)\s*:\s*(?<s>[0-9][0-9A-Z]{4})\b|SqlState\(""?E?(?<s>[0-9A-Z]{5})""?\)|\b(?:status_)?code[""']?\s*:\s*[""'](?<s>[0-9][0-9A-Z]{4})[""']|SQL Error \[(?<s>[0-9][0-9A-Z]{4})\]|(?<![\w.:/-])(?<s>42501)(?![\w.:/-])")]
    private static partial Regex SqlState();

    /// <summary>The SQLSTATE's condition name as exception classes carry it (PG::InsufficientPrivilege, psycopg2.errors.InsufficientPrivilege).</summary>
    [GeneratedRegex(@"\bInsufficientPrivilege\b|\binsufficient_privilege\b")]
    private static partial Regex InsufficientPrivilege();
}
