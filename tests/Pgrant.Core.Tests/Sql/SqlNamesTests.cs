using Pgrant.Core.Sql;

namespace Pgrant.Core.Tests.Sql;

public sealed class SqlNamesTests
{
    [Theory]
    [InlineData("sdc", "sdc")]
    [InlineData("Stephen", "\"Stephen\"")]
    [InlineData("weird name", "\"weird name\"")]
    [InlineData("a\"q", "\"a\"\"q\"")]
    [InlineData("a=b/c", "\"a=b/c\"")]
    [InlineData("user", "\"user\"")]
    [InlineData("table", "\"table\"")]
    [InlineData("system_user", "\"system_user\"")]
    [InlineData("name", "name")]
    [InlineData("_x1", "_x1")]
    [InlineData("1x", "\"1x\"")]
    [InlineData("a$b", "\"a$b\"")]
    [InlineData("données", "\"données\"")]
    [InlineData("", "\"\"")]
    public void Ident_quotes_exactly_when_quote_ident_does(string name, string expected) =>
        Assert.Equal(expected, SqlNames.Ident(name));

    [Fact]
    public void Qualified_and_literal()
    {
        Assert.Equal("public.\"My Table\"", SqlNames.Qualified("public", "My Table"));
        Assert.Equal("'it''s'", SqlNames.Literal("it's"));
        Assert.Equal("E'a\\\\b'", SqlNames.Literal("a\\b"));
        Assert.Equal("PUBLIC", Grantee.Public.ToString());
        Assert.Equal("\"Weird\"\"Role\"", new Grantee("Weird\"Role").ToString());
    }
}
