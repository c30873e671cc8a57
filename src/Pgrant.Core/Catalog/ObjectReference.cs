using Pgrant.Core.Sql;
using System.Collections.Immutable;
using System.Text;

namespace Pgrant.Core.Catalog;

/// <summary>
/// An object named on the command line, parsed the way the server reads names: bare identifiers
/// fold to lower case, double-quoted ones keep their case and may hold dots and parentheses ("" is
/// a quote). <c>schema.name</c> or <c>name</c>, then optionally <c>(…)</c>: a column for
/// relations (<c>t(col)</c>) or argument types for routines (<c>f(integer, text)</c>, <c>f()</c>).
/// <see cref="Parenthesized"/> holds the raw comma-separated items; which meaning applies is decided
/// when the name is resolved against a snapshot.
/// </summary>
/// <param name="Schema">The schema it is qualified with (folded or as quoted), or null.</param>
/// <param name="Name">The object's name (folded or as quoted).</param>
/// <param name="Parenthesized">The raw items between the parentheses, or null when there were none (<c>f()</c> gives an empty list).</param>
internal sealed record ObjectReference(string? Schema, string Name, ImmutableArray<string>? Parenthesized)
{
    private const string Expected = "expected NAME, SCHEMA.NAME, TABLE(COLUMN) or FUNCTION(ARGTYPE, …); quote names with capitals, dots or spaces: \"My Schema\".\"Tab.le\"";

    /// <summary>Parses OBJECT; throws a <see cref="PgrantException"/> (exit 2) saying what was expected.</summary>
    public static ObjectReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pos = 0;
        var parts = new List<string>();
        SkipSpace(text, ref pos);
        while (true)
        {
            parts.Add(ReadIdentifier(text, ref pos));
            SkipSpace(text, ref pos);
            if (pos < text.Length && text[pos] == '.') { pos++; SkipSpace(text, ref pos); continue; }
            break;
        }
        if (parts.Count > 2)
            throw Bad(text, $"too many dots: {parts.Count} name parts (at most SCHEMA.NAME)");
        ImmutableArray<string>? inner = null;
        if (pos < text.Length && text[pos] == '(')
        {
            inner = SplitTopLevel(text, ref pos);
            SkipSpace(text, ref pos);
        }
        if (pos < text.Length)
            throw Bad(text, $"unexpected '{text[pos]}' at position {pos + 1}");
        return parts.Count == 2 ? new ObjectReference(parts[0], parts[1], inner) : new ObjectReference(null, parts[0], inner);
    }

    /// <summary>The name as written back in SQL form (each part quoted only when needed).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Schema is not null) sb.Append(SqlNames.Ident(Schema)).Append('.');
        sb.Append(SqlNames.Ident(Name));
        if (Parenthesized is { } items) sb.Append('(').Append(string.Join(", ", items)).Append(')');
        return sb.ToString();
    }

    /// <summary>Reads one identifier: "quoted" (with "" for a quote) or bare (letters, digits, _, $; folded to lower case).</summary>
    internal static string ReadIdentifier(string text, ref int pos)
    {
        if (pos >= text.Length) throw Bad(text, "a name is missing");
        if (text[pos] == '"')
        {
            var sb = new StringBuilder();
            pos++;
            while (true)
            {
                if (pos >= text.Length) throw Bad(text, "unterminated quoted identifier");
                if (text[pos] == '"')
                {
                    if (pos + 1 < text.Length && text[pos + 1] == '"') { sb.Append('"'); pos += 2; continue; }
                    pos++;
                    break;
                }
                sb.Append(text[pos++]);
            }
            if (sb.Length == 0) throw Bad(text, "zero-length quoted identifier");
            return sb.ToString();
        }
        var start = pos;
        while (pos < text.Length && IsIdentChar(text[pos], pos == start)) pos++;
        if (pos == start) throw Bad(text, $"unexpected '{text[pos]}' at position {pos + 1}");
        // The server folds only ASCII letters of unquoted names (downcase_identifier).
        return FoldAscii(text[start..pos]);
    }

    private static bool IsIdentChar(char c, bool first) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || c >= 0x80 || (!first && (c is (>= '0' and <= '9') or '$'));

    internal static string FoldAscii(string s)
    {
        var chars = s.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (chars[i] is >= 'A' and <= 'Z') chars[i] = (char)(chars[i] + 32);
        return new string(chars);
    }

    // The items between the parentheses, split at commas outside nested parentheses and quotes.
    private static ImmutableArray<string> SplitTopLevel(string text, ref int pos)
    {
        var items = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        var depth = 0;
        var quoted = false;
        pos++; // '('
        while (true)
        {
            if (pos >= text.Length) throw Bad(text, "missing ')'");
            var c = text[pos++];
            if (quoted)
            {
                current.Append(c);
                if (c == '"') quoted = false;
                continue;
            }
            if (c == '"') { quoted = true; current.Append(c); continue; }
            if (c == '(') depth++;
            else if (c == ')')
            {
                if (depth == 0) break;
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                items.Add(NonEmpty(text, current));
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        var last = current.ToString().Trim();
        if (last.Length > 0 || items.Count > 0) items.Add(NonEmpty(text, current));
        return items.ToImmutable();
    }

    private static string NonEmpty(string text, StringBuilder item)
    {
        var s = item.ToString().Trim();
        if (s.Length == 0) throw Bad(text, "an empty item between the parentheses");
        return s;
    }

    private static void SkipSpace(string text, ref int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
    }

    private static PgrantException Bad(string text, string what) =>
        new($"cannot read object name \"{text}\": {what}", Expected);
}
