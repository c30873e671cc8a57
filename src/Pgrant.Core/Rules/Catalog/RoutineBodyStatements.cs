using System.Collections.Immutable;
using System.Text;
using Pgrant.Core.Diagnosis;

namespace Pgrant.Core.Rules.Catalog;

/// <summary>One SQL statement found in a routine's body.</summary>
/// <param name="Number">Its place among the statements found (1 is the first), as messages count them.</param>
/// <param name="Text">The statement as the body writes it, on one line.</param>
/// <param name="Analyzable">
/// The statement as the server's parser receives it from PL/pgSQL: PERFORM becomes SELECT, and a field of a
/// record variable (<c>NEW.id</c>, <c>OLD.id</c>, <c>r.id</c> of a declared or loop variable) becomes a
/// parameter, as PL/pgSQL substitutes it — so it is not mistaken for a column the statement reads.
/// </param>
/// <param name="Conditional">It runs only on some paths: inside IF, CASE, a loop or an exception handler.</param>
internal sealed record BodyStatement(int Number, string Text, string Analyzable, bool Conditional);

/// <summary>The statements of a body, and how many dynamic ones (EXECUTE) it runs that no reading of the text can judge.</summary>
/// <param name="Statements">The SQL statements, in body order.</param>
/// <param name="Dynamic">How many EXECUTE (and FOR/RETURN QUERY/OPEN … EXECUTE) statements were skipped.</param>
internal sealed record BodySplit(ImmutableArray<BodyStatement> Statements, int Dynamic);

/// <summary>
/// Finds the SQL statements a PL/pgSQL or SQL routine body runs. Built on <see cref="SqlTokenizer"/> (strings,
/// quoted identifiers, dollar quotes and comments are read as the server reads them, so a ';' or a keyword inside
/// them splits nothing): a SQL body is its ';'-separated statements; a PL/pgSQL body is walked through its blocks —
/// DECLARE sections (whose names are variables), BEGIN … EXCEPTION … END, IF/ELSIF/ELSE, CASE, LOOP, WHILE, FOR and
/// FOREACH — to the statements it hands to the SQL engine: INSERT, UPDATE, DELETE, SELECT (… INTO), WITH, MERGE,
/// TRUNCATE, PERFORM, and the queries of FOR … IN, RETURN QUERY and OPEN … FOR. Dynamic SQL (EXECUTE) is counted,
/// not read. Assignments, RAISE, RETURN and the like run expressions, not statements, and are left out.
/// </summary>
internal static class RoutineBodyStatements
{
    private static readonly HashSet<string> StatementWords = new(StringComparer.Ordinal)
    {
        "insert", "update", "delete", "select", "with", "merge", "truncate", "perform", "copy",
    };

    /// <summary>The statements of <paramref name="source"/> (prosrc) in <paramref name="language"/> (plpgsql or sql); none for other languages.</summary>
    public static BodySplit Split(string source, string language)
    {
        ArgumentNullException.ThrowIfNull(source);
        var tokens = SqlTokenizer.Tokenize(source);
        var chunks = Chunks(tokens);
        return language switch
        {
            "plpgsql" => new Walker(source, tokens).Walk(chunks),
            "sql" => new BodySplit([.. chunks
                .Where(c => c.From < c.To && tokens[c.From].Kind == TokenKind.Word && StatementWords.Contains(tokens[c.From].Text) && tokens[c.From].Text != "perform")
                .Select((c, i) => Statement(source, tokens, i + 1, c.From, c.To, [], conditional: false))], 0),
            _ => new BodySplit([], 0),
        };
    }

