using Pgrant.Cli;
using Pgrant.Postgres.Connections;
using static Pgrant.IntegrationTests.Connections.TestEnvironment;

namespace Pgrant.IntegrationTests.Connections;

public sealed class ConnInfoTests
{
    [Fact]
    public void Plain_pairs_set_every_keyword()
    {
        var o = ResolveDb("host=db port=6000 user=bob dbname=shop password=pw sslmode=disable");
        Assert.Equal(("db", 6000, "bob", "shop", "pw", SslMode.Disable), (o.Host, o.Port, o.User, o.Database, o.Password, o.SslMode));
    }

    [Fact]
    public void Blanks_around_equals_are_allowed()
    {
        var o = ResolveDb("  host =db   dbname=  shop\tuser\n=\tbob  ");
        Assert.Equal(("db", "shop", "bob"), (o.Host, o.Database, o.User));
    }

    [Fact]
    public void Quoted_values_keep_spaces_and_unescape_quote_and_backslash()
    {
        var o = ResolveDb(@"dbname='my db' password='it\'s a \\ secret' user = 'a b'");
        Assert.Equal(("my db", @"it's a \ secret", "a b"), (o.Database, o.Password, o.User));
    }

    [Fact]
    public void Backslash_escapes_work_outside_quotes_too()
    {
        Assert.Equal("temp late", ResolveDb(@"host=h dbname=temp\ late").Database);
    }

    [Fact]
    public void A_quoted_value_may_be_followed_directly_by_the_next_pair()
    {
        var o = ResolveDb("dbname='x'user=y");
        Assert.Equal(("x", "y"), (o.Database, o.User));
    }

    [Fact]
    public void Later_duplicates_win()
    {
        Assert.Equal("second", ResolveDb("host=h dbname=first dbname=second").Database);
    }

    [Fact]
    public void Empty_quoted_value_means_default_and_blocks_the_environment_like_libpq()
    {
        var env = With(new() { ["PGHOST"] = "envhost" });
        Assert.Equal("localhost", ResolveDb("host='' dbname=d", env).Host);
    }

    [Fact]
    public void Extra_options_are_kept_by_libpq_keyword()
    {
        var o = ResolveDb("host=h options='-c statement_timeout=5s' client_encoding=UTF8 channel_binding=require");
        Assert.Equal(
            [KeyValuePair.Create("channel_binding", "require"), KeyValuePair.Create("client_encoding", "UTF8"),
             KeyValuePair.Create("options", "-c statement_timeout=5s")],
            o.Parameters.ToArray());
    }

    [Fact]
    public void Dbname_inside_a_connection_string_is_not_expanded_again()
    {
        Assert.Equal("host=x", ResolveDb("host=h dbname='host=x'").Database);
    }

    [Theory]
    [InlineData("host=h port", "missing \"=\" after \"port\" in the connection string")]
    [InlineData("host=h port 5432", "missing \"=\" after \"port\" in the connection string")]
    [InlineData("host='h port=5", "unterminated quoted string in the connection string")]
    [InlineData("host=h foo=bar", "invalid connection option \"foo\" in the connection string")]
    [InlineData("=x host=h", "invalid connection option \"\" in the connection string")]
    [InlineData("hostaddr=127.0.0.1", "connection option \"hostaddr\" in the connection string is not supported by pgrant")]
    [InlineData("host=a,b port=1,2,3", "could not match 3 port numbers to 2 hosts")]
    [InlineData("host=h port=5432,5433", "could not match 2 port numbers to 1 hosts")]
    [InlineData("host=h port=,", "could not match 2 port numbers to 1 hosts")]
    [InlineData("host=a,b port=1,x", "invalid integer value \"x\" for connection option \"port\"")]
    [InlineData("host=h target_session_attrs=prefer-primary", "invalid target_session_attrs value: \"prefer-primary\"")]
    [InlineData("host=h target_session_attrs=ReadWrite", "invalid target_session_attrs value: \"ReadWrite\"")]
    [InlineData("host=h load_balance_hosts=true", "invalid load_balance_hosts value: \"true\"")]
    [InlineData("host=h sslnegotiation=direct", "weak sslmode \"prefer\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", or \"verify-full\")")]
    [InlineData("host=h port=abc", "invalid integer value \"abc\" for connection option \"port\"")]
    [InlineData("host=h port=0", "invalid port number: \"0\"")]
    [InlineData("host=h connect_timeout=soon", "invalid integer value \"soon\" for connection option \"connect_timeout\"")]
    [InlineData("host=h gssencmode=always", "invalid gssencmode value: \"always\"")]
    public void Malformed_connection_strings_fail_with_libpq_like_messages(string text, string message)
    {
        var e = Assert.Throws<PgrantException>(() => ResolveDb(text));
        Assert.Equal(message, e.Message);
        Assert.Equal(ExitCodes.UsageOrConnection, ExitCodes.For(e));
    }

    [Fact]
    public void Unterminated_quoted_password_is_not_echoed()
    {
        var e = Assert.Throws<PgrantException>(() => ResolveDb("host=h password='hunter2"));
        Assert.DoesNotContain("hunter2", e.Message + e.Hint);
    }

    [Theory]
    [InlineData("0", -1)]
    [InlineData("-5", -1)]
    [InlineData("1", 2)]
    [InlineData("30", 30)]
    public void Connect_timeout_follows_libpq(string value, int expectedSeconds)
    {
        var o = ResolveDb($"host=h connect_timeout={value}");
        Assert.Equal(expectedSeconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(expectedSeconds), o.ConnectTimeout);
    }
}
