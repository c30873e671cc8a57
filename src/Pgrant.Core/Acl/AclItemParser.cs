using System.Collections.Immutable;
using System.Text;

namespace Pgrant.Core.Acl;

/// <summary>
/// Reads aclitem text with the server's own rules (aclparse/getid in utils/adt/acl.c, checked on
/// PostgreSQL 15): optional "group"/"user" key word, grantee bare or double-quoted (a doubled
/// quote is a quote; quoted parts may be glued to bare ones), '=', letters where '*' marks the
/// letter before it grantable and the legacy 'R' is ignored, optional "/grantor". Whitespace is
/// allowed around names but not between '=' and the letters or inside them. Bare names take ASCII
/// letters, digits, '_' and any non-ASCII character. A name is at most 63 UTF-8 bytes.
/// </summary>
internal static class AclItemParser
{
    private const int MaxNameBytes = 63;

    public static AclItem ParseItem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pos = 0;
        var item = ReadItem(text, ref pos);
        SkipSpace(text, ref pos);
        if (pos != text.Length)
            throw new AclFormatException(text, pos, item.Grantor is null
                ? "a privilege letter, '*', '/' and the grantor, or the end of the ACL item"
                : "the end of the ACL item");
        return item;
    }

    private static AclItem ReadItem(string text, ref int pos)
    {
        var grantee = ReadName(text, ref pos, out _);
        if (pos >= text.Length || text[pos] != '=')
        {
            if (grantee is "group" or "user")
            {
                var keyword = grantee;
                grantee = ReadName(text, ref pos, out _);
                if (grantee.Length == 0)
                    throw new AclFormatException(text, pos, $"a role name after the \"{keyword}\" key word");
            }
            else if (grantee.Length == 0)
                throw new AclFormatException(text, pos, "a role name or '=' (an empty grantee means PUBLIC)");
            if (pos >= text.Length || text[pos] != '=')
                throw new AclFormatException(text, pos, "'=' after the grantee role name");
        }
        pos++;
        Privilege privileges = Privilege.None, grantable = Privilege.None, last = Privilege.None;
        while (pos < text.Length && (char.IsAsciiLetter(text[pos]) || text[pos] == '*'))
        {
            var ch = text[pos];
            if (ch == '*') grantable |= last;
            else if (ch == 'R') last = Privilege.None; // pre-8.2 RULE privilege: the server ignores it
            else
            {
                last = Privileges.FromLetter(ch)
                    ?? throw new AclFormatException(text, pos, $"a privilege letter ({Privileges.Letters}), '*' or '/' (found '{ch}')");
                privileges |= last;
            }
            pos++;
        }
        string? grantor = null;
        if (pos < text.Length && text[pos] == '/')
        {
            pos++;
            grantor = ReadName(text, ref pos, out var grantorStart);
            if (grantor.Length == 0)
                throw new AclFormatException(text, grantorStart, "a grantor role name after '/'");
        }
        return new AclItem(grantee.Length == 0 ? null : grantee, grantor, privileges, grantable);
    }

    /// <summary>getid(): skips white space, reads a bare/quoted name (maybe empty), skips white space.</summary>
    private static string ReadName(string text, ref int pos, out int start)
    {
        SkipSpace(text, ref pos);
        start = pos;
        var sb = new StringBuilder();
        var inQuotes = false;
        var openQuote = -1;
        var bytes = 0;
        while (pos < text.Length)
        {
            var ch = text[pos];
            if (!(inQuotes || ch == '"' || IsBareNameChar(ch))) break;
            if (ch == '"')
            {
                if (!inQuotes)
                {
                    inQuotes = true;
                    openQuote = pos++;
                    continue;
                }
                if (pos + 1 >= text.Length || text[pos + 1] != '"')
                {
                    inQuotes = false;
                    pos++;
                    continue;
                }
                pos++; // a doubled quote stands for one quote
            }
            bytes += Utf8Bytes(text, pos);
            if (bytes > MaxNameBytes)
                throw new AclFormatException(text, start, $"a role name of at most {MaxNameBytes} bytes");
            sb.Append(ch);
            pos++;
        }
        if (inQuotes) throw new AclFormatException(text, openQuote, "a closing '\"' for the quoted name");
        SkipSpace(text, ref pos);
        return sb.ToString();
    }

    private static int Utf8Bytes(string text, int pos)
    {
        var ch = text[pos];
        if (ch < 0x80) return 1;
        if (ch < 0x800) return 2;
        if (char.IsHighSurrogate(ch)) return 4;
        if (char.IsLowSurrogate(ch)) return 0; // counted with its high surrogate
        return 3;
    }

    /// <summary>is_safe_acl_char(c, true): input accepts any non-ASCII character bare.</summary>
    internal static bool IsBareNameChar(char ch) => ch > 0x7f || char.IsAsciiLetterOrDigit(ch) || ch == '_';

    /// <summary>The C isspace() set the server skips.</summary>
    internal static bool IsSpace(char ch) => ch is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    private static void SkipSpace(string text, ref int pos)
    {
        while (pos < text.Length && IsSpace(text[pos])) pos++;
    }

    public static ImmutableArray<AclItem> ParseArray(string text) => AclArrayParser.Parse(text);
}
