using Pgrant.Cli;
using Pgrant.Postgres.Connections;

namespace Pgrant.IntegrationTests.Connections;

/// <summary>Every connection form and failure against a real PostgreSQL server with scram-sha-256, on every tested major.</summary>
public sealed class PgConnectorTests(ConnectionServerFixture fixture) : TempFolderTests("pgrant-conn-home-"), IClassFixture<ConnectionServerFixture>
{

    private StaticConnectionEnvironment Environment(Dictionary<string, string>? variables = null) =>
        new(variables, Root.FullName, osUserName: "nobody-here");

    private ConnectionOptions Resolve(ConnectionRequest request, Dictionary<string, string>? variables = null) =>
        ConnectionResolver.Resolve(request, Environment(variables)).Options;

    /// <summary>A loopback port nothing listens on (for "connection refused").</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(string User, string Database, bool OverSocket)> WhoAmI(ConnectionOptions options)
    {
        await using var connection = await PgConnector.OpenAsync(options, CancellationToken.None);
        await using var command = new NpgsqlCommand("SELECT current_user, current_database(), inet_server_addr() IS NULL", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetString(1), reader.GetBoolean(2));
    }

    private static async Task<ConnectionFailedException> Fails(ConnectionOptions options)
    {
        var e = await Assert.ThrowsAsync<ConnectionFailedException>(() => PgConnector.OpenAsync(options, CancellationToken.None));
        Assert.Equal(ExitCodes.UsageOrConnection, ExitCodes.For(e));
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    private static void AssertNoPassword(Exception e, string password)
    {
        Assert.DoesNotContain(password, e.ToString());
        Assert.DoesNotContain(password, ((PgrantException)e).Hint ?? "");
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Connects_with_a_uri_whose_user_password_and_database_are_percent_encoded(int major)
    {
        var server = await fixture.ServerAsync(major);
        var uri = $"postgresql://{Uri.EscapeDataString("sdc")}:{Uri.EscapeDataString(Password)}@{server.Host}:{server.Port}/{Uri.EscapeDataString("sdc")}?application_name=uri%20test";
        var options = Resolve(new ConnectionRequest { Database = uri });
        Assert.Equal(("sdc", "sdc", false), await WhoAmI(options));
        Assert.Equal($"postgres://sdc@127.0.0.1:{server.Port}/sdc", options.ToDisplayString());
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Connects_with_a_quoted_conninfo_string(int major)
    {
        var server = await fixture.ServerAsync(major);
        var quoted = Password.Replace("\\", "\\\\").Replace("'", "\\'");
        var options = Resolve(new ConnectionRequest { Database = $"host = {server.Host} port={server.Port} user=sdc password='{quoted}' dbname=sdc" });
        Assert.Equal(("sdc", "sdc", false), await WhoAmI(options));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Connects_with_a_password_from_an_escaped_pgpass_line(int major)
    {
        var server = await fixture.ServerAsync(major);
        var path = Path.Combine(Root.FullName, ".pgpass");
        var escaped = Password.Replace("\\", "\\\\").Replace(":", "\\:");
        await File.WriteAllTextAsync(path, $"# pgrant test\n{server.Host}:{server.Port}:sdc:sdc:{escaped}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var options = Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "sdc" });
        Assert.Equal((PasswordSource.PassFile, (int?)2), (options.PasswordSource, options.PassFileLine));
        Assert.Equal(("sdc", "sdc", false), await WhoAmI(options));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Connects_with_pg_environment_variables_only(int major)
    {
        var server = await fixture.ServerAsync(major);
        var options = Resolve(new ConnectionRequest(), new()
        {
            ["PGHOST"] = server.Host, ["PGPORT"] = server.Port.ToString(), ["PGUSER"] = "sdc", ["PGPASSWORD"] = Password,
        });
        Assert.Equal(("sdc", "sdc", false), await WhoAmI(options));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Connects_over_a_unix_socket_named_in_a_uri(int major)
    {
        var server = await fixture.ServerAsync(major);
        var uri = $"postgresql://postgres@{Uri.EscapeDataString(server.SocketDirectory)}:{server.Port}/postgres";
        var options = Resolve(new ConnectionRequest { Database = uri });
        Assert.True(options.IsUnixSocket);
        Assert.Equal(("postgres", "postgres", true), await WhoAmI(options));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_uri_in_dbname_overrides_an_explicit_port_like_psql(int major)
    {
        var server = await fixture.ServerAsync(major);
        var options = Resolve(new ConnectionRequest
        {
            Host = "198.51.100.1", Port = ClosedPort().ToString(), User = "sdc", Password = Password,
            Database = $"postgres://{server.Host}:{server.Port}/sdc",
        });
        Assert.Equal(("sdc", "sdc", false), await WhoAmI(options));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Wrong_password_is_one_line_without_the_password(int major)
    {
        var server = await fixture.ServerAsync(major);
        const string wrong = "Wrong-Pass-Phrase-42";
        var options = Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "sdc", Database = "sdc" },
            new() { ["PGPASSWORD"] = wrong });
        var e = await Fails(options);
        Assert.Equal(ConnectionFailure.BadPassword, e.Failure);
        Assert.Equal(PostgresErrorCodes.InvalidPassword, e.SqlState);
        Assert.Equal($"connection to postgres://sdc@127.0.0.1:{server.Port}/sdc failed: password authentication failed for user \"sdc\"", e.Message);
        Assert.Equal("the password came from PGPASSWORD; correct it, or unset it to use the password file.", e.Hint);
        AssertNoPassword(e, wrong);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Wrong_password_from_the_pgpass_file_names_the_file_and_line(int major)
    {
        var server = await fixture.ServerAsync(major);
        var path = Path.Combine(Root.FullName, ".pgpass");
        await File.WriteAllTextAsync(path, "*:*:*:sdc:Not-The-Password\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var e = await Fails(Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "sdc" }));
        Assert.Equal(ConnectionFailure.BadPassword, e.Failure);
        Assert.Equal($"the password came from {path} line 1; correct that line or set PGPASSWORD.", e.Hint);
        AssertNoPassword(e, "Not-The-Password");
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Missing_password_says_none_was_supplied(int major)
    {
        var server = await fixture.ServerAsync(major);
        var e = await Fails(Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "sdc" }));
        Assert.Equal(ConnectionFailure.NoPassword, e.Failure);
        Assert.Equal($"the server at 127.0.0.1:{server.Port} requires a password for user \"sdc\" but none was supplied", e.Message);
        Assert.Equal(
            $"set PGPASSWORD, add a line to {Path.Combine(Root.FullName, ".pgpass")} (host:port:database:user:password, mode 0600), put it in a -d postgres:// URI, or use -W to be asked.",
            e.Hint);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_world_readable_pgpass_is_ignored_so_no_password_is_supplied(int major)
    {
        var server = await fixture.ServerAsync(major);
        var path = Path.Combine(Root.FullName, ".pgpass");
        await File.WriteAllTextAsync(path, $"*:*:*:sdc:{Password.Replace("\\", "\\\\").Replace(":", "\\:")}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var resolution = ConnectionResolver.Resolve(
            new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "sdc" }, Environment());
        Assert.Equal([$"password file \"{path}\" has group or world access; permissions should be u=rw (0600) or less"], resolution.Warnings.ToArray());
        Assert.Equal(ConnectionFailure.NoPassword, (await Fails(resolution.Options)).Failure);
    }

    [Fact]
    public async Task Unreachable_port_is_one_line_with_a_hint_about_host_and_port()
    {
        var port = ClosedPort();
        var e = await Fails(Resolve(new ConnectionRequest { Host = "127.0.0.1", Port = port.ToString(), User = "sdc", Password = Password }));
        Assert.Equal(ConnectionFailure.Unreachable, e.Failure);
        Assert.Equal($"could not connect to server at 127.0.0.1:{port}: connection refused", e.Message);
        Assert.Equal("is the server running on that host and accepting TCP/IP connections? check -h and -p (or PGHOST/PGPORT), and firewalls.", e.Hint);
        AssertNoPassword(e, Password);
    }

    [Fact]
    public async Task A_listener_that_never_answers_times_out_after_connect_timeout()
    {
        // Accepts TCP (the kernel completes the handshake) but never speaks the protocol.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var e = await Fails(Resolve(new ConnectionRequest { Database = $"host=127.0.0.1 port={port} user=sdc connect_timeout=2", Password = Password }));
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));
        Assert.Equal(ConnectionFailure.Unreachable, e.Failure);
        Assert.Equal($"could not connect to server at 127.0.0.1:{port}: no answer within 2 s", e.Message);
        AssertNoPassword(e, Password);
    }

    [Fact]
    public async Task Missing_socket_is_one_line_naming_the_socket()
    {
        var directory = Path.Combine(Root.FullName, "nosock");
        var e = await Fails(Resolve(new ConnectionRequest { Host = directory, Port = "5432", User = "sdc" }));
        Assert.Equal(ConnectionFailure.Unreachable, e.Failure);
        Assert.Equal($"could not connect to server on socket \"{directory}/.s.PGSQL.5432\": no such file or directory", e.Message);
        Assert.Equal("is the server running locally and accepting connections on that socket? check -h (socket directory) and -p, or PGHOST/PGPORT.", e.Hint);
    }

    [Fact]
    public async Task Unknown_host_name_is_one_line()
    {
        var e = await Fails(Resolve(new ConnectionRequest { Host = "no-such-host.invalid", User = "sdc" }));
        Assert.Equal(ConnectionFailure.Unreachable, e.Failure);
        // The resolver's wording after the colon differs between libc versions; the part pgrant writes does not.
        Assert.StartsWith("could not translate host name \"no-such-host.invalid\" to address: ", e.Message);
        Assert.Equal("check the host name given with -h (or PGHOST, or in the -d URI).", e.Hint);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Missing_database_is_one_line(int major)
    {
        var server = await fixture.ServerAsync(major);
        var e = await Fails(Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "sdc", Database = "nope", Password = Password }));
        Assert.Equal((ConnectionFailure.DatabaseDoesNotExist, PostgresErrorCodes.InvalidCatalogName), (e.Failure, e.SqlState));
        Assert.Equal($"connection to postgres://sdc@127.0.0.1:{server.Port}/nope failed: database \"nope\" does not exist", e.Message);
        AssertNoPassword(e, Password);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Missing_connect_privilege_keeps_the_servers_message_and_detail(int major)
    {
        var server = await fixture.ServerAsync(major);
        var e = await Fails(Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "sdc", Database = "locked", Password = Password }));
        Assert.Equal((ConnectionFailure.NotAuthorized, PostgresErrorCodes.InsufficientPrivilege), (e.Failure, e.SqlState));
        Assert.Equal($"connection to postgres://sdc@127.0.0.1:{server.Port}/locked failed: permission denied for database \"locked\" (User does not have CONNECT privilege.)", e.Message);
        Assert.Equal("the database owner or a superuser can run: GRANT CONNECT ON DATABASE locked TO sdc;", e.Hint);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Role_that_may_not_log_in_is_one_line(int major)
    {
        var server = await fixture.ServerAsync(major);
        var e = await Fails(Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "nologin", Database = "sdc", Password = Password }));
        Assert.Equal((ConnectionFailure.NotAuthorized, PostgresErrorCodes.InvalidAuthorizationSpecification), (e.Failure, e.SqlState));
        Assert.Equal($"connection to postgres://nologin@127.0.0.1:{server.Port}/sdc failed: role \"nologin\" is not permitted to log in", e.Message);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Missing_role_is_reported_where_the_server_admits_it(int major)
    {
        var server = await fixture.ServerAsync(major);
        // Over TCP, scram hides whether a role exists (28P01); the trusted socket reports it (28000).
        var e = await Fails(Resolve(new ConnectionRequest { Host = server.SocketDirectory, Port = server.Port.ToString(), User = "ghost", Database = "postgres" }));
        Assert.Equal((ConnectionFailure.RoleDoesNotExist, PostgresErrorCodes.InvalidAuthorizationSpecification), (e.Failure, e.SqlState));
        Assert.Equal($"connection to postgres://ghost@{Uri.EscapeDataString(server.SocketDirectory)}:{server.Port}/postgres failed: role \"ghost\" does not exist", e.Message);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Pg_hba_rejection_is_one_line(int major)
    {
        var server = await fixture.ServerAsync(major);
        var e = await Fails(Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "hbablocked", Database = "sdc", Password = Password }));
        Assert.Equal((ConnectionFailure.RejectedByHba, PostgresErrorCodes.InvalidAuthorizationSpecification), (e.Failure, e.SqlState));
        // The server's own wording: 13 says "SSL off", 14+ "no encryption".
        var encryption = major >= 14 ? "no encryption" : "SSL off";
        Assert.Equal($"connection to postgres://hbablocked@127.0.0.1:{server.Port}/sdc failed: pg_hba.conf rejects connection for host \"127.0.0.1\", user \"hbablocked\", database \"sdc\", {encryption}", e.Message);
        AssertNoPassword(e, Password);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Ssl_required_by_a_server_without_tls_is_one_line(int major)
    {
        var server = await fixture.ServerAsync(major);
        var e = await Fails(Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "sdc", Password = Password, Database = "sslmode=require" }));
        Assert.Equal(ConnectionFailure.Ssl, e.Failure);
        Assert.Equal($"could not connect to server at 127.0.0.1:{server.Port}: server does not support SSL, but SSL was required", e.Message);
        Assert.Equal("sslmode is require; use sslmode=disable/prefer for servers without TLS, or fix the certificates.", e.Hint);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task An_opened_connection_no_longer_exposes_the_password(int major)
    {
        var server = await fixture.ServerAsync(major);
        var options = Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "sdc", Password = Password });
        await using var connection = await PgConnector.OpenAsync(options, CancellationToken.None);
        Assert.DoesNotContain(Password, connection.ConnectionString);
        Assert.DoesNotContain("Password", connection.ConnectionString, StringComparison.OrdinalIgnoreCase);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Cancellation_is_not_turned_into_a_connection_failure(int major)
    {
        var server = await fixture.ServerAsync(major);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var options = Resolve(new ConnectionRequest { Host = server.Host, Port = server.Port.ToString(), User = "sdc", Password = Password });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PgConnector.OpenAsync(options, cancelled.Token));
    }
}
