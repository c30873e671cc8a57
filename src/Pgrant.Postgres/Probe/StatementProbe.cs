using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Sql;

namespace Pgrant.Postgres.Probe;

/// <summary>
/// What a statement needs, from the server's own parse analysis and rewriter, never by running it: in a
/// READ ONLY transaction that is always rolled back, with debug_print_rewritten sent to this client
/// (SET LOCAL, so nothing outlives the transaction), <c>PREPARE</c> parses, analyses and rewrites the
/// statement (views expanded, rules applied, defaults filled in, row security added) without the executor,
/// so no privilege is checked and nothing runs; the prepared statement is deallocated at once. 15 and later
/// print the rewritten tree during PREPARE. 13 and 14 rewrite a PREPARE's query without printing it, but print
/// it when a cached plan is revalidated: there <c>DISCARD PLANS</c> marks the prepared statement stale and
/// <c>EXPLAIN EXECUTE</c> with NULL parameters and a generic plan analyses and rewrites it again, printing the
/// same tree, then plans it (EXPLAIN without ANALYZE runs nothing; a permission error of the planner or of
/// ExecutorStart comes after the tree and is caught). The rewritten tree arrives as LOG notices;
/// <see cref="NodeTree"/> reads the permission entries (RTEPERMISSIONINFO on 16+, range table entries on
/// 13–15), the routines called, the sequence functions with constant sequences, and the raw names the
/// statement looks up. The catalog then names them, and says which triggers fire and as whom their bodies run.
/// </summary>
internal static partial class StatementProbe
{
    private const int FirstLowInvalidHeapAttributeNumber = -7;
    private const string ProbeName = "pgrant_probe";

