using System.Collections.Immutable;
using System.Text;
using Pgrant.Core;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// Parses a libpq `key=value` connection string exactly as libpq's conninfo_parse does: blanks
/// around `=`, values optionally single-quoted, a backslash escaping the next character (inside or
/// outside quotes). Errors never echo values, since one of them may be the password.
/// </summary>
internal static class ConnInfoParser
{
    public const string Origin = "the connection string";

    public static ImmutableArray<KeyValuePair<string, string>> Parse(string text)
    {
        var result = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        var i = 0;
        while (i < text.Length)
        {
            if (IsSpace(text[i])) { i++; continue; }

            var keyStart = i;
            while (i < text.Length && text[i] != '=' && !IsSpace(text[i])) i++;
            var keyword = text[keyStart..i];
            while (i < text.Length && IsSpace(text[i])) i++;
            if (i >= text.Length || text[i] != '=')
                throw new PgrantException($"missing \"=\" after \"{keyword}\" in the connection string",
                    "write key=value pairs separated by spaces, e.g. \"host=db.example.com dbname=app user=alice\".");
            i++;
            while (i < text.Length && IsSpace(text[i])) i++;

            var value = new StringBuilder();
            if (i < text.Length && text[i] == '\'')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                        throw new PgrantException("unterminated quoted string in the connection string",
                            "close the single quote; write \\' for a quote and \\\\ for a backslash inside a value.");
                    if (text[i] == '\\') { i++; if (i < text.Length) value.Append(text[i++]); continue; }
                    if (text[i] == '\'') { i++; break; }
                    value.Append(text[i++]);
                }
            }
            else
            {
                while (i < text.Length && !IsSpace(text[i]))
                {
                    if (text[i] == '\\') { i++; if (i < text.Length) value.Append(text[i++]); }
                    else value.Append(text[i++]);
                }
            }
            ConnectionKeywords.Validate(keyword, Origin);
            result.Add(new(keyword, value.ToString()));
        }
        return result.ToImmutable();
    }

    /// <summary>C's isspace in the "C" locale, which libpq uses.</summary>
    internal static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
