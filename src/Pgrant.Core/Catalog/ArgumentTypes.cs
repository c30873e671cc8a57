using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;

namespace Pgrant.Core.Catalog;

/// <summary>
/// Compares argument types typed by a person (<c>int, varchar(20), VARIADIC int[]</c>) with
/// pg_get_function_identity_arguments text (<c>i integer, VARIADIC character varying[]</c>):
/// modes and typmods are dropped, SQL aliases map to the names format_type prints, and an
/// argument name may precede the type on either side.
/// </summary>
internal static class ArgumentTypes
{
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["int"] = "integer", ["int4"] = "integer",
        ["int2"] = "smallint", ["int8"] = "bigint",
        ["float4"] = "real", ["float8"] = "double precision", ["float"] = "double precision",
        ["bool"] = "boolean",
        ["varchar"] = "character varying", ["char varying"] = "character varying",
        ["char"] = "character", ["bpchar"] = "character",
        ["decimal"] = "numeric",
        ["timestamp"] = "timestamp without time zone", ["timestamptz"] = "timestamp with time zone",
        ["time"] = "time without time zone", ["timetz"] = "time with time zone",
        ["varbit"] = "bit varying",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Modes = new[] { "in", "out", "inout", "variadic" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether the typed arguments match a routine's identity arguments, position by position.</summary>
    public static bool Matches(IReadOnlyList<string> typed, string identityArguments)
    {
        var actual = SplitList(identityArguments);
        if (actual.Length != typed.Count) return false;
        for (var i = 0; i < actual.Length; i++)
            if (!Forms(typed[i]).Overlaps(Forms(actual[i]))) return false;
        return true;
    }

    /// <summary>The canonical type name of one argument (mode, name and typmod dropped, aliases resolved), e.g. "int4[]" → "integer[]".</summary>
    public static string Normalize(string argument)
    {
        var tokens = Tokens(argument);
        return tokens.Count == 0 ? "" : Canonical(tokens);
    }

    // The argument read as a bare type, and (when it has several words) as "name type".
    private static HashSet<string> Forms(string argument)
    {
        var tokens = Tokens(argument);
        var forms = new HashSet<string>(StringComparer.Ordinal) { Canonical(tokens) };
        if (tokens.Count > 1) forms.Add(Canonical(tokens.GetRange(1, tokens.Count - 1)));
        return forms;
    }

    /// <summary>Splits an identity-arguments list at top-level commas ("" for none).</summary>
    public static ImmutableArray<string> SplitList(string list)
    {
        var items = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        var depth = 0;
        var quoted = false;
        foreach (var c in list)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == '(') depth++;
            else if (!quoted && c == ')') depth--;
            else if (!quoted && depth == 0 && c == ',')
            {
                items.Add(current.ToString().Trim());
                current.Clear();
                continue;
            }
            current.Append(c);
        }
        var last = current.ToString().Trim();
        if (last.Length > 0 || items.Count > 0) items.Add(last);
        return items.ToImmutable();
    }

    // Whitespace-separated words outside quotes, typmods "(…)" removed, bare words folded, a leading mode dropped.
    private static List<string> Tokens(string argument)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var depth = 0;
        foreach (var c in argument)
        {
            if (quoted)
            {
                current.Append(c);
                if (c == '"') quoted = false;
            }
            else if (c == '"') { quoted = true; current.Append(c); }
            else if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth > 0) { }
            else if (char.IsWhiteSpace(c)) Flush(tokens, current);
            else current.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
        }
        Flush(tokens, current);
        // "integer []" and "integer[ ]" are the same type as "integer[]".
        for (var i = tokens.Count - 1; i > 0; i--)
            if (tokens[i].StartsWith('[')) { tokens[i - 1] += tokens[i]; tokens.RemoveAt(i); }
        if (tokens.Count > 1 && Modes.Contains(tokens[0])) tokens.RemoveAt(0);
        return tokens;
    }

    private static void Flush(List<string> tokens, StringBuilder current)
    {
        if (current.Length > 0) tokens.Add(current.ToString());
        current.Clear();
    }

    private static string Canonical(List<string> tokens)
    {
        var text = string.Join(' ', tokens);
        var dims = 0;
        while (text.EndsWith(']'))
        {
            var open = text.LastIndexOf('[');
            if (open < 0) break;
            text = text[..open].TrimEnd();
            dims++;
        }
        if (text.StartsWith("pg_catalog.", StringComparison.Ordinal)) text = text["pg_catalog.".Length..];
        if (Aliases.TryGetValue(text, out var alias)) text = alias;
        for (var i = 0; i < dims; i++) text += "[]";
        return text;
    }
}
