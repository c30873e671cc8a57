using Pgrant.Core.Diagnosis;

namespace Pgrant.Core.Tests.Diagnosis;

public sealed class StatementAnalyzerTests
{
    [Fact]
    public void Seed_insert_with_returning_star()
    {
        var s = StatementAnalyzer.Analyze("INSERT INTO descriptions (product_id, product_name, features, tech_specs) VALUES ($1, $2, $3, $4) RETURNING *");
        Assert.Equal(StatementCommand.Insert, s.Command);
        Assert.Equal(new QualifiedName(null, "descriptions"), s.Target);
        Assert.Equal(["product_id", "product_name", "features", "tech_specs"], s.WrittenColumns.ToArray());
        Assert.False(s.WritesAllColumns);
        Assert.True(s.Returning);
        Assert.True(s.ReturningAll);
    }

    [Fact]
    public void Quoted_and_qualified_names_keep_case_and_fold_the_rest()
    {
        var s = StatementAnalyzer.Analyze("insert into App.\"My Table\" (\"Col\", b) values (1, 'x') returning b");
        Assert.Equal(new QualifiedName("app", "My Table"), s.Target);
        Assert.Equal(["Col", "b"], s.WrittenColumns.ToArray());
        Assert.Equal(["b"], s.ReadIdentifiers.ToArray());
        Assert.False(s.ReturningAll);
    }

    [Fact]
    public void Update_separates_written_from_read_columns()
    {
        var s = StatementAnalyzer.Analyze("UPDATE t SET a = b + 1, c = 'x' WHERE id = $1");
        Assert.Equal(StatementCommand.Update, s.Command);
        Assert.Equal(["a", "c"], s.WrittenColumns.ToArray());
        Assert.Equal(["b", "id"], s.ReadIdentifiers.ToArray());
    }

    [Fact]
    public void Delete_with_where()
    {
        var s = StatementAnalyzer.Analyze("DELETE FROM public.t WHERE id = 5 -- comment");
        Assert.Equal(StatementCommand.Delete, s.Command);
        Assert.Equal(new QualifiedName("public", "t"), s.Target);
        Assert.Equal(["id"], s.ReadIdentifiers.ToArray());
    }

    [Fact]
    public void Select_star_for_update()
    {
        var s = StatementAnalyzer.Analyze("SELECT * FROM t WHERE x = 1 FOR UPDATE");
        Assert.Equal(StatementCommand.Select, s.Command);
        Assert.True(s.ReturningAll);
        Assert.True(s.ForUpdate);
    }

    [Fact]
    public void Truncate_and_copy()
    {
        Assert.Equal(new QualifiedName(null, "t"), StatementAnalyzer.Analyze("TRUNCATE TABLE t").Target);
        var copy = StatementAnalyzer.Analyze("COPY t (a, b) FROM STDIN");
        Assert.Equal(StatementCommand.CopyFrom, copy.Command);
        Assert.Equal(["a", "b"], copy.WrittenColumns.ToArray());
    }

    [Fact]
    public void Strings_and_dollar_quotes_hide_their_content()
    {
        var s = StatementAnalyzer.Analyze("UPDATE t SET a = $$ b = c $$ WHERE d = 'e = f'");
        Assert.Equal(["a"], s.WrittenColumns.ToArray());
        Assert.Equal(["d"], s.ReadIdentifiers.ToArray());
    }
}
