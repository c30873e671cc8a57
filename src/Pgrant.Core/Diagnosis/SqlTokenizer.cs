namespace Pgrant.Core.Diagnosis;

internal enum TokenKind { Word, QuotedIdent, String, Number, Param, Symbol }

/// <summary>A token of SQL text. Words are lower-cased (as the server folds them); quoted identifiers keep their case.</summary>
internal readonly record struct Token(TokenKind Kind, string Text)
{
    /// <summary>Where the token starts in the text it was read from.</summary>
    public int Start { get; init; }
    /// <summary>Just past the token's last character in the text it was read from.</summary>
    public int End { get; init; }

    public bool IsWord(string word) => Kind == TokenKind.Word && Text == word;
    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;
    public bool IsIdentifier => Kind is TokenKind.Word or TokenKind.QuotedIdent;
}

/// <summary>
/// Just enough of PostgreSQL's lexer to find statement structure: identifiers (folded / quoted),
/// string literals (incl. E'' and dollar quoting), numbers, $n parameters, comments skipped.
/// </summary>
internal static class SqlTokenizer
{
    public static List<Token> Tokenize(string sql)
    {
        var tokens = new List<Token>();
        var i = 0;
        // Each branch that adds a token starts at the loop's i and leaves i just past it: the next pass
        // (or the end) records the span, so the text a token came from can be cut out of the original.
        var start = 0;
        var placed = 0;
        void Place()
        {
            if (tokens.Count > placed) tokens[^1] = tokens[^1] with { Start = start, End = i };
            placed = tokens.Count;
        }
        while (i < sql.Length)
        {
            Place();
            start = i;
            var c = sql[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && At(sql, i + 1) == '-') { while (i < sql.Length && sql[i] != '\n') i++; continue; }
            if (c == '/' && At(sql, i + 1) == '*') { SkipBlockComment(sql, ref i); continue; }
            if (c == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < sql.Length)
                {
                    if (sql[i] == '"')
                    {
                        if (At(sql, i + 1) == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(sql[i++]);
                }
                tokens.Add(new Token(TokenKind.QuotedIdent, sb.ToString()));
                continue;
            }
            if (c == '\'' || ((c is 'e' or 'E') && At(sql, i + 1) == '\''))
            {
                var escapes = c != '\'';
                if (escapes) i++;
                i++;
                while (i < sql.Length)
                {
                    if (escapes && sql[i] == '\\') { i += 2; continue; }
                    if (sql[i] == '\'')
                    {
                        if (At(sql, i + 1) == '\'') { i += 2; continue; }
                        i++;
                        break;
                    }
                    i++;
                }
                tokens.Add(new Token(TokenKind.String, ""));
                continue;
            }
            if (c == '$')
            {
                var j = i + 1;
                while (j < sql.Length && char.IsAsciiDigit(sql[j])) j++;
                if (j > i + 1) { tokens.Add(new Token(TokenKind.Param, sql[i..j])); i = j; continue; }
                var tagEnd = j;
                while (tagEnd < sql.Length && (char.IsLetterOrDigit(sql[tagEnd]) || sql[tagEnd] == '_')) tagEnd++;
                if (At(sql, tagEnd) == '$')
                {
                    var tag = sql[i..(tagEnd + 1)];
                    var close = sql.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
                    i = close < 0 ? sql.Length : close + tag.Length;
                    tokens.Add(new Token(TokenKind.String, ""));
                    continue;
                }
            }
            if (char.IsLetter(c) || c == '_')
            {
                var j = i;
                while (j < sql.Length && (char.IsLetterOrDigit(sql[j]) || sql[j] is '_' or '$')) j++;
                tokens.Add(new Token(TokenKind.Word, sql[i..j].ToLowerInvariant()));
                i = j;
                continue;
            }
            if (char.IsAsciiDigit(c))
            {
                var j = i;
                while (j < sql.Length && (char.IsAsciiDigit(sql[j]) || sql[j] == '.')) j++;
                tokens.Add(new Token(TokenKind.Number, sql[i..j]));
                i = j;
                continue;
            }
            if (c == ':' && At(sql, i + 1) == ':') { tokens.Add(new Token(TokenKind.Symbol, "::")); i += 2; continue; }
            tokens.Add(new Token(TokenKind.Symbol, c.ToString()));
            i++;
        }
        Place();
        return tokens;
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    private static void SkipBlockComment(string sql, ref int i)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && At(sql, i + 1) == '*') { depth++; i += 2; continue; }
            if (sql[i] == '*' && At(sql, i + 1) == '/') { depth--; i += 2; if (depth == 0) return; continue; }
            i++;
        }
    }
}
