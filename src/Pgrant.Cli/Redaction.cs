using System.Text.RegularExpressions;

namespace Pgrant.Cli;

/// <summary>Last line of defence: strips passwords from anything printed (URIs and key=value forms).</summary>
internal static partial class Redaction
{
    public static string Redact(string text) =>
        KeyValuePassword().Replace(UriPassword().Replace(text, "$1:***@"), "$1=***");

    [GeneratedRegex(@"((?:postgres|postgresql)://[^:/@\s]*):[^@\s]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPassword();

    [GeneratedRegex(@"\b(password)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s;]+)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePassword();
}
