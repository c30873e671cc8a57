using Pgrant.Postgres.Connections;
using static Pgrant.IntegrationTests.Connections.TestEnvironment;

namespace Pgrant.IntegrationTests.Connections;

public sealed class ConnectionResolverTests
{
    private static readonly Dictionary<string, string> FullEnvironment = new()
    {
        ["PGHOST"] = "envhost", ["PGPORT"] = "6001", ["PGUSER"] = "envuser", ["PGPASSWORD"] = "envpw",
        ["PGDATABASE"] = "envdb", ["PGSSLMODE"] = "verify-ca", ["PGAPPNAME"] = "envapp", ["PGCONNECT_TIMEOUT"] = "3",
        ["PGOPTIONS"] = "-c x=1",
    };

    [Fact]
    public void Defaults_without_anything_are_localhost_5432_os_user_and_database_named_after_the_user()
    {
        var o = Resolve(new ConnectionRequest());
        Assert.Equal(("localhost", 5432, "alice", "alice", null, PasswordSource.None),
            (o.Host, o.Port, o.User, o.Database, o.Password, o.PasswordSource));
        Assert.Equal(SslMode.Prefer, o.SslMode);
        Assert.Equal("pgrant", o.ApplicationName);
        Assert.Equal(TimeSpan.FromSeconds(10), o.ConnectTimeout);
        Assert.Empty(o.Parameters);
    }

    [Fact]
    public void Database_defaults_to_the_resolved_user_not_the_os_user()
    {
        Assert.Equal("bob", Resolve(new ConnectionRequest { User = "bob" }).Database);
    }

    [Fact]
    public void Default_host_is_the_debian_socket_directory_when_it_exists()
    {
        Assert.Equal("/var/run/postgresql", Resolve(new ConnectionRequest(), With(existingPaths: "/var/run/postgresql")).Host);
    }

    [Fact]
    public void Default_host_prefers_the_directory_holding_this_ports_socket()
    {
        var env = With(existingPaths: ["/var/run/postgresql", "/tmp/.s.PGSQL.5433"]);
        Assert.Equal("/tmp", Resolve(new ConnectionRequest { Port = "5433" }, env).Host);
        Assert.Equal("/var/run/postgresql", Resolve(new ConnectionRequest { Port = "5432" }, env).Host);
    }

    [Fact]
    public void Environment_fills_everything_not_given()
    {
        var o = Resolve(new ConnectionRequest(), With(FullEnvironment));
        Assert.Equal(("envhost", 6001, "envuser", "envdb", "envpw", PasswordSource.Environment),
            (o.Host, o.Port, o.User, o.Database, o.Password, o.PasswordSource));
        Assert.Equal((SslMode.VerifyCA, "envapp", TimeSpan.FromSeconds(3)), (o.SslMode, o.ApplicationName, o.ConnectTimeout));
        Assert.Equal("-c x=1", o.Parameters["options"]);
    }

    [Fact]
    public void Explicit_options_beat_the_environment()
    {
        var o = Resolve(new ConnectionRequest { Host = "h", Port = "7", User = "u", Database = "d" }, With(FullEnvironment));
        Assert.Equal(("h", 7, "u", "d"), (o.Host, o.Port, o.User, o.Database));
        Assert.Equal(("envpw", PasswordSource.Environment), (o.Password, o.PasswordSource));
    }

    [Fact]
    public void Connection_string_in_dbname_overrides_explicit_host_port_user_as_psql_does()
    {
        // Checked with psql 15: `psql -h 127.0.0.1 -p 5999 -d "postgresql://127.0.0.1:5520/postgres"` connects to 5520.
        var o = Resolve(new ConnectionRequest { Host = "cli", Port = "5999", User = "cliuser", Database = "postgres://urihost:5520/db" });
        Assert.Equal(("urihost", 5520, "cliuser", "db"), (o.Host, o.Port, o.User, o.Database));
        var c = Resolve(new ConnectionRequest { Host = "cli", User = "cliuser", Database = "user=csuser" });
        Assert.Equal(("cli", "csuser", "csuser"), (c.Host, c.User, c.Database));
    }

    [Fact]
    public void Password_in_the_uri_beats_pgpassword()
    {
        var o = Resolve(new ConnectionRequest { Database = "postgres://u:uripw@h/d" }, With(FullEnvironment));
        Assert.Equal(("uripw", PasswordSource.Explicit), (o.Password, o.PasswordSource));
    }

    [Fact]
    public void Empty_values_count_as_not_given()
    {
        var o = Resolve(new ConnectionRequest { Host = "", Port = "", User = "", Database = "" },
            With(new() { ["PGHOST"] = "", ["PGUSER"] = "envuser", ["PGPASSWORD"] = "" }));
        Assert.Equal(("localhost", 5432, "envuser", "envuser", null, PasswordSource.None),
            (o.Host, o.Port, o.User, o.Database, o.Password, o.PasswordSource));
    }

    [Fact]
    public void A_plain_dbname_is_a_name_even_with_odd_characters()
    {
        Assert.Equal("we:ird/db name", Resolve(new ConnectionRequest { Database = "we:ird/db name" }).Database);
    }

