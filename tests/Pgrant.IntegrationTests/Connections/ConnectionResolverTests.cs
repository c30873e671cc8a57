using Npgsql;
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

    [Fact]
    public void Variables_for_unsupported_options_are_reported_not_silently_used()
    {
        var r = ConnectionResolver.Resolve(new ConnectionRequest(), With(new() { ["PGSERVICE"] = "prod", ["PGHOSTADDR"] = "10.0.0.1" }));
        Assert.Equal(
            ["environment variable PGHOSTADDR is ignored: pgrant does not support the connection option \"hostaddr\"",
             "environment variable PGSERVICE is ignored: pgrant does not support the connection option \"service\""],
            r.Warnings.ToArray());
        Assert.Equal("localhost", r.Options.Host);
    }

    [Fact]
    public void Explicit_request_password_is_used_and_marked_explicit()
    {
        var o = Resolve(new ConnectionRequest { Password = "given" }, With(FullEnvironment));
        Assert.Equal(("given", PasswordSource.Explicit), (o.Password, o.PasswordSource));
    }
}
