using System.Collections.Immutable;
using System.Text;

namespace Pgrant.Core.Acl;

/// <summary>
/// Reads aclitem and aclitem[] text with the server's rules (aclitemin / array_in): names bare
/// or double-quoted (a doubled quote is a quote), letters with optional '*', optional "/grantor".
/// Unquoted names may hold any letter, digit or '_' (the server accepts non-ASCII letters bare).
/// </summary>
internal static class AclItemParser
{
    public static AclItem ParseItem(string text)
    {
        var pos = 0;
        var item = ParseItemAt(text, ref pos, text.Length);
        SkipSpace(text, ref pos, text.Length);
        if (pos != text.Length) throw new AclFormatException(text, pos, "end of the ACL item");
        return item;
    }

    public static ImmutableArray<AclItem> ParseArray(string text)
    {
        var pos = 0;
        SkipSpace(text, ref pos, text.Length);
        if (pos >= text.Length || text[pos] != '{')
            throw new AclFormatException(text, pos, "'{' to start an aclitem[] array");
        pos++;
        var items = ImmutableArray.CreateBuilder<AclItem>();
        SkipSpace(text, ref pos, text.Length);
        if (pos < text.Length && text[pos] == '}')
        {
            pos++;
            ExpectEnd(text, pos);
            return items.ToImmutable();
        }
        while (true)
        {
            SkipSpace(text, ref pos, text.Length);
            if (pos >= text.Length) throw new AclFormatException(text, pos, "an ACL item or '}'");
            if (text[pos] == '"')
            {
                // Array-quoted element: backslash escapes the next character.
                var start = pos;
                pos++;
                var element = new StringBuilder();
                var offsets = new List<int>();
                while (true)
                {
                    if (pos >= text.Length) throw new AclFormatException(text, pos, "'\"' to close the quoted array element");
                    var ch = text[pos];
                    if (ch == '\\')
                    {
                        if (pos + 1 >= text.Length) throw new AclFormatException(text, pos + 1, "a character after '\\'");
                        offsets.Add(pos + 1);
                        element.Append(text[pos + 1]);
                        pos += 2;
                        continue;
                    }
                    if (ch == '"') { pos++; break; }
                    offsets.Add(pos);
                    element.Append(ch);
                    pos++;
                }
                var inner = element.ToString();
                try
                {
                    items.Add(ParseItem(inner));
                }
                catch (AclFormatException e)
                {
                    var mapped = e.Position < offsets.Count ? offsets[e.Position] : pos - 1;
                    throw new AclFormatException(text, mapped, e.Expected);
                }
                _ = start;
            }
            else
            {
                var end = pos;
                // Unquoted element runs to ',' or '}' (names inside may still be double-quoted).
                var inQuotes = false;
                while (end < text.Length && (inQuotes || (text[end] != ',' && text[end] != '}')))
                {
                    if (text[end] == '"') inQuotes = !inQuotes;
                    end++;
                }
                var p = pos;
                var item = ParseItemAt(text, ref p, end);
                SkipSpace(text, ref p, end);
                if (p != end) throw new AclFormatException(text, p, "',' or '}' after the ACL item");
                items.Add(item);
                pos = end;
            }
            SkipSpace(text, ref pos, text.Length);
            if (pos >= text.Length) throw new AclFormatException(text, pos, "',' or '}'");
            if (text[pos] == ',') { pos++; continue; }
            if (text[pos] == '}') { pos++; break; }
            throw new AclFormatException(text, pos, "',' or '}'");
        }
        ExpectEnd(text, pos);
        return items.ToImmutable();
    }

    private static void ExpectEnd(string text, int pos)
    {
        SkipSpace(text, ref pos, text.Length);
        if (pos != text.Length) throw new AclFormatException(text, pos, "end of input after '}'");
    }

    private static AclItem ParseItemAt(string text, ref int pos, int end)
    {
        SkipSpace(text, ref pos, end);
        var grantee = ReadName(text, ref pos, end);
        SkipSpace(text, ref pos, end);
        if (pos >= end || text[pos] != '=')
            throw new AclFormatException(text, pos, grantee is null ? "a role name or '='" : "'=' after the grantee");
        pos++;
        SkipSpace(text, ref pos, end);
        var privileges = Privilege.None;
        var grantable = Privilege.None;
        while (pos < end && text[pos] != '/' && !char.IsWhiteSpace(text[pos]))
        {
            var letter = text[pos];
            var p = Privileges.FromLetter(letter)
                ?? throw new AclFormatException(text, pos, $"a privilege letter ({Privileges.Letters}), '*' or '/' (found '{letter}')");
            privileges |= p;
            pos++;
            if (pos < end && text[pos] == '*')
            {
                grantable |= p;
                pos++;
            }
        }
        SkipSpace(text, ref pos, end);
        string? grantor = null;
        if (pos < end && text[pos] == '/')
        {
            pos++;
            SkipSpace(text, ref pos, end);
            grantor = ReadName(text, ref pos, end)
                ?? throw new AclFormatException(text, pos, "a grantor role name after '/'");
        }
        if (grantee is null && grantable != Privilege.None)
            throw new AclFormatException(text, pos, "no grant option for PUBLIC ('*' cannot be granted to PUBLIC)");
        return new AclItem(grantee, grantor, privileges, grantable);
    }

    /// <summary>Reads a bare or quoted role name; null when there is none (PUBLIC).</summary>
    private static string? ReadName(string text, ref int pos, int end)
    {
        var sb = new StringBuilder();
        var inQuotes = false;
        var any = false;
        var start = pos;
        while (pos < end)
        {
            var ch = text[pos];
            if (ch == '"')
            {
                any = true;
                if (inQuotes && pos + 1 < end && text[pos + 1] == '"')
                {
                    sb.Append('"');
                    pos += 2;
                    continue;
                }
                inQuotes = !inQuotes;
                pos++;
                continue;
            }
            if (inQuotes || char.IsLetterOrDigit(ch) || ch == '_' || char.IsSurrogate(ch) || ch > 0x7f && !char.IsWhiteSpace(ch))
            {
                sb.Append(ch);
                any = true;
                pos++;
                continue;
            }
            break;
        }
        if (inQuotes) throw new AclFormatException(text, start, "'\"' to close the quoted name");
        return any ? sb.ToString() : null;
    }

    private static void SkipSpace(string text, ref int pos, int end)
    {
        while (pos < end && char.IsWhiteSpace(text[pos])) pos++;
    }
}