    [Fact]
    public void Pgappname_beats_the_callers_fallback_and_fallback_application_name_beats_the_default()
    {
        Assert.Equal("demo", Resolve(new ConnectionRequest { FallbackApplicationName = "demo" }).ApplicationName);
        Assert.Equal("env", Resolve(new ConnectionRequest { FallbackApplicationName = "demo" }, With(new() { ["PGAPPNAME"] = "env" })).ApplicationName);
        Assert.Equal("fb", ResolveDb("fallback_application_name=fb host=h").ApplicationName);
        Assert.Equal("app", ResolveDb("fallback_application_name=fb application_name=app host=h").ApplicationName);
    }

    [Theory]
    [InlineData("PGHOSTADDR", "10.0.0.1", "hostaddr")]
    [InlineData("PGSSLCRL", "/crl.pem", "sslcrl")]
    [InlineData("PGSSLCRLDIR", "/crl", "sslcrldir")]
    [InlineData("PGSSLCERTMODE", "require", "sslcertmode")]
    [InlineData("PGSSLMINPROTOCOLVERSION", "TLSv1.3", "ssl_min_protocol_version")]
    [InlineData("PGSSLMAXPROTOCOLVERSION", "TLSv1.2", "ssl_max_protocol_version")]
    [InlineData("PGGSSLIB", "gssapi", "gsslib")]
    [InlineData("PGREQUIREPEER", "postgres", "requirepeer")]
    [InlineData("PGSSLSNI", "0", "sslsni")]
    public void Variables_that_change_the_server_or_its_security_are_refused(string variable, string value, string keyword)
    {
        // libpq would honour these; connecting without them would reach another server or a less secure one.
        var e = Assert.Throws<Pgrant.Core.PgrantException>(() => Resolve(new ConnectionRequest { Host = "h" }, With(new() { [variable] = value })));
        Assert.Equal($"environment variable {variable} is set, but pgrant does not support the connection option \"{keyword}\"", e.Message);
        Assert.Equal($"unset {variable}: it changes which server is reached or how securely, so pgrant will not connect without honouring it.", e.Hint);
    }

    [Fact]
    public void Pgsslsni_that_keeps_sni_on_is_the_default_and_accepted()
    {
        Assert.Equal("h", Resolve(new ConnectionRequest { Host = "h" }, With(new() { ["PGSSLSNI"] = "1" })).Host);
    }

    [Fact]
    public void Variables_that_cannot_change_the_server_are_reported_as_ignored()
    {
        var r = ConnectionResolver.Resolve(new ConnectionRequest(), With(new() { ["PGGSSDELEGATION"] = "1", ["PGSSLCOMPRESSION"] = "1" }));
        Assert.Equal(
            ["environment variable PGSSLCOMPRESSION is ignored: pgrant does not support the connection option \"sslcompression\"",
             "environment variable PGGSSDELEGATION is ignored: pgrant does not support the connection option \"gssdelegation\""],
            r.Warnings.ToArray());
    }

    [Theory]
    [InlineData("1", null, SslMode.Require)]
    [InlineData("1yes", null, SslMode.Require)]
    [InlineData("0", null, SslMode.Prefer)]
    [InlineData("1", "disable", SslMode.Disable)]
    public void Pgrequiressl_one_means_sslmode_require_unless_sslmode_is_set(string requireSsl, string? sslMode, SslMode expected)
    {
        // libpq's conninfo_add_defaults: only a value starting with 1 counts, and PGSSLMODE wins.
        var variables = new Dictionary<string, string> { ["PGREQUIRESSL"] = requireSsl };
        if (sslMode is not null) variables["PGSSLMODE"] = sslMode;
        Assert.Equal(expected, Resolve(new ConnectionRequest(), With(variables)).SslMode);
        Assert.Equal(SslMode.Allow, ResolveDb("host=h sslmode=allow", With(variables)).SslMode);
    }

    [Fact]
    public void Target_session_attrs_and_load_balance_hosts_come_from_the_environment_too()
    {
        var o = Resolve(new ConnectionRequest { Host = "a,b" }, With(new() { ["PGTARGETSESSIONATTRS"] = "read-write", ["PGLOADBALANCEHOSTS"] = "random" }));
        Assert.Equal((TargetSessionAttributes.ReadWrite, true), (o.TargetSessionAttributes, o.LoadBalanceHosts));
        var c = ResolveDb("host=a,b target_session_attrs=standby load_balance_hosts=disable",
            With(new() { ["PGTARGETSESSIONATTRS"] = "read-write", ["PGLOADBALANCEHOSTS"] = "random" }));
        Assert.Equal((TargetSessionAttributes.Standby, false), (c.TargetSessionAttributes, c.LoadBalanceHosts));
    }

    [Fact]
    public void Explicit_request_password_is_used_and_marked_explicit()
    {
        var o = Resolve(new ConnectionRequest { Password = "given" }, With(FullEnvironment));
        Assert.Equal(("given", PasswordSource.Explicit), (o.Password, o.PasswordSource));
    }
}