    /// <summary>Token ranges between ';' outside parentheses.</summary>
    private static List<(int From, int To)> Chunks(List<Token> tokens)
    {
        var chunks = new List<(int, int)>();
        var depth = 0;
        var from = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].IsSymbol("(")) depth++;
            else if (tokens[i].IsSymbol(")")) depth = Math.Max(0, depth - 1);
            else if (depth == 0 && tokens[i].IsSymbol(";"))
            {
                chunks.Add((from, i));
                from = i + 1;
            }
        }
        if (from < tokens.Count) chunks.Add((from, tokens.Count));
        return chunks;
    }

    private static BodyStatement Statement(string source, List<Token> tokens, int number, int from, int to, HashSet<string> records, bool conditional)
    {
        var text = OneLine(source[tokens[from].Start..tokens[to - 1].End]);
        var analyzable = new StringBuilder();
        var at = tokens[from].Start;
        for (var i = from; i < to; i++)
        {
            var t = tokens[i];
            string? replacement = null;
            var end = t.End;
            if (i == from && t.IsWord("perform")) replacement = "SELECT";
            else if (t.Kind == TokenKind.Word && records.Contains(t.Text) && i + 2 < to && tokens[i + 1].IsSymbol(".") && tokens[i + 2].IsIdentifier
                     && (i == from || !tokens[i - 1].IsSymbol(".")))
            {
                replacement = "$1";
                end = tokens[i + 2].End;
                i += 2;
            }
            if (replacement is null) continue;
            analyzable.Append(source, at, t.Start - at).Append(replacement);
            at = end;
        }
        analyzable.Append(source, at, tokens[to - 1].End - at);
        return new BodyStatement(number, text, analyzable.ToString(), conditional);
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));

    private enum Frame { Block, Handler, Branch }

    /// <summary>One pass over a PL/pgSQL body's chunks, keeping the block structure and the variables declared.</summary>
    private sealed class Walker(string source, List<Token> tokens)
    {
        // NEW and OLD are the row variables of every row trigger.
        private readonly HashSet<string> _records = new(StringComparer.Ordinal) { "new", "old" };
        private readonly List<Frame> _frames = [];
        private readonly ImmutableArray<BodyStatement>.Builder _statements = ImmutableArray.CreateBuilder<BodyStatement>();
        private bool _declaring;
        private int _dynamic;

        private bool Conditional => _frames.Any(f => f != Frame.Block);

        public BodySplit Walk(List<(int From, int To)> chunks)
        {
            foreach (var (from, to) in chunks) Chunk(from, to);
            return new BodySplit(_statements.ToImmutable(), _dynamic);
        }

        private void Chunk(int k, int to)
        {
            while (k < to)
            {
                var t = tokens[k];
                // <<label>>
                if (t.IsSymbol("<") && k + 1 < to && tokens[k + 1].IsSymbol("<"))
                {
                    var close = k + 2;
                    while (close + 1 < to && !(tokens[close].IsSymbol(">") && tokens[close + 1].IsSymbol(">"))) close++;
                    k = close + 2;
                    continue;
                }
                if (_declaring)
                {
                    if (t.IsWord("begin")) { _declaring = false; _frames.Add(Frame.Block); k++; continue; }
                    if (t.IsWord("declare")) { k++; continue; }
                    // name [CONSTANT] type …: the name is a variable (a record's fields are then not columns).
                    if (t.IsIdentifier) _records.Add(t.Text);
                    return;
                }
                if (t.Kind != TokenKind.Word) return;
                switch (t.Text)
                {
                    case "declare":
                        _declaring = true;
                        k++;
                        continue;
                    case "begin":
                        _frames.Add(Frame.Block);
                        k++;
                        continue;
                    case "end":
                        // END IF / END LOOP / END CASE / END [label]: closes the innermost frame (a handler closes with its block).
                        if (_frames.Count > 0) _frames.RemoveAt(_frames.Count - 1);
                        return;
                    case "exception":
                        if (_frames.Count > 0 && _frames[^1] == Frame.Block) _frames[^1] = Frame.Handler;
                        k++;
                        continue;
                    case "else":
                        k++;
                        continue;
                    case "if":
                        _frames.Add(Frame.Branch);
                        k = After(k + 1, to, "then");
                        continue;
                    case "elsif" or "elseif" or "when":
                        k = After(k + 1, to, "then");
                        continue;
                    case "case":
                        _frames.Add(Frame.Branch);
                        k = Find(k + 1, to, "when");
                        continue;
                    case "loop":
                        _frames.Add(Frame.Branch);
                        k++;
                        continue;
                    case "while":
                        _frames.Add(Frame.Branch);
                        k = After(k + 1, to, "loop");
                        continue;
                    case "for" or "foreach":
                        k = Loop(k, to);
                        continue;
                    case "return":
                        if (k + 1 < to && tokens[k + 1].IsWord("query")) Query(k + 2, to);
                        return;
                    case "open":
                        var forAt = Find(k + 1, to, "for");
                        if (forAt < to) Query(forAt + 1, to);
                        return;
                    case "execute":
                        _dynamic++;
                        return;
                    default:
                        if (StatementWords.Contains(t.Text)) Add(k, to);
                        return;
                }
            }
        }

        // FOR target IN [REVERSE] query | a..b | EXECUTE … LOOP; FOREACH target [SLICE n] IN ARRAY expr LOOP.
        // The loop's query runs whenever the loop is reached; its body only for the rows (or elements) there are.
        private int Loop(int k, int to)
        {
            var inAt = Find(k + 1, to, "in");
            for (var v = k + 1; v < inAt; v++)
                if (tokens[v].IsIdentifier) _records.Add(tokens[v].Text);
            var loopAt = Find(inAt + 1, to, "loop");
            if (tokens[k].IsWord("for") && inAt + 1 < loopAt) Query(inAt + 1, loopAt);
            _frames.Add(Frame.Branch);
            return loopAt + 1;
        }

        // A query a statement runs (FOR … IN, RETURN QUERY, OPEN … FOR): read when it is SQL text, counted when dynamic.
        private void Query(int from, int to)
        {
            if (from >= to) return;
            if (tokens[from].IsWord("execute")) _dynamic++;
            else if (tokens[from].IsWord("select") || tokens[from].IsWord("with")) Add(from, to);
        }

        private void Add(int from, int to) =>
            _statements.Add(Statement(source, tokens, _statements.Count + 1, from, to, _records, Conditional));

        // The index of the first <word> at the top level (outside parentheses and CASE … END), or to.
        private int Find(int k, int to, string word)
        {
            var depth = 0;
            var cases = 0;
            for (; k < to; k++)
            {
                var t = tokens[k];
                if (t.IsSymbol("(")) depth++;
                else if (t.IsSymbol(")")) depth--;
                else if (depth == 0 && t.IsWord("case")) cases++;
                else if (depth == 0 && cases > 0 && t.IsWord("end")) cases--;
                else if (depth == 0 && cases == 0 && t.IsWord(word)) return k;
            }
            return to;
        }

        private int After(int k, int to, string word) => Math.Min(to, Find(k, to, word) + 1);
    }
}
