using Pgrant.Core.Access;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Tests.Catalog;

public sealed class ObjectReferenceTests
{
    [Theory]
    [InlineData("app.Orders", "app", "orders")]
    [InlineData("orders", null, "orders")]
    [InlineData("\"My Schema\".\"Tab.le\"", "My Schema", "Tab.le")]
    [InlineData(" \"a\"\"q\" . x ", "a\"q", "x")]
    [InlineData("ÄPP.t", "Äpp", "t")]
    public void ParsesNamesLikeTheServer(string text, string? schema, string name)
    {
        var r = ObjectReference.Parse(text);
        Assert.Equal(schema, r.Schema);
        Assert.Equal(name, r.Name);
        Assert.Null(r.Parenthesized);
    }

    [Fact]
    public void ParenthesesKeepTopLevelItems()
    {
        var r = ObjectReference.Parse("s.f(int, numeric(10,2), \"odd,type\")");
        Assert.Equal(["int", "numeric(10,2)", "\"odd,type\""], r.Parenthesized!.Value.ToArray());
        Assert.Empty(ObjectReference.Parse("f()").Parenthesized!.Value);
        Assert.Equal(["\"Col\""], ObjectReference.Parse("t(\"Col\")").Parenthesized!.Value.ToArray());
    }

    [Theory]
    [InlineData("a.b.c.d", "too many dots: 4 name parts (at most SCHEMA.TABLE.COLUMN)")]
    [InlineData("\"open", "unterminated quoted identifier")]
    [InlineData("t(a", "missing ')'")]
    [InlineData("t(a,)", "an empty item between the parentheses")]
    [InlineData("", "a name is missing")]
    [InlineData("a b", "unexpected 'b' at position 3")]
    [InlineData("\"\"", "zero-length quoted identifier")]
    public void BadInputSaysWhatWasExpected(string text, string what)
    {
        var e = Assert.Throws<PgrantException>(() => ObjectReference.Parse(text));
        Assert.Equal($"cannot read object name \"{text}\": {what}", e.Message);
        Assert.Equal(typeof(PgrantException), e.GetType()); // bad input: exit 2 in the CLI
        Assert.StartsWith("expected NAME, SCHEMA.NAME, TABLE(COLUMN)", e.Hint);
    }

    [Theory]
    [InlineData("int", "integer")]
    [InlineData("INT4[]", "integer[]")]
    [InlineData("varchar(20)", "character varying")]
    [InlineData("double  precision", "double precision")]
    [InlineData("timestamptz", "timestamp with time zone")]
    [InlineData("VARIADIC int []", "integer[]")]
    [InlineData("pg_catalog.bool", "boolean")]
    [InlineData("decimal(10, 2)", "numeric")]
    public void NormalizesArgumentTypes(string typed, string canonical) =>
        Assert.Equal(canonical, ArgumentTypes.Normalize(typed));

    [Theory]
    [InlineData(new[] { "int", "text" }, "i integer, t text", true)]
    [InlineData(new[] { "integer" }, "double precision", false)]
    [InlineData(new[] { "double precision" }, "double precision", true)]
    [InlineData(new[] { "varchar" }, "\"My Arg\" character varying", true)]
    [InlineData(new[] { "int[]" }, "VARIADIC xs integer[]", true)]
    [InlineData(new string[0], "", true)]
    [InlineData(new[] { "int" }, "", false)]
    public void MatchesIdentityArguments(string[] typed, string identity, bool matches) =>
        Assert.Equal(matches, ArgumentTypes.Matches(typed, identity));

    [Theory]
    [InlineData("select", Privilege.Select, null)]
    [InlineData("r", Privilege.Select, null)]
    [InlineData("Temp", Privilege.Temporary, null)]
    [InlineData("m", Privilege.Maintain, null)]
    [InlineData("nextval", Privilege.Usage | Privilege.Update, SequenceOperation.Nextval)]
    [InlineData("CURRVAL", Privilege.Usage | Privilege.Select, SequenceOperation.Currval)]
    [InlineData("setval", Privilege.Update, SequenceOperation.Setval)]
    public void ParsesPrivileges(string text, Privilege privilege, SequenceOperation? operation)
    {
        var p = PrivilegeRequest.Parse(text);
        Assert.Equal(privilege, p.Privilege);
        Assert.Equal(operation, p.Operation);
    }

    [Theory]
    [InlineData("reed")]
    [InlineData("q")]
    [InlineData("SET")]
    public void UnknownPrivilegeIsAUsageError(string text)
    {
        var e = Assert.Throws<PgrantException>(() => PrivilegeRequest.Parse(text));
        Assert.Equal($"unknown privilege '{text}'", e.Message);
        Assert.Equal(typeof(PgrantException), e.GetType()); // bad input: exit 2 in the CLI
        Assert.StartsWith("expected a privilege name (SELECT, INSERT", e.Hint);
    }
}
