using System.Collections.Immutable;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// Reads the privilege-relevant shape of one DML statement (INSERT, UPDATE, DELETE, SELECT,
/// TRUNCATE, COPY). It does not parse expressions: it collects the identifiers they mention, which
/// the explainer matches against the target's real columns.
/// </summary>
internal static class StatementAnalyzer
{
    /// <summary>The shape of one statement; <see cref="StatementCommand.Other"/> for anything it does not read.</summary>
    public static StatementShape Analyze(string sql)
    {
        var t = SqlTokenizer.Tokenize(sql);
        // The verb is the first word; a leading WITH (CTEs) is not analysed.
        if (t.Count == 0) return Empty(StatementCommand.Other);
        return t[0].Text switch
        {
            "insert" => Insert(t),
            "update" => Update(t),
            "delete" => Delete(t),
            "select" => Select(t),
            "truncate" => Truncate(t),
            "copy" => Copy(t),
            "lock" => Access.TableLocks.Parse(sql) is { } l
                ? Empty(StatementCommand.Lock) with { Target = Lock(t), Lock = l.Mode }
                : Empty(StatementCommand.Other),
            _ => Empty(StatementCommand.Other),
        };
    }

    private static StatementShape Empty(StatementCommand command) =>
        new(command, null, [], false, [], false, false, false, false);

    private static StatementShape Insert(List<Token> t)
    {
        var i = 1;
        if (!Expect(t, ref i, "into")) return Empty(StatementCommand.Insert);
        var target = ReadName(t, ref i);
        SkipAlias(t, ref i);
        var columns = ImmutableArray.CreateBuilder<string>();
        var all = true;
        if (i < t.Count && t[i].IsSymbol("("))
        {
            all = false;
            i++;
            while (i < t.Count && !t[i].IsSymbol(")"))
            {
                if (t[i].IsIdentifier) columns.Add(t[i].Text);
                i++;
            }
            i++;
        }
        var (reads, returning, returningAll, onConflict) = Tail(t, i);
        return new StatementShape(StatementCommand.Insert, target, columns.ToImmutable(), all, reads, returning, returningAll, onConflict, false);
    }

    private static StatementShape Update(List<Token> t)
    {
        var i = 1;
        if (i < t.Count && t[i].IsWord("only")) i++;
        var target = ReadName(t, ref i);
        SkipAlias(t, ref i);
        if (!Expect(t, ref i, "set")) return Empty(StatementCommand.Update) with { Target = target };
        var written = ImmutableArray.CreateBuilder<string>();
        var reads = ImmutableArray.CreateBuilder<string>();
        // SET a = expr, (b, c) = (…): the identifier right before '=' at depth 0 is written.
        var depth = 0;
        var expectColumn = true;
        for (; i < t.Count; i++)
        {
            var tok = t[i];
            if (depth == 0 && (tok.IsWord("where") || tok.IsWord("returning") || tok.IsWord("from"))) break;
            if (tok.IsSymbol("(")) { depth++; continue; }
            if (tok.IsSymbol(")")) { depth--; continue; }
            if (tok.IsSymbol(",") && depth == 0) { expectColumn = true; continue; }
            if (tok.IsSymbol("=") && depth <= 1) { expectColumn = false; continue; }
            if (tok.IsIdentifier)
            {
                if (expectColumn) written.Add(tok.Text);
                else reads.Add(tok.Text);
            }
        }
        var (tailReads, returning, returningAll, _) = Tail(t, i);
        reads.AddRange(tailReads);
        return new StatementShape(StatementCommand.Update, target, written.ToImmutable(), false, reads.ToImmutable(), returning, returningAll, false, false);
    }

    private static StatementShape Delete(List<Token> t)
    {
        var i = 1;
        if (!Expect(t, ref i, "from")) return Empty(StatementCommand.Delete);
        if (i < t.Count && t[i].IsWord("only")) i++;
        var target = ReadName(t, ref i);
        SkipAlias(t, ref i);
        var (reads, returning, returningAll, _) = Tail(t, i);
        return new StatementShape(StatementCommand.Delete, target, [], false, reads, returning, returningAll, false, false);
    }

    private static StatementShape Select(List<Token> t)
    {
        // SELECT list FROM target …: every identifier read; '*' reads all.
        var fromAt = t.FindIndex(x => x.IsWord("from"));
        if (fromAt < 0) return Empty(StatementCommand.Select);
        var i = fromAt + 1;
        var target = ReadName(t, ref i);
        var reads = ImmutableArray.CreateBuilder<string>();
        var all = false;
        for (var j = 1; j < t.Count; j++)
        {
            if (j == fromAt || (j > fromAt && j < i)) continue;
            if (t[j].IsSymbol("*")) all = true;
            else if (t[j].IsIdentifier) reads.Add(t[j].Text);
        }
        var forUpdate = t.Select((x, k) => (x, k)).Any(p => p.x.IsWord("for") && p.k + 1 < t.Count && (t[p.k + 1].IsWord("update") || t[p.k + 1].IsWord("share") || t[p.k + 1].IsWord("no") || t[p.k + 1].IsWord("key")));
        return new StatementShape(StatementCommand.Select, target, [], false, reads.ToImmutable(), all, all, false, forUpdate);
    }

