using System.Collections.Immutable;
using System.Text;

namespace Pgrant.Core.Acl;

/// <summary>
/// Reads an aclitem[] literal with array_in's rules (checked on PostgreSQL 15): braces, ','
/// between elements, white space around elements ignored, an element either wholly
/// double-quoted (backslash escapes the next character) or unquoted (backslash escapes too;
/// a '"' may not appear inside it). The unescaped element is then read as one aclitem. Errors
/// point into the original text, not into the unescaped element.
/// </summary>
internal static class AclArrayParser
{
    public static ImmutableArray<AclItem> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pos = 0;
        SkipSpace(text, ref pos);
        if (pos >= text.Length || text[pos] != '{')
            throw new AclFormatException(text, pos, "'{' to start an aclitem[] array");
        pos++;
        var items = ImmutableArray.CreateBuilder<AclItem>();
        SkipSpace(text, ref pos);
        if (pos < text.Length && text[pos] == '}')
        {
            ExpectEnd(text, pos + 1);
            return items.ToImmutable();
        }
        while (true)
        {
            SkipSpace(text, ref pos);
            if (pos >= text.Length) throw new AclFormatException(text, pos, "an ACL item or '}'");
            var (element, offsets, quoted) = text[pos] switch
            {
                '"' => ReadQuoted(text, ref pos),
                '{' => throw new AclFormatException(text, pos, "an ACL item (an ACL is a one-dimensional array)"),
                ',' or '}' => throw new AclFormatException(text, pos, "an ACL item (empty elements are not allowed)"),
                _ => ReadUnquoted(text, ref pos),
            };
            if (!quoted && element.Equals("NULL", StringComparison.OrdinalIgnoreCase))
                throw new AclFormatException(text, offsets[0], "an ACL item (NULL is not an ACL item)");
            // The delimiter is checked before the element is read, as array_in does.
            SkipSpace(text, ref pos);
            if (pos >= text.Length) throw new AclFormatException(text, pos, "',' or '}'");
            if (text[pos] is not (',' or '}'))
                throw new AclFormatException(text, pos, "',' or '}' after the array element");
            try
            {
                items.Add(AclItemParser.ParseItem(element));
            }
            catch (AclFormatException e)
            {
                var mapped = e.Position < offsets.Count ? offsets[e.Position] : offsets.Count > 0 ? offsets[^1] + 1 : pos;
                throw new AclFormatException(text, mapped, e.Expected);
            }
            if (text[pos] == ',') { pos++; continue; }
            pos++;
            break;
        }
        ExpectEnd(text, pos);
        return items.ToImmutable();
    }

    private static (string Element, List<int> Offsets, bool Quoted) ReadQuoted(string text, ref int pos)
    {
        var open = pos++;
        var sb = new StringBuilder();
        var offsets = new List<int>();
        while (true)
        {
            if (pos >= text.Length) throw new AclFormatException(text, open, "a closing '\"' for the quoted array element");
            var ch = text[pos];
            if (ch == '"') { pos++; break; }
            if (ch == '\\')
            {
                if (pos + 1 >= text.Length) throw new AclFormatException(text, pos + 1, "a character after '\\'");
                pos++;
            }
            offsets.Add(pos);
            sb.Append(text[pos]);
            pos++;
        }
        return (sb.ToString(), offsets, true);
    }

    private static (string Element, List<int> Offsets, bool Quoted) ReadUnquoted(string text, ref int pos)
    {
        var sb = new StringBuilder();
        var offsets = new List<int>();
        var keep = 0; // length without trailing unescaped white space
        while (pos < text.Length && text[pos] is not (',' or '}'))
        {
            var ch = text[pos];
            if (ch == '"')
                throw new AclFormatException(text, pos, "',' or '}' (a '\"' inside an unquoted array element must be written \\\"; quote the whole element instead)");
            if (ch == '{')
                throw new AclFormatException(text, pos, "',' or '}' (a '{' inside an array element must be escaped)");
            var escaped = false;
            if (ch == '\\')
            {
                if (pos + 1 >= text.Length) throw new AclFormatException(text, pos + 1, "a character after '\\'");
                pos++;
                escaped = true;
            }
            offsets.Add(pos);
            sb.Append(text[pos]);
            if (escaped || !AclItemParser.IsSpace(text[pos])) keep = sb.Length;
            pos++;
        }
        sb.Length = keep;
        offsets.RemoveRange(keep, offsets.Count - keep);
        return (sb.ToString(), offsets, false);
    }

    private static void ExpectEnd(string text, int pos)
    {
        SkipSpace(text, ref pos);
        if (pos != text.Length) throw new AclFormatException(text, pos, "the end of the input after '}'");
    }

    private static void SkipSpace(string text, ref int pos)
    {
        while (pos < text.Length && AclItemParser.IsSpace(text[pos])) pos++;
    }
}
