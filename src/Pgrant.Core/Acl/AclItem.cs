using System.Collections.Immutable;
using System.Text;

namespace Pgrant.Core.Acl;

/// <summary>
/// One aclitem as text names it: <c>grantee=privs/grantor</c>. <see cref="Grantee"/> is null for
/// PUBLIC. <see cref="Grantor"/> is null only when the text omitted it (the server then defaults
/// it). A dropped role appears as its OID in digits, exactly as the server prints it.
/// </summary>
public sealed record AclItem(string? Grantee, string? Grantor, Privilege Privileges, Privilege Grantable)
{
    public bool IsPublic => Grantee is null;

    /// <summary>Formats exactly as the server's aclitemout does.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Grantee is not null) AppendName(sb, Grantee);
        sb.Append('=').Append(global::Pgrant.Core.Acl.Privileges.ToLetters(Privileges, Grantable)).Append('/');
        if (Grantor is not null) AppendName(sb, Grantor);
        return sb.ToString();
    }

    /// <summary>
    /// A role name as aclitemout writes it: bare when every byte is an ASCII letter, digit or '_',
    /// otherwise double-quoted with '"' doubled (non-ASCII is always quoted, as in the 2025+ minors).
    /// </summary>
    public static void AppendName(StringBuilder sb, string name)
    {
        var bare = name.Length > 0;
        foreach (var ch in name)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch == '_')) { bare = false; break; }
        }
        if (bare) { sb.Append(name); return; }
        sb.Append('"');
        foreach (var ch in name)
        {
            if (ch == '"') sb.Append('"');
            sb.Append(ch);
        }
        sb.Append('"');
    }

    /// <summary>Formats an aclitem[] the way the server prints it (array quoting on top of aclitem quoting).</summary>
    public static string FormatArray(IEnumerable<AclItem> items)
    {
        var sb = new StringBuilder("{");
        var first = true;
        foreach (var item in items)
        {
            if (!first) sb.Append(',');
            first = false;
            var text = item.ToString();
            if (NeedsArrayQuoting(text))
            {
                sb.Append('"');
                foreach (var ch in text)
                {
                    if (ch is '"' or '\\') sb.Append('\\');
                    sb.Append(ch);
                }
                sb.Append('"');
            }
            else sb.Append(text);
        }
        return sb.Append('}').ToString();
    }

    private static bool NeedsArrayQuoting(string element)
    {
        if (element.Length == 0 || element.Equals("NULL", StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var ch in element)
        {
            if (ch is '{' or '}' or ',' or '"' or '\\' or ' ' or '\t' or '\n' or '\r' or '\v' or '\f')
                return true;
        }
        return false;
    }

    public static AclItem Parse(string text) => AclItemParser.ParseItem(text);

    public static ImmutableArray<AclItem> ParseArray(string text) => AclItemParser.ParseArray(text);
}

/// <summary>Thrown for malformed ACL text; <see cref="Position"/> is the 0-based character offset.</summary>
public sealed class AclFormatException(string input, int position, string expected)
    : FormatException($"at position {position + 1}: expected {expected}")
{
    public string Input { get; } = input;
    public int Position { get; } = position;
    public string Expected { get; } = expected;
}
