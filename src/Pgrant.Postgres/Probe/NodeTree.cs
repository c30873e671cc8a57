using System.Globalization;
using System.Text;

namespace Pgrant.Postgres.Probe;

/// <summary>A value of the server's node-tree text (nodeToString): a node, a list, an atom, or null (<c>&lt;&gt;</c>).</summary>
internal abstract record TreeValue;

/// <summary><c>{TYPE :field value …}</c>: a node with its fields (a field may carry several values, as :constvalue does).</summary>
internal sealed record TreeNode(string Type, IReadOnlyDictionary<string, IReadOnlyList<TreeValue>> Fields) : TreeValue
{
    /// <summary>The field's first value, or null when the node has no such field.</summary>
    public TreeValue? Field(string name) => Fields.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    /// <summary>The field as text (an atom), or null.</summary>
    public string? Text(string name) => Field(name) is TreeAtom a ? a.Text : null;

    /// <summary>The field as a number, or null.</summary>
    public long? Number(string name) =>
        long.TryParse(Text(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The members of a bitmapset field <c>(b 1 2)</c>; empty for <c>(b)</c>, null or a missing field.</summary>
    public IReadOnlyList<int> Bitmap(string name) =>
        Field(name) is TreeList { Tag: "b" } l ? [.. l.Items.OfType<TreeAtom>().Select(a => int.Parse(a.Text, CultureInfo.InvariantCulture))] : [];
}

/// <summary><c>( … )</c>: a list of values; <see cref="Tag"/> is b, i, o or x for bitmapsets and integer/OID lists, else null. <c>[ … ]</c> (a datum's bytes) is a list too.</summary>
internal sealed record TreeList(string? Tag, IReadOnlyList<TreeValue> Items) : TreeValue;

/// <summary>A word, a number or a quoted string, unescaped.</summary>
internal sealed record TreeAtom(string Text, bool Quoted) : TreeValue;

/// <summary><c>&lt;&gt;</c>.</summary>
internal sealed record TreeNull : TreeValue
{
    public static readonly TreeNull Value = new();
}

/// <summary>
/// A tolerant reader of the node-tree text the server prints for debug_print_rewritten (outfuncs.c):
/// nodes, lists, bitmapsets and datums, with backslash escapes and quoted strings. It knows no node
/// type, so fields added or removed between majors (13–18) do not matter; text it cannot read ends the
/// value where it stands rather than failing.
/// </summary>
internal static class NodeTree
{
    /// <summary>Reads every top-level value of <paramref name="text"/>.</summary>
    public static IReadOnlyList<TreeValue> Read(string text)
    {
        var tokens = Tokenize(text);
        var pos = 0;
        var result = new List<TreeValue>();
        while (pos < tokens.Count)
        {
            var before = pos;
            if (ReadValue(tokens, ref pos) is { } v) result.Add(v);
            if (pos == before) pos++;
        }
        return result;
    }

    /// <summary>Every node of type <paramref name="type"/> in <paramref name="values"/>, depth first.</summary>
    public static IEnumerable<TreeNode> All(IEnumerable<TreeValue> values, string type)
    {
        var stack = new Stack<TreeValue>(values.Reverse());
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case TreeNode n:
                    if (n.Type == type) yield return n;
                    foreach (var v in n.Fields.Values.SelectMany(x => x).Reverse()) stack.Push(v);
                    break;
                case TreeList l:
                    foreach (var v in l.Items.Reverse()) stack.Push(v);
                    break;
            }
        }
    }

    private readonly record struct Token(char Kind, string Text);

    // Kinds: '{' '}' '(' ')' '[' ']' ':' (a field name), 'n' (<>), 'w' (a word), 'q' (a quoted string).
    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '{' or '}' or '(' or ')' or '[' or ']') { tokens.Add(new Token(c, c.ToString())); i++; continue; }
            if (c == '<' && i + 1 < text.Length && text[i + 1] == '>') { tokens.Add(new Token('n', "<>")); i += 2; continue; }
            if (c == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    sb.Append(text[i++]);
                }
                i++;
                tokens.Add(new Token('q', sb.ToString()));
                continue;
            }
            var word = new StringBuilder();
            // A quote inside a word is part of it (outToken escapes only a leading one): we"ird\ tab.
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('{' or '}' or '(' or ')' or '[' or ']'))
            {
                if (text[i] == '\\' && i + 1 < text.Length) i++;
                word.Append(text[i++]);
            }
            var w = word.ToString();
            tokens.Add(w.Length > 1 && w[0] == ':' ? new Token(':', w[1..]) : new Token('w', w));
        }
        return tokens;
    }

    private static TreeValue? ReadValue(List<Token> t, ref int pos)
    {
        if (pos >= t.Count) return null;
        var tok = t[pos];
        switch (tok.Kind)
        {
            case 'n': pos++; return TreeNull.Value;
            case 'w': pos++; return new TreeAtom(tok.Text, false);
            case 'q': pos++; return new TreeAtom(tok.Text, true);
            case '{': return ReadNode(t, ref pos);
            case '(': return ReadList(t, ref pos, ')');
            case '[': return ReadList(t, ref pos, ']');
            default: return null;
        }
    }

    private static TreeNode ReadNode(List<Token> t, ref int pos)
    {
        pos++; // {
        var type = pos < t.Count && t[pos].Kind == 'w' ? t[pos++].Text : "";
        var fields = new Dictionary<string, IReadOnlyList<TreeValue>>(StringComparer.Ordinal);
        while (pos < t.Count && t[pos].Kind != '}')
        {
            if (t[pos].Kind != ':') { pos++; continue; }
            var name = t[pos++].Text;
            var values = new List<TreeValue>();
            while (pos < t.Count && t[pos].Kind is not (':' or '}'))
            {
                var before = pos;
                if (ReadValue(t, ref pos) is { } v) values.Add(v);
                if (pos == before) pos++;
            }
            fields[name] = values;
        }
        pos++; // }
        return new TreeNode(type, fields);
    }

    private static TreeList ReadList(List<Token> t, ref int pos, char close)
    {
        pos++; // ( or [
        string? tag = null;
        if (close == ')' && pos < t.Count && t[pos] is { Kind: 'w', Text: "b" or "i" or "o" or "x" })
            tag = t[pos++].Text;
        var items = new List<TreeValue>();
        while (pos < t.Count && t[pos].Kind != close)
        {
            var before = pos;
            if (ReadValue(t, ref pos) is { } v) items.Add(v);
            if (pos == before) pos++;
        }
        pos++;
        return new TreeList(tag, items);
    }
}
