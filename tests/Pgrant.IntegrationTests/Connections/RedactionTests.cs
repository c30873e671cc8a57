using Pgrant.Postgres.Connections;
using static Pgrant.IntegrationTests.Connections.TestEnvironment;

namespace Pgrant.IntegrationTests.Connections;

public sealed class RedactionTests
{
    private const string Secret = "Tr0ub4dor&3";

    private static ConnectionOptions Options(string host = "127.0.0.1") => new()
    {
        Host = host, Port = 5432, User = "sdc", Database = "sdc", Password = Secret, PasswordSource = PasswordSource.Explicit,
    };

    [Fact]
    public void Display_string_is_a_uri_without_the_password()
    {
        Assert.Equal("postgres://sdc@127.0.0.1:5432/sdc", Options().ToDisplayString());
    }

    [Fact]
    public void ToString_of_the_record_is_the_display_string()
    {
        Assert.Equal("postgres://sdc@127.0.0.1:5432/sdc", Options().ToString());
        Assert.Equal("postgres://sdc@127.0.0.1:5432/sdc", $"{Options()}");
    }

    [Fact]
    public void Display_string_encodes_names_brackets_ipv6_and_encodes_socket_directories()
    {
        var o = Options() with { User = "a@b", Database = "my db/x", SslMode = SslMode.Require };
        Assert.Equal("postgres://a%40b@127.0.0.1:5432/my%20db%2Fx?sslmode=require", o.ToDisplayString());
        Assert.Equal("postgres://sdc@[::1]:5432/sdc", Options("::1").ToDisplayString());
        Assert.Equal("postgres://sdc@%2Fvar%2Frun%2Fpostgresql:5432/sdc", Options("/var/run/postgresql").ToDisplayString());
    }

    [Fact]
    public void Display_string_round_trips_through_the_resolver()
    {
        var original = Options() with { Host = "::1", User = "ü s@r", Database = "d/b?x", SslMode = SslMode.VerifyFull };
        var back = ResolveDb(original.ToDisplayString());
        Assert.Equal((original.Host, original.Port, original.User, original.Database, original.SslMode),
            (back.Host, back.Port, back.User, back.Database, back.SslMode));
    }

    [Fact]
    public void Server_description_matches_libpq_wording()
    {
        Assert.Equal("127.0.0.1:5432", Options().ServerDescription);
        Assert.Equal("[::1]:5432", Options("::1").ServerDescription);
        Assert.Equal("socket \"/tmp/s/.s.PGSQL.5432\"", Options("/tmp/s").ServerDescription);
    }

    [Fact]
    public void Request_ToString_hides_a_uri_given_as_database()
    {
        var request = new ConnectionRequest { Host = "h", Database = $"postgres://u:{Secret}@h/d", Password = Secret };
        Assert.Equal("ConnectionRequest { Host = h, Port = , User = , Database = (given), PasswordPrompt = Auto }", request.ToString());
    }

    [Fact]
    public void Npgsql_settings_carry_every_resolved_value()
    {
        var o = ResolveDb($"host=db port=6000 user=u dbname=d password={Secret} sslmode=verify-full application_name=a connect_timeout=4 " +
                          "options='-c x=1' client_encoding=UTF8 sslrootcert=/ca sslcert=/c sslkey=/k channel_binding=require " +
                          "gssencmode=disable krbsrvname=pg require_auth=scram-sha-256 sslnegotiation=postgres");
        var b = o.ToNpgsqlConnectionStringBuilder();
        Assert.Equal(("db", 6000, "u", "d", Secret), (b.Host, b.Port, b.Username, b.Database, b.Password));
        Assert.Equal((SslMode.VerifyFull, "a", 4), (b.SslMode, b.ApplicationName, b.Timeout));
        Assert.Equal(("-c x=1", "UTF8", "/ca", "/c", "/k"), (b.Options, b.ClientEncoding, b.RootCertificate, b.SslCertificate, b.SslKey));
        Assert.Equal((ChannelBinding.Require, GssEncryptionMode.Disable, "pg", "ScramSHA256", SslNegotiation.Postgres),
            (b.ChannelBinding, b.GssEncryptionMode, b.KerberosServiceName, b.RequireAuth, b.SslNegotiation));
        Assert.Equal((false, true, false), (b.PersistSecurityInfo, b.IncludeErrorDetail, b.Pooling));
        Assert.Null(b.Passfile);
    }

    [Theory]
    [InlineData("scram-sha-256,md5", "ScramSHA256,MD5")]
    [InlineData("!password,!none", "!Password,!None")]
    [InlineData("gss, sspi", "GSS,SSPI")]
    public void Require_auth_uses_libpq_names(string libpq, string npgsql)
    {
        Assert.Equal(npgsql, ResolveDb($"host=h require_auth='{libpq}'").ToNpgsqlConnectionStringBuilder().RequireAuth);
    }

    [Theory]
    [InlineData("scram", "invalid require_auth value: \"scram\"")]
    [InlineData("md5,!password", "invalid require_auth value: \"md5,!password\"")]
    public void Require_auth_rejects_unknown_or_mixed_methods(string value, string message)
    {
        Assert.Equal(message, Assert.Throws<Pgrant.Core.PgrantException>(() => ResolveDb($"host=h require_auth='{value}'")).Message);
    }

    [Fact]
    public void Values_cannot_inject_other_npgsql_keys()
    {
        var o = ResolveDb("host=h dbname='x;Password=stolen;Host=evil' user='u;Pooling=true'");
        var b = new NpgsqlConnectionStringBuilder(o.ToNpgsqlConnectionStringBuilder().ConnectionString);
        Assert.Equal(("h", "x;Password=stolen;Host=evil", "u;Pooling=true", null, false), (b.Host, b.Database, b.Username, b.Password, b.Pooling));
    }

    [Fact]
    public void Without_a_password_npgsql_is_kept_from_reading_a_password_file_itself()
    {
        var b = (Options() with { Password = null, PasswordSource = PasswordSource.None }).ToNpgsqlConnectionStringBuilder();
        Assert.Equal("/dev/null", b.Passfile);
    }

    [Fact]
    public void Infinite_and_fractional_timeouts_map_to_npgsql_seconds()
    {
        Assert.Equal(0, (Options() with { ConnectTimeout = Timeout.InfiniteTimeSpan }).ToNpgsqlConnectionStringBuilder().Timeout);
        Assert.Equal(3, (Options() with { ConnectTimeout = TimeSpan.FromSeconds(2.5) }).ToNpgsqlConnectionStringBuilder().Timeout);
        Assert.Equal(1024, (Options() with { ConnectTimeout = TimeSpan.FromHours(1) }).ToNpgsqlConnectionStringBuilder().Timeout);
    }
}
