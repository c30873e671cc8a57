using Pgrant.Postgres.Probe;

namespace Pgrant.IntegrationTests.Statements;

/// <summary>
/// The node-tree reader on text as 15 and 18 print it (an ON CONFLICT DO UPDATE, rewritten), and on the tree a real
/// server of each major prints for the probe (13 and 14 when the prepared statement is revalidated).
/// </summary>
public sealed class NodeTreeTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ReadsTheTreeEachMajorPrints(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        await db.ExecuteAsync("CREATE TABLE kv (key text PRIMARY KEY, value text, hits int DEFAULT 0)");
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString()) { Pooling = false, IncludeErrorDetail = true };
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        StatementProbe.Shown shown;
        await using (var tx = await conn.BeginTransactionAsync())
        {
            shown = await StatementProbe.ShowAsync(conn, tx,
                "INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING hits", null, "public", default);
            await tx.RollbackAsync();
        }
        Assert.Null(shown.Problem);
        // One notice: the statement's own analysis (13 and 14 leave out what EXPLAIN EXECUTE printed around it).
        var values = NodeTree.Read(major >= 15 ? string.Join("\n", shown.Trees) : Assert.Single(shown.Trees));
        var query = Assert.Single(NodeTree.All(values, "QUERY"), q => q.Number("commandType") == 3);
        Assert.Equal((1L, "true"), (query.Number("resultRelation"), query.Text("canSetTag")));
        // 16+ carry the permissions in RTEPERMISSIONINFO nodes; 13–15 on the range table entries, which 13 and 14 print as RTE.
        var type = major >= 16 ? "RTEPERMISSIONINFO" : major == 15 ? "RANGETBLENTRY" : "RTE";
        var perms = NodeTree.All(values, type).Where(p => p.Number("requiredPerms") is > 0).ToList();
        Assert.Equal(2, perms.Count);
        Assert.Equal(7L, perms[0].Number("requiredPerms"));
        Assert.Equal([8, 10], perms[0].Bitmap("selectedCols"));
        Assert.Equal([8, 9], perms[0].Bitmap("insertedCols"));
        Assert.Equal([9], perms[0].Bitmap("updatedCols"));
        Assert.Equal(2L, perms[1].Number("requiredPerms"));
        Assert.Equal([9], perms[1].Bitmap("selectedCols"));
        Assert.Equal(perms[0].Number("relid"), perms[1].Number("relid"));
        Assert.Equal(2, NodeTree.All(values, "PARAM").Count(p => p.Number("paramkind") == 0 && p.Number("paramtype") == 25));
    }

    // PostgreSQL 18: RTEPERMISSIONINFO nodes.
    private const string Pg18 = """
        ({QUERY :commandType 3 :querySource 0 :canSetTag true :utilityStmt <> :resultRelation 1 :rtable ({RANGETBLENTRY :alias <> :eref {ALIAS :aliasname kv
        :colnames ("key" "value" "n")} :rtekind 0 :relid 16385 :inh false :relkind r :rellockmode 3 :perminfoindex 1 :tablesample <> :lateral false
        :inFromCl false :securityQuals <>}) :rteperminfos ({RTEPERMISSIONINFO :relid 16385 :inh false :requiredPerms 7 :checkAsUser 0 :selectedCols (b 8 10)
        :insertedCols (b 8 9) :updatedCols (b 9)} {RTEPERMISSIONINFO :relid 16385 :inh false :requiredPerms 2 :checkAsUser 0 :selectedCols (b 9)
        :insertedCols (b) :updatedCols (b)}) :targetList ({TARGETENTRY :expr {FUNCEXPR :funcid 1574 :funcresulttype 20 :args ({CONST :consttype 2205
        :consttypmod -1 :constcollid 0 :constlen 4 :constbyval true :constisnull false :location -1 :constvalue 4 [ 9 64 0 0 0 0 0 0 ]}) :location -1}
        :resno 1 :resname with\ space})})
        """;

    // PostgreSQL 15: the same fields on the range table entry.
    private const string Pg15 = """
        ({QUERY :commandType 3 :querySource 0 :canSetTag true :utilityStmt <> :resultRelation 1 :rtable ({RANGETBLENTRY :alias <> :eref {ALIAS :aliasname kv
        :colnames ("key" "value" "n")} :rtekind 0 :relid 16385 :relkind r :rellockmode 3 :tablesample <> :lateral false :inh false :inFromCl false
        :requiredPerms 7 :checkAsUser 0 :selectedCols (b 8 10) :insertedCols (b 8 9) :updatedCols (b 9) :extraUpdatedCols (b) :securityQuals <>}
        {RANGETBLENTRY :alias {ALIAS :aliasname excluded :colnames <>} :eref {ALIAS :aliasname excluded :colnames ("key" "value" "n")} :rtekind 0
        :relid 16385 :relkind c :rellockmode 3 :tablesample <> :lateral false :inh false :inFromCl false :requiredPerms 2 :checkAsUser 0
        :selectedCols (b 9) :insertedCols (b) :updatedCols (b) :extraUpdatedCols (b) :securityQuals <>}))})
        """;

    [Fact]
    public void ReadsPermissionInfoAsEighteenPrintsIt()
    {
        var values = NodeTree.Read(Pg18);
        var perms = NodeTree.All(values, "RTEPERMISSIONINFO").ToList();
        Assert.Equal(2, perms.Count);
        Assert.Equal((16385L, 7L), (perms[0].Number("relid"), perms[0].Number("requiredPerms")));
        Assert.Equal([8, 10], perms[0].Bitmap("selectedCols"));
        Assert.Equal([9], perms[0].Bitmap("updatedCols"));
        Assert.Empty(perms[1].Bitmap("insertedCols"));
        var constant = Assert.Single(NodeTree.All(values, "CONST"));
        var bytes = Assert.IsType<TreeList>(constant.Fields["constvalue"][1]);
        Assert.Equal(["9", "64", "0", "0", "0", "0", "0", "0"], bytes.Items.Cast<TreeAtom>().Select(a => a.Text));
        Assert.Equal("with space", Assert.Single(NodeTree.All(values, "TARGETENTRY")).Text("resname"));
        var eref = NodeTree.All(values, "ALIAS").First();
        Assert.Equal(["key", "value", "n"], Assert.IsType<TreeList>(eref.Field("colnames")).Items.Cast<TreeAtom>().Select(a => a.Text));
    }

    [Fact]
    public void ReadsRangeTableEntriesAsFifteenPrintsThem()
    {
        var rtes = NodeTree.All(NodeTree.Read(Pg15), "RANGETBLENTRY").ToList();
        Assert.Equal(2, rtes.Count);
        Assert.Equal((0L, 7L, 2L), (rtes[0].Number("rtekind"), rtes[0].Number("requiredPerms"), rtes[1].Number("requiredPerms")));
        Assert.Equal([8, 9], rtes[0].Bitmap("insertedCols"));
        Assert.Equal([9], rtes[1].Bitmap("selectedCols"));
    }

    [Fact]
    public void TruncatedTextEndsWhereItStands()
    {
        var values = NodeTree.Read(Pg18[..(Pg18.Length / 2)]);
        Assert.NotEmpty(values);
        Assert.Single(NodeTree.All(values, "RTEPERMISSIONINFO"));
    }

    [Fact]
    public void AQuoteInsideAWordAndEscapedBlanksBelongToTheWord()
    {
        var values = NodeTree.Read("""({RANGEVAR :schemaname <> :relname we"ird\ tab :inh true} {ALIAS :colnames ("Sp ace" "a\"b")})""");
        Assert.Equal("we\"ird tab", Assert.Single(NodeTree.All(values, "RANGEVAR")).Text("relname"));
        var cols = Assert.IsType<TreeList>(Assert.Single(NodeTree.All(values, "ALIAS")).Field("colnames"));
        Assert.Equal(["Sp ace", "a\"b"], cols.Items.Cast<TreeAtom>().Select(a => a.Text));
    }
}
