using Pgrant.Core.Sql;
using System.Collections.Immutable;
using System.Text;

namespace Pgrant.Core.Catalog;

/// <summary>
/// An object named on the command line, parsed the way the server reads names: bare identifiers
/// fold to lower case, double-quoted ones keep their case and may hold dots and parentheses ("" is
/// a quote). <c>schema.name</c> or <c>name</c>, then optionally <c>(…)</c>: a column for
/// relations (<c>t(col)</c>) or argument types for routines (<c>f(integer, text)</c>, <c>f()</c>), or
/// <c>[]</c>: the array type of a type (<c>mytype[]</c>). <c>schema.table.column</c> names a column
/// (<see cref="Member"/>); <c>table.column</c> may too, decided against the snapshot. <c>large object 16403</c>
/// (or the bare OID) names a large object (<see cref="LargeObject"/>).
/// <see cref="Parenthesized"/> holds the raw comma-separated items; which meaning applies is decided
/// when the name is resolved against a snapshot.
/// </summary>
/// <param name="Schema">The schema it is qualified with (folded or as quoted), or null.</param>
/// <param name="Name">The object's name (folded or as quoted).</param>
/// <param name="Parenthesized">The raw items between the parentheses, or null when there were none (<c>f()</c> gives an empty list).</param>
internal sealed record ObjectReference(string? Schema, string Name, ImmutableArray<string>? Parenthesized)
{
    private const string Expected = "expected NAME, SCHEMA.NAME, TABLE(COLUMN), SCHEMA.TABLE.COLUMN, FUNCTION(ARGTYPE, …), TYPE[] or large object OID; quote names with capitals, dots or spaces: \"My Schema\".\"Tab.le\"";

    /// <summary>The third part of <c>schema.table.column</c>: the column; null otherwise.</summary>
    public string? Member { get; init; }

    /// <summary>The name ended in <c>[]</c>: the array type of the type named.</summary>
    public bool Array { get; init; }

    /// <summary>The OID of <c>large object N</c> (or a bare number), else null.</summary>
    public uint? LargeObject { get; init; }

    /// <summary>Parses OBJECT; throws a <see cref="PgrantException"/> (exit 2) saying what was expected.</summary>
    public static ObjectReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (LargeObjectOid(text) is { } oid) return new ObjectReference(null, oid.ToString(System.Globalization.CultureInfo.InvariantCulture), null) { LargeObject = oid };
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
        if (parts.Count > 3)
            throw Bad(text, $"too many dots: {parts.Count} name parts (at most SCHEMA.TABLE.COLUMN)");
        ImmutableArray<string>? inner = null;
        if (parts.Count < 3 && pos < text.Length && text[pos] == '(')
        {
            inner = SplitTopLevel(text, ref pos);
            SkipSpace(text, ref pos);
        }
        var array = false;
        // name[] — also name[3][]: the server makes every dimension the same array type.
        while (parts.Count < 3 && inner is null && pos < text.Length && text[pos] == '[')
        {
            pos++;
            while (pos < text.Length && char.IsAsciiDigit(text[pos])) pos++;
            if (pos >= text.Length || text[pos] != ']') throw Bad(text, "expected ']' after '['");
            pos++;
            array = true;
            SkipSpace(text, ref pos);
        }
        if (pos < text.Length)
            throw Bad(text, $"unexpected '{text[pos]}' at position {pos + 1}");
        return parts.Count switch
        {
            3 => new ObjectReference(parts[0], parts[1], null) { Member = parts[2] },
            2 => new ObjectReference(parts[0], parts[1], inner) { Array = array },
            _ => new ObjectReference(null, parts[0], inner) { Array = array },
        };
    }

    // "large object 16403" (any case, any spacing) or the bare OID: a large object is named by its OID.
    private static uint? LargeObjectOid(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("large", StringComparison.OrdinalIgnoreCase) && t.Length > 5 && char.IsWhiteSpace(t[5]))
        {
            var rest = t[5..].TrimStart();
            if (!rest.StartsWith("object", StringComparison.OrdinalIgnoreCase) || (rest.Length > 6 && !char.IsWhiteSpace(rest[6]))) return null;
            t = rest[6..].Trim();
            if (t.Length == 0) throw Bad(text, "expected the OID after 'large object'");
        }
        else if (t.Length == 0 || !char.IsAsciiDigit(t[0]))
        {
            return null;
        }
        if (!t.All(char.IsAsciiDigit)
            || !uint.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var oid) || oid == 0)
            throw Bad(text, "a large object is named by its OID, a number from 1 to 4294967295");
        return oid;
    }

    /// <summary>The name as written back in SQL form (each part quoted only when needed).</summary>
    public override string ToString()
    {
        if (LargeObject is { } oid) return "large object " + oid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        if (Schema is not null) sb.Append(SqlNames.Ident(Schema)).Append('.');
        sb.Append(SqlNames.Ident(Name));
        if (Member is not null) sb.Append('.').Append(SqlNames.Ident(Member));
        if (Parenthesized is { } items) sb.Append('(').Append(string.Join(", ", items)).Append(')');
        if (Array) sb.Append("[]");
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
