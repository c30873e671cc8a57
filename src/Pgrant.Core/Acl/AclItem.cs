using System.Collections.Immutable;
using System.Text;

namespace Pgrant.Core.Acl;

/// <summary>
/// One aclitem as text names it: <c>grantee=privs/grantor</c>. <see cref="Grantee"/> is null for
/// PUBLIC. <see cref="Grantor"/> is null only when the text omitted it (the server then defaults
/// it). A dropped role appears as its OID in digits, exactly as the server prints it.
/// </summary>
/// <param name="Grantee">The role the privileges are granted to; null for PUBLIC.</param>
/// <param name="Grantor">The role that granted them; null when the text gave no grantor.</param>
/// <param name="Privileges">The privileges granted.</param>
/// <param name="Grantable">Those of <paramref name="Privileges"/> marked '*': granted WITH GRANT OPTION.</param>
public sealed record AclItem(string? Grantee, string? Grantor, Privilege Privileges, Privilege Grantable)
{
    /// <summary>True when the item grants to PUBLIC (the text before '=' is empty).</summary>
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

    /// <summary>
    /// Reads one aclitem as the server's aclitemin does (<c>grantee=privs/grantor</c>, names bare or
    /// double-quoted, an empty grantee for PUBLIC).
    /// </summary>
    /// <exception cref="AclFormatException"><paramref name="text"/> is not a valid aclitem.</exception>
    public static AclItem Parse(string text) => AclItemParser.ParseItem(text);

    /// <summary>
    /// Reads an aclitem[] as the server prints it (<c>{item,"quoted item",…}</c>), such as
    /// pg_class.relacl cast to text.
    /// </summary>
    /// <exception cref="AclFormatException"><paramref name="text"/> is not a valid aclitem array.</exception>
    public static ImmutableArray<AclItem> ParseArray(string text) => AclItemParser.ParseArray(text);
}

/// <summary>
/// Thrown for malformed ACL text. <see cref="Position"/> is the 0-based character offset into
/// <see cref="Input"/>; <see cref="Line"/> and <see cref="Column"/> are 1-based, for people.
/// The message names the column (and the line when the input has several).
/// </summary>
public sealed class AclFormatException(string input, int position, string expected)
    : FormatException(Describe(input, position, expected))
{
    /// <summary>The whole text that was being read.</summary>
    public string Input { get; } = input;

    /// <summary>The 0-based character offset in <see cref="Input"/> where reading failed.</summary>
    public int Position { get; } = position;

    /// <summary>What the reader expected at <see cref="Position"/>, in words.</summary>
    public string Expected { get; } = expected;

    /// <summary>The 1-based line of <see cref="Position"/>.</summary>
    public int Line => LineOf(Input, Position);

    /// <summary>The 1-based column of <see cref="Position"/> within its line.</summary>
    public int Column => ColumnOf(Input, Position);

    private static string Describe(string input, int position, string expected)
    {
        var where = input.Contains('\n')
            ? $"line {LineOf(input, position)}, column {ColumnOf(input, position)}"
            : $"column {position + 1}";
        var found = position >= input.Length ? " (found the end of the input)"
            : char.IsControl(input[position]) ? $" (found U+{(int)input[position]:X4})"
            : $" (found '{input[position]}')";
        if (expected.Contains("(found ", StringComparison.Ordinal)) found = "";
        return $"malformed ACL at {where}: expected {expected}{found}";
    }

    private static int LineOf(string input, int position)
    {
        var line = 1;
        for (var i = 0; i < position && i < input.Length; i++)
            if (input[i] == '\n') line++;
        return line;
    }

    private static int ColumnOf(string input, int position)
    {
        var start = position <= 0 ? 0 : input.LastIndexOf('\n', Math.Min(position, input.Length) - 1) + 1;
        return position - start + 1;
    }
}
