using Pgrant.Cli;
using Pgrant.Postgres.Connections;
using static Pgrant.IntegrationTests.Connections.TestEnvironment;

namespace Pgrant.IntegrationTests.Connections;

public sealed class ConnectionUriTests
{
    [Fact]
    public void Full_uri_sets_every_part()
    {
        var o = ResolveDb("postgres://sdc:pw@db.example.com:6543/shop?sslmode=require&application_name=tool&connect_timeout=7");
        Assert.Equal(("db.example.com", 6543, "sdc", "shop", "pw"), (o.Host, o.Port, o.User, o.Database, o.Password));
        Assert.Equal(SslMode.Require, o.SslMode);
        Assert.Equal("tool", o.ApplicationName);
        Assert.Equal(TimeSpan.FromSeconds(7), o.ConnectTimeout);
        Assert.Equal(PasswordSource.Explicit, o.PasswordSource);
    }

    [Fact]
    public void Postgresql_scheme_is_accepted_too()
    {
        var o = ResolveDb("postgresql://bob@h/x");
        Assert.Equal(("h", 5432, "bob", "x", null), (o.Host, o.Port, o.User, o.Database, o.Password));
    }

    [Fact]
    public void Every_part_is_percent_decoded()
    {
        var o = ResolveDb("postgres://us%40er:p%40ss%3Aw%2Frd%25@h%2Dx:5433/d%20b%C3%A9?options=-c%20search_path%3Dapp");
        Assert.Equal("us@er", o.User);
        Assert.Equal("p@ss:w/rd%", o.Password);
        Assert.Equal("h-x", o.Host);
        Assert.Equal("d bé", o.Database);
        Assert.Equal("-c search_path=app", o.Parameters["options"]);
    }

    [Fact]
    public void Plus_is_not_a_space()
    {
        Assert.Equal("a+b", ResolveDb("postgres://h/a+b").Database);
    }

    [Fact]
    public void Password_may_contain_a_raw_colon()
    {
        var o = ResolveDb("postgres://u:a:b@h/d");
        Assert.Equal(("u", "a:b"), (o.User, o.Password));
    }

    [Fact]
    public void Percent_encoded_socket_directory_is_a_unix_socket_host()
    {
        var o = ResolveDb("postgresql://%2Fvar%2Frun%2Fpostgresql:5520/db");
        Assert.Equal("/var/run/postgresql", o.Host);
        Assert.True(o.IsUnixSocket);
    }

    [Theory]
    [InlineData("postgres://[::1]:5433/db", "::1", 5433)]
    [InlineData("postgres://[::1]/db", "::1", 5432)]
    [InlineData("postgres://u@[fe80::1%25eth0]:6000", "fe80::1%eth0", 6000)]
    [InlineData("postgres://[2001:db8::7]", "2001:db8::7", 5432)]
    public void Ipv6_hosts_lose_their_brackets(string uri, string host, int port)
    {
        var o = ResolveDb(uri);
        Assert.Equal((host, port), (o.Host, o.Port));
        Assert.False(o.IsUnixSocket);
    }

    [Fact]
    public void Empty_host_and_path_fall_back_to_environment_and_defaults()
    {
        var env = With(new() { ["PGHOST"] = "envhost", ["PGDATABASE"] = "envdb" });
        var o = ResolveDb("postgresql:///", env);
        Assert.Equal(("envhost", "envdb", "alice"), (o.Host, o.Database, o.User));
    }

    [Fact]
    public void Query_parameters_override_earlier_parts_and_ssl_true_means_require()
    {
        var o = ResolveDb("postgres://h1/d?host=h2&port=7000&user=u2&ssl=true&sslmode=verify-full&sslrootcert=%2Fca.pem");
        Assert.Equal(("h2", 7000, "u2"), (o.Host, o.Port, o.User));
        Assert.Equal(SslMode.VerifyFull, o.SslMode);
        Assert.Equal("/ca.pem", o.Parameters["sslrootcert"]);
        Assert.Equal(SslMode.Require, ResolveDb("postgres://h/d?ssl=true").SslMode);
    }

    [Fact]
    public void Trailing_ampersand_and_empty_query_are_accepted()
    {
        Assert.Equal(SslMode.Disable, ResolveDb("postgres://h/d?sslmode=disable&").SslMode);
        Assert.Equal("d", ResolveDb("postgres://h/d?").Database);
    }

    [Theory]
    [InlineData("postgres://h/d?foo=bar", "invalid connection option \"foo\" in the URI query")]
    [InlineData("postgres://h/d?ssl=false", "invalid connection option \"ssl\" in the URI query")]
    [InlineData("postgres://h/d?hostaddr=10.0.0.1", "connection option \"hostaddr\" in the URI query is not supported by pgrant")]
    [InlineData("postgres://h/post%zzgres", "invalid percent-encoded token in the database name in the URI (expected % followed by two hex digits)")]
    [InlineData("postgres://h/db%0", "invalid percent-encoded token in the database name in the URI (expected % followed by two hex digits)")]
    [InlineData("postgres://h/d%00b", "forbidden value %00 in the database name in the URI")]
    [InlineData("postgres://h/d%FF", "percent-encoded bytes in the database name in the URI are not valid UTF-8")]
    [InlineData("postgres://[::1/d", "the URI has \"[\" without a matching \"]\" around an IPv6 host address")]
    [InlineData("postgres://[]/d", "the IPv6 host address in the URI is empty")]
    [InlineData("postgres://[::1]x/d", "unexpected character \"x\" at position 17 in the URI (expected \":\" or \"/\" after \"]\")")]
    [InlineData("postgres://h/d?sslmode", "missing key/value separator \"=\" in URI query parameter number 1")]
    [InlineData("postgres://h/d?a=b=c", "extra key/value separator \"=\" in URI query parameter \"a\"")]
    [InlineData("postgres://h:port/d", "invalid integer value \"port\" for connection option \"port\"")]
    [InlineData("postgres://h:70000/d", "invalid port number: \"70000\"")]
    [InlineData("postgres://h/d?sslmode=bogus", "invalid sslmode value: \"bogus\"")]
    [InlineData("postgres://h/d?channel_binding=maybe", "invalid channel_binding value: \"maybe\"")]
    public void Malformed_uris_fail_with_one_clear_line(string uri, string message)
    {
        var e = Assert.Throws<PgrantException>(() => ResolveDb(uri));
        Assert.Equal(message, e.Message);
        Assert.Equal(ExitCodes.UsageOrConnection, ExitCodes.For(e));
        Assert.NotNull(e.Hint);
    }

    [Theory]
    [InlineData("postgres://u:s3cr%zzet@h/d", "s3cr")]
    [InlineData("postgres://u:s3cr%00et@h/d", "s3cr")]
    [InlineData("postgres://h/d?password=s3cr%zzet", "s3cr")]
    public void Errors_in_the_password_never_echo_it(string uri, string secretPart)
    {
        var e = Assert.Throws<PgrantException>(() => ResolveDb(uri));
        Assert.Contains("the password", e.Message);
        Assert.DoesNotContain(secretPart, e.Message + e.Hint);
    }
}