    // The first table a LOCK names (the one a "permission denied for table" is most often about; the others are
    // checked the same way, one by one).
    private static QualifiedName? Lock(List<Token> t)
    {
        var i = 1;
        if (i < t.Count && t[i].IsWord("table")) i++;
        if (i < t.Count && t[i].IsWord("only")) i++;
        return ReadName(t, ref i);
    }

    private static StatementShape Truncate(List<Token> t)
    {
        var i = 1;
        if (i < t.Count && t[i].IsWord("table")) i++;
        if (i < t.Count && t[i].IsWord("only")) i++;
        return Empty(StatementCommand.Truncate) with { Target = ReadName(t, ref i) };
    }

    private static StatementShape Copy(List<Token> t)
    {
        var i = 1;
        if (i < t.Count && t[i].IsSymbol("(")) return Empty(StatementCommand.CopyTo);
        var target = ReadName(t, ref i);
        var columns = ImmutableArray.CreateBuilder<string>();
        var all = true;
        if (i < t.Count && t[i].IsSymbol("("))
        {
            all = false;
            for (i++; i < t.Count && !t[i].IsSymbol(")"); i++)
                if (t[i].IsIdentifier) columns.Add(t[i].Text);
            i++;
        }
        var from = i < t.Count && t[i].IsWord("from");
        return from
            ? new StatementShape(StatementCommand.CopyFrom, target, columns.ToImmutable(), all, [], false, false, false, false)
            : new StatementShape(StatementCommand.CopyTo, target, [], false, columns.ToImmutable(), all, all, false, false);
    }

    /// <summary>Identifiers after the main clause: WHERE, ON CONFLICT, RETURNING.</summary>
    private static (ImmutableArray<string> Reads, bool Returning, bool ReturningAll, bool OnConflict) Tail(List<Token> t, int i)
    {
        var reads = ImmutableArray.CreateBuilder<string>();
        bool returning = false, returningAll = false, onConflict = false, inValues = false;
        var depth = 0;
        for (; i < t.Count; i++)
        {
            var tok = t[i];
            if (tok.IsSymbol("(")) depth++;
            else if (tok.IsSymbol(")")) depth--;
            if (depth == 0 && tok.IsWord("values")) { inValues = true; continue; }
            if (depth == 0 && tok.IsWord("returning")) { returning = true; inValues = false; continue; }
            if (depth == 0 && tok.IsWord("on") && i + 1 < t.Count && t[i + 1].IsWord("conflict")) { onConflict = true; inValues = false; continue; }
            if (depth == 0 && (tok.IsWord("where") || tok.IsWord("select"))) inValues = false;
            if (inValues) continue;
            if (returning && tok.IsSymbol("*")) returningAll = true;
            if (tok.IsIdentifier && !IsKeyword(tok)) reads.Add(tok.Text);
        }
        return (reads.ToImmutable(), returning, returningAll, onConflict);
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "where", "and", "or", "not", "null", "is", "in", "like", "ilike", "between", "returning", "on", "conflict", "do",
        "nothing", "update", "set", "excluded", "as", "true", "false", "default", "values", "select", "from", "using",
        "exists", "any", "all", "case", "when", "then", "else", "end", "current_timestamp", "now", "coalesce", "lower",
        "upper", "count", "distinct", "order", "by", "limit", "offset", "asc", "desc", "for", "share", "nowait", "skip",
        "locked", "interval", "cast", "constraint", "returning",
    };

    private static bool IsKeyword(Token tok) => tok.Kind == TokenKind.Word && Keywords.Contains(tok.Text);

    private static bool Expect(List<Token> t, ref int i, string word)
    {
        if (i < t.Count && t[i].IsWord(word)) { i++; return true; }
        return false;
    }

    private static QualifiedName? ReadName(List<Token> t, ref int i)
    {
        if (i >= t.Count || !t[i].IsIdentifier) return null;
        var first = t[i++].Text;
        if (i + 1 < t.Count && t[i].IsSymbol(".") && t[i + 1].IsIdentifier)
        {
            var second = t[i + 1].Text;
            i += 2;
            return new QualifiedName(first, second);
        }
        return new QualifiedName(null, first);
    }

    private static void SkipAlias(List<Token> t, ref int i)
    {
        if (i < t.Count && t[i].IsWord("as")) i++;
        if (i < t.Count && t[i].IsIdentifier && !IsKeyword(t[i]) && !t[i].IsWord("set") && !t[i].IsWord("default"))
        {
            if (!t[i].IsWord("values") && !t[i].IsWord("select") && !t[i].IsWord("overriding")) i++;
        }
    }
}