    /// <summary>The needs of <paramref name="statement"/> as <paramref name="role"/> (null: the connected role) with <paramref name="searchPath"/>.</summary>
    public static async Task<ServerNeeds> ProbeAsync(NpgsqlConnection connection, string statement, string? role, string searchPath, CancellationToken ct)
    {
        var text = Trim(statement);
        if (text.Length == 0) return ServerNeeds.Failed(statement, "the statement is empty");
        if (TableLocks.Parse(text) is not null)
            return ServerNeeds.Failed(text, "LOCK is not analysed by the server before it runs; has_table_privilege checks its mode's privileges");
        if (CopyStart().IsMatch(text))
        {
            // The server analyses no COPY before it runs: analyse the INSERT or query it performs instead.
            if (CopyStatement.Restate(text) is not { } restated)
                return ServerNeeds.Failed(text, "a COPY of this form is analysed by the server only when it runs");
            var copyNeeds = await ProbeAsync(connection, restated, role, searchPath, ct).ConfigureAwait(false);
            return copyNeeds with { Statement = text, Command = copyNeeds.Analysed ? (CopyStatement.Loads(text) ? "COPY FROM" : "COPY TO") : "" };
        }
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        try
        {
            var shown = await ShowAsync(connection, tx, text, role, searchPath, ct).ConfigureAwait(false);
            if (shown.Problem is { } problem) return ServerNeeds.Failed(text, problem);
            var effectiveRole = shown.AsRole ?? (string?)await ScalarAsync(connection, tx, "SELECT current_user::text", ct).ConfigureAwait(false) ?? "";
            return await ReadNeedsAsync(connection, tx, text, [.. shown.Trees], effectiveRole, ct).ConfigureAwait(false);
        }
        finally
        {
            await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            await DeallocateAsync(connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The server's rewritten tree of a statement: the details of its LOG notices, or why there is none.
    /// <see cref="AsRole"/> is the role it was analysed as when that is not the connected role.
    /// </summary>
    internal sealed record Shown(IReadOnlyList<string> Trees, string? AsRole, string? Problem);

    /// <summary>
    /// Has the server analyse and rewrite <paramref name="text"/> inside <paramref name="tx"/> (made READ ONLY here;
    /// the caller rolls it back) with <paramref name="searchPath"/>, as <paramref name="role"/> when the connected
    /// role may become it, and returns the rewritten tree it prints. Nothing is run; the prepared statement is
    /// deallocated unless an error left it (the caller's DEALLOCATE after the rollback takes it then).
    /// </summary>
    internal static async Task<Shown> ShowAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string text, string? role, string searchPath,
        CancellationToken ct)
    {
        // 13 and 14 print the tree only when a cached plan is revalidated (see the class summary).
        var revalidate = connection.PostgreSqlVersion.Major < 15;
        var trees = new List<string>();
        var collecting = false;
        NoticeEventHandler onNotice = (_, e) =>
        {
            if (collecting && e.Notice.Severity is "LOG" && e.Notice.Detail is { Length: > 0 } d) trees.Add(d);
        };
        connection.Notice += onNotice;
        try
        {
            await RunAsync(connection, tx, "SET TRANSACTION READ ONLY", ct).ConfigureAwait(false);
            await SetLocalAsync(connection, tx, "search_path", searchPath, ct).ConfigureAwait(false);
            await SetLocalAsync(connection, tx, "client_min_messages", "log", ct).ConfigureAwait(false);
            await SetLocalAsync(connection, tx, "debug_pretty_print", "off", ct).ConfigureAwait(false);
            string? asRole = null;
            if (role is not null)
            {
                // As the role itself when the connected role may become it: its row security and name lookups.
                await RunAsync(connection, tx, "SAVEPOINT pgrant_role", ct).ConfigureAwait(false);
                try
                {
                    await SetLocalAsync(connection, tx, "role", role, ct).ConfigureAwait(false);
                    asRole = role;
                }
                catch (PostgresException)
                {
                    await RunAsync(connection, tx, "ROLLBACK TO SAVEPOINT pgrant_role", ct).ConfigureAwait(false);
                }
            }
            await SetLocalAsync(connection, tx, "debug_print_rewritten", "on", ct).ConfigureAwait(false);
            var prepared = await PrepareAsync(connection, tx, text, revalidate, () => collecting = true, () => collecting = false, ct).ConfigureAwait(false);
            if (prepared.Error is { } problem && asRole is not null && problem.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                // The role may not even look the names up (schema USAGE): analyse as the connected role.
                trees.Clear();
                await RunAsync(connection, tx, "ROLLBACK TO SAVEPOINT pgrant_role", ct).ConfigureAwait(false);
                await SetLocalAsync(connection, tx, "debug_print_rewritten", "on", ct).ConfigureAwait(false);
                prepared = await PrepareAsync(connection, tx, text, revalidate, () => collecting = true, () => collecting = false, ct).ConfigureAwait(false);
            }
            if (prepared.Error is { } failed) return new Shown([], asRole, failed.MessageText);
            await SetLocalAsync(connection, tx, "debug_print_rewritten", "off", ct).ConfigureAwait(false);
            if (!revalidate) return new Shown(trees, asRole, null);
            // EXPLAIN EXECUTE prints its own (utility) tree first, then the revalidated statement's, then while planning
            // the bodies of set-returning SQL functions it inlines (as PREPARE never does): the statement's is the first
            // that holds an analysed query.
            var statement = trees.FirstOrDefault(t => AnalysedQueries(NodeTree.Read(t), utility: 5).Count > 0);
            return statement is null
                ? new Shown([], asRole, prepared.PlanError?.MessageText ?? "the server printed no analysis of the statement")
                : new Shown([statement], asRole, null);
        }
        finally
        {
            collecting = false;
            connection.Notice -= onNotice;
        }
    }

    /// <summary>The statement without surrounding blanks and trailing semicolons.</summary>
    public static string Trim(string statement) => statement.Trim().TrimEnd(';').Trim();

    /// <summary>The highest $n in the statement (outside nothing: a literal "$1" counts too, which only adds an unused parameter type).</summary>
    public static int ParameterCount(string statement) =>
        ParameterRef().Matches(statement).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    // Error: PREPARE's, or null when it prepared. PlanError: on 13 and 14, the error EXPLAIN EXECUTE raised after the
    // revalidated tree was printed (planning and ExecutorStart check privileges as the role), or null.
    private readonly record struct Prepared(PostgresException? Error, PostgresException? PlanError);

    // PREPARE (parse analysis and rewrite only), then DEALLOCATE at once; on "could not determine data type of
    // parameter" once more with every parameter typed unknown. 15+: the tree is printed while PREPARE runs. 13 and 14
    // (revalidate): DISCARD PLANS marks every cached plan of the session stale (they are planned again when next used:
    // nothing else changes), and EXPLAIN EXECUTE with NULL parameters analyses and rewrites the statement again,
    // printing its tree, before it plans it; a generic plan keeps the parameters, so no call of them is folded at plan time.
    private static async Task<Prepared> PrepareAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string text, bool revalidate,
        Action start, Action stop, CancellationToken ct)
    {
        foreach (var typed in new[] { false, true })
        {
            var count = ParameterCount(text);
            if (typed && count == 0) break;
            var types = typed ? "(" + string.Join(", ", Enumerable.Repeat("unknown", count)) + ")" : "";
            await RunAsync(connection, tx, "SAVEPOINT pgrant_prepare", ct).ConfigureAwait(false);
            try
            {
                if (!revalidate) start();
                await RunAsync(connection, tx, $"PREPARE {ProbeName}{types} AS {text}", ct).ConfigureAwait(false);
                stop();
                PostgresException? planError = null;
                if (revalidate) planError = await RevalidateAsync(connection, tx, start, stop, ct).ConfigureAwait(false);
                await RunAsync(connection, tx, $"DEALLOCATE {ProbeName}", ct).ConfigureAwait(false);
                return new Prepared(null, planError);
            }
            catch (PostgresException e)
            {
                stop();
                await RunAsync(connection, tx, "ROLLBACK TO SAVEPOINT pgrant_prepare", ct).ConfigureAwait(false);
                if (typed || e.SqlState != PostgresErrorCodes.IndeterminateDatatype) return new Prepared(e, null);
            }
        }
        return default;
    }

    private static async Task<PostgresException?> RevalidateAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Action start, Action stop,
        CancellationToken ct)
    {
        int parameters;
        await using (var cmd = new NpgsqlCommand("SELECT cardinality(parameter_types) FROM pg_prepared_statements WHERE name = $1", connection, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ProbeName });
            parameters = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is int n ? n : 0;
        }
        var args = parameters == 0 ? "" : "(" + string.Join(", ", Enumerable.Repeat("NULL", parameters)) + ")";
        await SetLocalAsync(connection, tx, "plan_cache_mode", "force_generic_plan", ct).ConfigureAwait(false);
        await RunAsync(connection, tx, "DISCARD PLANS", ct).ConfigureAwait(false);
        await RunAsync(connection, tx, "SAVEPOINT pgrant_plan", ct).ConfigureAwait(false);
        try
        {
            start();
            await RunAsync(connection, tx, $"EXPLAIN (COSTS OFF) EXECUTE {ProbeName}{args}", ct).ConfigureAwait(false);
            stop();
            await RunAsync(connection, tx, "RELEASE SAVEPOINT pgrant_plan", ct).ConfigureAwait(false);
            return null;
        }
        catch (PostgresException e)
        {
            stop();
            await RunAsync(connection, tx, "ROLLBACK TO SAVEPOINT pgrant_plan", ct).ConfigureAwait(false);
            return e;
        }
    }

    // The analysed queries of a notice's tree: the top-level queries that are not utilities (commandType 6 on 15+,
    // 5 before: MERGE came in 15 as 5 and moved CMD_UTILITY to 6). Nested ones are reached through them.
    private static List<TreeNode> AnalysedQueries(IEnumerable<TreeValue> values, int utility) =>
        [.. values.SelectMany(v => v is TreeList l ? l.Items : [v]).OfType<TreeNode>()
            .Where(q => q.Type == "QUERY" && q.Field("utilityStmt") is not TreeNode && q.Number("commandType") != utility)];

    private static async Task DeallocateAsync(NpgsqlConnection connection)
    {
        // PREPARE is not transactional: make sure none is left behind whatever happened above.
        if (connection.State != System.Data.ConnectionState.Open) return;
        await using var cmd = new NpgsqlCommand("SELECT name FROM pg_prepared_statements WHERE name = $1", connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ProbeName });
        if (await cmd.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is not null)
            await RunAsync(connection, null, $"DEALLOCATE {ProbeName}", CancellationToken.None).ConfigureAwait(false);
    }

    private sealed record RawPerm(uint Relid, int Required, uint CheckAs, IReadOnlyList<int> Selected, IReadOnlyList<int> Inserted, IReadOnlyList<int> Updated);

    private static async Task<ServerNeeds> ReadNeedsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string text, List<string> trees,
        string role, CancellationToken ct)
    {
        var values = trees.SelectMany(NodeTree.Read).ToList();
        // The top-level queries of each notice (nested ones — subqueries, CTEs, expanded views — are reached through them).
        var queries = values.SelectMany(v => v is TreeList l ? l.Items : [v]).OfType<TreeNode>().Where(n => n.Type == "QUERY").ToList();
        // The PREPARE itself is a utility statement (16+): its raw tree carries the names the statement looks up.
        var raw = queries.Where(q => q.Field("utilityStmt") is TreeNode { Type: "PREPARESTMT" }).Select(q => q.Field("utilityStmt")!).ToList();
        // 13–15 print a utility statement's raw tree as "?": the analysed queries are the ones that are not utilities.
        var merge15 = connection.PostgreSqlVersion.Major >= 15;
        var utility = merge15 ? 6 : 5;
        var analysed = AnalysedQueries(values, utility).Cast<TreeValue>().ToList();
        // Rules add queries of their own: the command is the one that sets the tag (the statement's own).
        var main = analysed.OfType<TreeNode>().FirstOrDefault(q => q.Text("canSetTag") == "true") ?? analysed.OfType<TreeNode>().FirstOrDefault();
        var command = main?.Number("commandType") switch
        {
            1 => "SELECT",
            2 => "UPDATE",
            3 => "INSERT",
            4 => "DELETE",
            5 when merge15 => "MERGE",
            _ => "",
        };

        var perms = new List<RawPerm>();
        foreach (var p in NodeTree.All(analysed, "RTEPERMISSIONINFO"))
            perms.Add(new RawPerm((uint)(p.Number("relid") ?? 0), (int)(p.Number("requiredPerms") ?? 0), (uint)(p.Number("checkAsUser") ?? 0),
                p.Bitmap("selectedCols"), p.Bitmap("insertedCols"), p.Bitmap("updatedCols")));
        // 13–15: the permission fields sit on the relation's range table entry (printed as RTE on 13 and 14).
        foreach (var r in NodeTree.All(analysed, "RANGETBLENTRY").Concat(NodeTree.All(analysed, "RTE")))
        {
            if (r.Number("rtekind") != 0 || r.Field("requiredPerms") is null) continue;
            perms.Add(new RawPerm((uint)(r.Number("relid") ?? 0), (int)(r.Number("requiredPerms") ?? 0), (uint)(r.Number("checkAsUser") ?? 0),
                r.Bitmap("selectedCols"), r.Bitmap("insertedCols"), r.Bitmap("updatedCols")));
        }
        perms.RemoveAll(p => p.Relid == 0 || p.Required == 0);

        var functionOids = new HashSet<uint>();
        foreach (var (type, field) in new[] { ("FUNCEXPR", "funcid"), ("OPEXPR", "opfuncid"), ("DISTINCTEXPR", "opfuncid"), ("NULLIFEXPR", "opfuncid"),
                     ("SCALARARRAYOPEXPR", "opfuncid"), ("AGGREF", "aggfnoid"), ("WINDOWFUNC", "winfnoid") })
            foreach (var n in NodeTree.All(analysed, type))
                if (n.Number(field) is { } oid and > 0) functionOids.Add((uint)oid);
        // Sequence functions with a constant regclass first argument: the sequence they act on.
        var seqCalls = new List<(uint Func, uint Seq, bool FromDefault)>();
        var unseen = new List<string>();
        foreach (var f in NodeTree.All(analysed, "FUNCEXPR"))
        {
            if (f.Field("args") is not TreeList { Items: [TreeNode first, ..] }) continue;
            if (first is { Type: "CONST" } c && c.Number("consttype") == 2205 && c.Text("constisnull") == "false" && RegclassOf(c) is { } seq)
                seqCalls.Add(((uint)(f.Number("funcid") ?? 0), seq, f.Number("location") == -1));
        }

        var rawNames = NodeTree.All(raw, "RANGEVAR").Select(v => (Schema: NullIfEmpty(v.Text("schemaname")), Name: v.Text("relname") ?? "")).ToList();
        var rawFuncs = NodeTree.All(raw, "FUNCCALL").Select(v => v.Field("funcname") is TreeList l ? l.Items.OfType<TreeAtom>().Select(a => a.Text).ToList() : []).ToList();

        var relOids = perms.Select(p => p.Relid).Concat(seqCalls.Select(s => s.Seq)).Distinct().ToArray();
        var rels = await QueryAsync(connection, tx,
            "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ANY($1)",
            r => (Oid: (uint)r.GetFieldValue<uint>(0), Schema: r.GetString(1), Name: r.GetString(2), Kind: r.GetString(3)), relOids, ct).ConfigureAwait(false);
        var relById = rels.ToDictionary(r => r.Oid);
        var attrs = await QueryAsync(connection, tx,
            "SELECT attrelid, attnum, attname::text FROM pg_attribute WHERE attrelid = ANY($1) AND NOT attisdropped",
            r => (Rel: r.GetFieldValue<uint>(0), Num: (int)r.GetInt16(1), Name: r.GetString(2)), relOids, ct).ConfigureAwait(false);
        var attrByKey = attrs.ToDictionary(a => (a.Rel, a.Num), a => a.Name);
        var roleOids = perms.Select(p => p.CheckAs).Where(o => o != 0).Distinct().ToArray();
        var roles = (await QueryAsync(connection, tx, "SELECT oid, rolname::text FROM pg_roles WHERE oid = ANY($1)",
            r => (Oid: r.GetFieldValue<uint>(0), Name: r.GetString(1)), roleOids, ct).ConfigureAwait(false)).ToDictionary(r => r.Oid, r => r.Name);
        var funcs = await QueryAsync(connection, tx,
            "SELECT p.oid, n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = ANY($1)",
            r => (Oid: r.GetFieldValue<uint>(0), Schema: r.GetString(1), Name: r.GetString(2), Args: r.GetString(3)),
            functionOids.Concat(seqCalls.Select(s => s.Func)).Distinct().ToArray(), ct).ConfigureAwait(false);
        var funcById = funcs.ToDictionary(f => f.Oid);

        // 16+ print the raw statement inside the PREPARE; 13–15 print no raw nodes ("?"): there a relation or routine
        // counts as named when the statement's text mentions it (what a view reaches is checked as its owner anyway).
        var hasRaw = raw.Count > 0;
        bool Mentions(string name) => text.Contains(name, StringComparison.OrdinalIgnoreCase);
        bool Named(string schema, string name) => hasRaw ? rawNames.Any(n => n.Name == name && (n.Schema is null || n.Schema == schema)) : Mentions(name);
        bool FuncNamed(string schema, string name) => hasRaw ? rawFuncs.Any(n => n.Count > 0 && n[^1] == name && (n.Count == 1 || n[^2] == schema)) : Mentions(name);
        ImmutableArray<string> Cols(uint rel, IReadOnlyList<int> bits) =>
            [.. bits.Select(b => b + FirstLowInvalidHeapAttributeNumber).Where(a => a != 0)
                .Select(a => attrByKey.TryGetValue((rel, a), out var n) ? n : a.ToString(CultureInfo.InvariantCulture))];

        var relations = ImmutableArray.CreateBuilder<RelationCheck>();
        foreach (var p in perms)
        {
            if (!relById.TryGetValue(p.Relid, out var rel)) continue;
            var checkAs = p.CheckAs == 0 ? null : roles.GetValueOrDefault(p.CheckAs);
            if (checkAs == role) checkAs = null;
            var wholeRow = p.Selected.Contains(-FirstLowInvalidHeapAttributeNumber);
            relations.Add(new RelationCheck(rel.Oid, rel.Schema, rel.Name, (Privilege)p.Required, checkAs,
                Cols(p.Relid, p.Selected), Cols(p.Relid, p.Inserted), Cols(p.Relid, p.Updated), wholeRow,
                p.CheckAs == 0 && Named(rel.Schema, rel.Name)));
        }

        var functions = ImmutableArray.CreateBuilder<FunctionCall>();
        foreach (var oid in functionOids.Order())
            if (funcById.TryGetValue(oid, out var f))
                functions.Add(new FunctionCall(f.Oid, f.Schema, f.Name, f.Args, FuncNamed(f.Schema, f.Name)));

        var sequences = ImmutableArray.CreateBuilder<SequenceCall>();
        foreach (var (func, seq, fromDefault) in seqCalls.Distinct())
        {
            if (!funcById.TryGetValue(func, out var f) || f.Schema != "pg_catalog" || !relById.TryGetValue(seq, out var s) || s.Kind != "S") continue;
            SequenceOperation? op = f.Name switch
            {
                "nextval" => SequenceOperation.Nextval,
                "currval" => SequenceOperation.Currval,
                "setval" => SequenceOperation.Setval,
                _ => null,
            };
            if (op is { } o) sequences.Add(new SequenceCall(s.Oid, s.Schema, s.Name, o, fromDefault));
        }
        if (funcs.Any(f => f.Schema == "pg_catalog" && f.Name == "lastval"))
            unseen.Add("lastval() acts on whichever sequence the session used last: pgrant cannot tell which");
        foreach (var f in NodeTree.All(analysed, "FUNCEXPR"))
            if (funcById.TryGetValue((uint)(f.Number("funcid") ?? 0), out var fn) && fn.Schema == "pg_catalog" && fn.Name is "nextval" or "currval" or "setval"
                && f.Field("args") is TreeList { Items: [TreeNode first, ..] } && first.Type != "CONST")
                unseen.Add($"{fn.Name}() is called on a sequence computed when the statement runs: pgrant cannot tell which");

        var schemas = relations.Where(r => r.NamedInStatement).Select(r => r.Schema)
            .Concat(functions.Where(f => f.NamedInStatement).Select(f => f.Schema))
            .Where(s => s != "pg_catalog").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();

        var triggers = await TriggersAsync(connection, tx, analysed, perms, relById, unseen, ct).ConfigureAwait(false);
        return new ServerNeeds
        {
            Statement = text, Command = command, Relations = relations.ToImmutable(), Functions = functions.ToImmutable(),
            Sequences = sequences.ToImmutable(), Triggers = triggers, Schemas = schemas, Unseen = [.. unseen.Distinct()],
        };
    }

    // Triggers on the statement's target (resultRelation, or MERGE's target) for the events its permission bits say it performs.
    private static async Task<ImmutableArray<FiringTrigger>> TriggersAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<TreeValue> analysed,
        List<RawPerm> perms, Dictionary<uint, (uint Oid, string Schema, string Name, string Kind)> relById, List<string> unseen, CancellationToken ct)
    {
        var targets = new Dictionary<uint, int>();
        foreach (var q in analysed.OfType<TreeNode>().Concat(NodeTree.All(analysed, "QUERY")).Distinct())
        {
            var index = q.Number("resultRelation") ?? 0;
            if (index <= 0 || q.Field("rtable") is not TreeList rtable || index > rtable.Items.Count || rtable.Items[(int)index - 1] is not TreeNode rte) continue;
            var relid = (uint)(rte.Number("relid") ?? 0);
            if (relid == 0) continue;
            var bits = perms.Where(p => p.Relid == relid && p.CheckAs == 0).Aggregate(0, (a, p) => a | p.Required);
            var events = 0;
            if ((bits & 1) != 0) events |= 4;   // INSERT
            if ((bits & 8) != 0) events |= 8;   // DELETE
            if ((bits & 4) != 0) events |= 16;  // UPDATE
            targets[relid] = targets.GetValueOrDefault(relid) | events;
        }
        if (targets.Count == 0) return [];
        foreach (var t in targets.Keys)
            if (relById.TryGetValue(t, out var r) && r.Kind == "p")
                unseen.Add($"triggers on the partitions of {SqlNames.Qualified(r.Schema, r.Name)} that the rows land in");
        var rows = await QueryAsync(connection, tx,
            """
            SELECT t.tgrelid, t.tgname::text, t.tgtype::int, pn.nspname::text, p.proname::text, p.prosecdef, pg_get_userbyid(p.proowner)::text,
                   cn.nspname::text, c.relname::text
            FROM pg_trigger t
            JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
            JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
            WHERE t.tgrelid = ANY($1) AND NOT t.tgisinternal AND t.tgenabled IN ('O', 'A')
            ORDER BY cn.nspname, c.relname, t.tgname
            """,
            r => (Rel: r.GetFieldValue<uint>(0), Name: r.GetString(1), Type: r.GetInt32(2), FnSchema: r.GetString(3), Fn: r.GetString(4),
                Definer: r.GetBoolean(5), Owner: r.GetString(6), Schema: r.GetString(7), Table: r.GetString(8)), [.. targets.Keys], ct).ConfigureAwait(false);
        var result = ImmutableArray.CreateBuilder<FiringTrigger>();
        foreach (var t in rows)
        {
            var events = t.Type & targets[t.Rel] & (4 | 8 | 16);
            if (events == 0) continue;
            var timing = (t.Type & 64) != 0 ? "INSTEAD OF" : (t.Type & 2) != 0 ? "BEFORE" : "AFTER";
            var words = new List<string>();
            if ((events & 4) != 0) words.Add("INSERT");
            if ((events & 16) != 0) words.Add("UPDATE");
            if ((events & 8) != 0) words.Add("DELETE");
            var level = (t.Type & 1) != 0 ? "FOR EACH ROW" : "FOR EACH STATEMENT";
            result.Add(new FiringTrigger(SqlNames.Qualified(t.Schema, t.Table), t.Name, SqlNames.Qualified(t.FnSchema, t.Fn), t.Definer,
                t.Definer ? t.Owner : null, $"{timing} {string.Join(" OR ", words)} {level}"));
        }
        return result.ToImmutable();
    }

    private static uint? RegclassOf(TreeNode constNode)
    {
        // :constvalue 4 [ 9 64 0 0 0 0 0 0 ]: a by-value datum's bytes, little-endian on every platform pgrant runs on.
        if (!constNode.Fields.TryGetValue("constvalue", out var v) || v.Count < 2 || v[1] is not TreeList bytes || bytes.Items.Count < 4) return null;
        uint value = 0;
        for (var i = 3; i >= 0; i--)
        {
            if (bytes.Items[i] is not TreeAtom a || !int.TryParse(a.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b)) return null;
            value = (value << 8) | (uint)(b & 0xff);
        }
        return value;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    internal static async Task RunAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>SET LOCAL through set_config, the value as a parameter: no text composed into SQL.</summary>
    internal static async Task SetLocalAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string name, string value, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT set_config($1, $2, true)", connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }

    private static async Task<List<T>> QueryAsync<T>(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, Func<NpgsqlDataReader, T> map,
        uint[] oids, CancellationToken ct)
    {
        var list = new List<T>();
        if (oids.Length == 0) return list;
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<uint[]> { TypedValue = oids, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Oid });
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) list.Add(map(reader));
        return list;
    }

    [GeneratedRegex(@"^\s*copy\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex CopyStart();

    [GeneratedRegex(@"\$([0-9]+)")]
    private static partial Regex ParameterRef();
}
