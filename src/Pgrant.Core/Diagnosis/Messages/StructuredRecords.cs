using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>
/// Messages that a paste carries as a field, exactly as the server wrote them: csvlog records, jsonlog
/// lines, and JSON or debug bodies with a "message" (PostgREST, Supabase, Hasura, Prisma's DbError).
/// </summary>
internal static partial class StructuredRecords
{
    // csvlog columns (PostgreSQL 13–18: the first 23 are the same; 14+ add leader_pid and query_id).
    private const int CsvSeverity = 11, CsvState = 12, CsvMessage = 13, CsvDetail = 14, CsvHint = 15, CsvContext = 18, CsvQuery = 19, CsvMinColumns = 23;

    /// <summary>The first known permission error in a structured record of <paramref name="text"/>, or null.</summary>
    public static PermissionError? Find(string text)
    {
        if (text.Contains("\"error_severity\"", StringComparison.Ordinal) && JsonLog(text) is { } json) return json;
        if (CsvLogStart().IsMatch(text) && CsvLog(text) is { } csv) return csv;
        return MessageField(text);
    }

    /// <summary>jsonlog: one JSON object a line.</summary>
    private static PermissionError? JsonLog(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            if (brace < 0 || !line.Contains("\"error_severity\"", StringComparison.Ordinal)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line[brace..]);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object || Str(root, "message") is not { } message) continue;
                if (PasteReader.Exact(message, Str(root, "error_severity")) is not { } e) continue;
                return e with
                {
                    SqlState = Str(root, "state_code"),
                    Detail = Str(root, "detail"),
                    Hint = Str(root, "hint"),
                    Context = Lines(Str(root, "context")),
                    Statement = Str(root, "statement"),
                };
            }
            catch (JsonException)
            {
                // Not a whole JSON line (cut by the paste): the line reader still sees the message.
            }
        }
        return null;

        static string? Str(JsonElement o, string name) =>
            o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    /// <summary>csvlog: records start with the log time; quoted fields may span lines.</summary>
    private static PermissionError? CsvLog(string text)
    {
        foreach (Match start in CsvLogStart().Matches(text))
        {
            var fields = ReadCsvRecord(text, start.Index);
            if (fields.Count < CsvMinColumns) continue;
            if (PasteReader.Exact(fields[CsvMessage], fields[CsvSeverity]) is not { } e) continue;
            return e with
            {
                SqlState = Empty(fields[CsvState]),
                Detail = Empty(fields[CsvDetail]),
                Hint = Empty(fields[CsvHint]),
                Context = Lines(Empty(fields[CsvContext])),
                Statement = Empty(fields[CsvQuery]),
            };
        }
        return null;

        static string? Empty(string s) => s.Length == 0 ? null : s;
    }

    /// <summary>One CSV record from <paramref name="at"/> (RFC 4180 quoting, newlines inside quotes).</summary>
    private static List<string> ReadCsvRecord(string text, int at)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = at; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') { field.Append(c); continue; }
                if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; continue; }
                quoted = false;
                continue;
            }
            if (c == '"' && field.Length == 0) { quoted = true; continue; }
            if (c == ',') { fields.Add(field.ToString()); field.Clear(); continue; }
            if (c == '\n') break;
            field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>A JSON body's "message" (PostgREST, Supabase, Hasura) or a debug struct's message: "…" (Prisma's DbError).</summary>
    private static PermissionError? MessageField(string text)
    {
        foreach (Match m in MessageValue().Matches(text))
        {
            if (PasteReader.Exact(PasteReader.Unescape(m.Groups["v"].Value), null) is not { } e) continue;
            // The other fields of the same body: look a little around the message.
            var from = Math.Max(0, m.Index - 600);
            var around = text[from..Math.Min(text.Length, m.Index + m.Length + 600)];
            return e with
            {
                SqlState = PasteFields.SqlStateIn(around),
                Hint = Field(HintValue(), around),
                Detail = Field(DetailValue(), around),
                Statement = Field(StatementValue(), around) is { } sql ? PasteFields.Normalize(sql) : null,
            };
        }
        return null;

        static string? Field(Regex r, string s) =>
            r.Match(s) is { Success: true } f && PasteReader.Unescape(f.Groups["v"].Value) is { Length: > 0 } v ? v : null;
    }

    private static ImmutableArray<string> Lines(string? s) =>
        s is null ? [] : [.. s.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    [GeneratedRegex(@"(?m)^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?(?: [A-Za-z0-9+:-]+)?,")]
    private static partial Regex CsvLogStart();

    [GeneratedRegex(@"(?:""message""\s*:\s*|\bmessage: )""(?<v>(?:[^""\\\n]|\\.)*)""")]
    private static partial Regex MessageValue();

    [GeneratedRegex(@"(?:""hint""\s*:\s*|\bhint: Some\()""(?<v>(?:[^""\\\n]|\\.)*)""")]
    private static partial Regex HintValue();

    [GeneratedRegex(@"(?:""details?""\s*:\s*|\bdetail: Some\()""(?<v>(?:[^""\\\n]|\\.)*)""")]
    private static partial Regex DetailValue();

    [GeneratedRegex(@"""statement""\s*:\s*""(?<v>(?:[^""\\\n]|\\.)*)""")]
    private static partial Regex StatementValue();
}
