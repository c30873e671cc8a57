using Pgrant.Cli;
using Pgrant.Postgres.Connections;
using static Pgrant.IntegrationTests.Connections.TestEnvironment;

namespace Pgrant.IntegrationTests.Connections;

/// <summary>
/// Several hosts (host=a,b port=…, URIs with several host:port) and target_session_attrs, with
/// libpq's list rules checked first with psql 15 on libpq 15 and 18.4, and failover against a real server.
/// </summary>
[Collection(ConnectionServerCollection.Name)]
public sealed class MultiHostTests(ConnectionServerFixture fixture) : TempFolderTests("pgrant-multihost-")
{

    private static (string, int)[] Hosts(ConnectionOptions o) => o.Hosts.Select(h => (h.Host, h.Port)).ToArray();

    private ConnectionOptions ResolveHere(string database, Dictionary<string, string>? variables = null) =>
        ConnectionResolver.Resolve(new ConnectionRequest { Database = database },
            new StaticConnectionEnvironment(variables, Root.FullName, "nobody-here")).Options;

    private static async Task<int> ServerPort(ConnectionOptions options)
    {
        await using var connection = await PgConnector.OpenAsync(options, CancellationToken.None);
        await using var command = new NpgsqlCommand("SELECT inet_server_port()", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<ConnectionFailedException> Fails(ConnectionOptions options)
    {
        var e = await Assert.ThrowsAsync<ConnectionFailedException>(() => PgConnector.OpenAsync(options, CancellationToken.None));
        Assert.Equal(ExitCodes.UsageOrConnection, ExitCodes.For(e));
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain(Password, e.Message + e.Hint);
        return e;
    }

    [Fact]
    public void Hosts_take_one_port_each_or_one_port_for_all()
    {
        Assert.Equal([("a", 5432), ("b", 5433)], Hosts(ResolveDb("host=a,b port=5432,5433")));
        Assert.Equal([("a", 6000), ("b", 6000), ("c", 6000)], Hosts(ResolveDb("host=a,b,c port=6000")));
        Assert.Equal([("a", 5432), ("b", 5432)], Hosts(ResolveDb("host=a,b")));
        var o = ResolveDb("host=a,b port=5432,5433");
        Assert.Equal(("a", 5432), (o.Host, o.Port));
    }

    [Fact]
    public void An_empty_port_is_5432_not_pgport_and_an_empty_host_is_the_default()
    {
        // psql: `host=127.0.0.1,127.0.0.2 port=7,` tries 127.0.0.2:5432; PGPORT applies only when no port is given at all.
        var env = With(new() { ["PGPORT"] = "7" });
        Assert.Equal([("a", 7), ("b", 5432)], Hosts(ResolveDb("host=a,b port=7,", env)));
        Assert.Equal([("a", 7), ("b", 7)], Hosts(ResolveDb("host=a,b", env)));
        Assert.Equal([("a", 6000), ("localhost", 6000)], Hosts(ResolveDb("host=a, port=6000")));
        Assert.Equal([("a", 1), ("b", 2)], Hosts(Resolve(new ConnectionRequest(), With(new() { ["PGHOST"] = "a,b", ["PGPORT"] = "1,2" }))));
    }

    [Fact]
    public void Uri_hosts_keep_their_own_ports_as_libpq_does()
    {
        // libpq joins a URI's ports per host: `a:5433,b` is port "5433," and `a,b` is port "," (both 5432, PGPORT unused).
        var env = With(new() { ["PGPORT"] = "7" });
        Assert.Equal([("a", 5433), ("b", 5432)], Hosts(ResolveDb("postgres://a:5433,b/d", env)));
        Assert.Equal([("a", 5432), ("b", 5432)], Hosts(ResolveDb("postgres://a,b/d", env)));
        Assert.Equal([("a", 7)], Hosts(ResolveDb("postgres://a/d", env)));
        Assert.Equal([("::1", 5433), ("fe80::1%eth0", 5432), ("/tmp/s", 6000)],
            Hosts(ResolveDb("postgresql://u@[::1]:5433,[fe80::1%25eth0],%2Ftmp%2Fs:6000/d")));
    }

    [Fact]
    public void Display_and_server_description_show_every_host_and_round_trip()
    {
        var o = ResolveDb("postgresql://sdc@[::1]:5433,db.example.com,%2Ftmp%2Fs:6000/shop?target_session_attrs=read-write&load_balance_hosts=random");
        Assert.Equal("postgres://sdc@[::1]:5433,db.example.com:5432,%2Ftmp%2Fs:6000/shop?target_session_attrs=read-write&load_balance_hosts=random",
            o.ToDisplayString());
        Assert.Equal("[::1]:5433, db.example.com:5432, socket \"/tmp/s/.s.PGSQL.6000\"", o.ServerDescription);
        var back = ResolveDb(o.ToDisplayString());
        Assert.Equal(Hosts(o), Hosts(back));
        Assert.Equal((o.TargetSessionAttributes, o.LoadBalanceHosts), (back.TargetSessionAttributes, back.LoadBalanceHosts));
    }

    [Fact]
    public void Changing_the_host_with_a_with_expression_makes_a_single_host_target()
    {
        var o = ResolveDb("host=a,b port=1,2") with { Host = "c" };
        Assert.Equal([("c", 1)], Hosts(o));
    }

    [Fact]
    public void Npgsql_gets_a_multi_host_list_with_every_setting_explicit()
    {
        var b = ResolveDb("postgres://u:pw@[::1]:5433,h,%2Ftmp:6000/d?target_session_attrs=primary").ToNpgsqlConnectionStringBuilder();
        Assert.Equal(("[::1]:5433,h:5432,/tmp:6000", "primary", false, 0), (b.Host, b.TargetSessionAttributes, b.LoadBalanceHosts, b.HostRecheckSeconds));
        // One host: Npgsql refuses target_session_attrs, so it is not set there (PgConnector checks the session itself).
        Assert.Null(ResolveDb("host=h target_session_attrs=standby").ToNpgsqlConnectionStringBuilder().TargetSessionAttributes);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_closed_port_first_then_the_live_server_connects_to_the_live_one(int major)
    {
        var server = await fixture.ServerAsync(major);
        var conninfo = ResolveHere($"host={server.Host},{server.Host} port={P(ClosedPort())},{P(server.Port)} user=sdc dbname=sdc",
            new() { ["PGPASSWORD"] = Password });
        Assert.Equal(server.Port, await ServerPort(conninfo));
        var uri = ResolveHere($"postgresql://sdc@127.0.0.1:{P(ClosedPort())},[::1]:{P(server.Port)}/sdc", new() { ["PGPASSWORD"] = Password });
        Assert.Equal(server.Port, await ServerPort(uri));
    }

    [Fact]
    public async Task Every_host_unreachable_is_one_line_naming_each_host_and_why()
    {
        var (a, b) = (ClosedPort(), ClosedPort());
        var socketDirectory = Path.Combine(Root.FullName, "nosock");
        var e = await Fails(ResolveHere($"host=127.0.0.1,127.0.0.1,{socketDirectory} port={P(a)},{P(b)},5432 user=sdc password=x"));
        Assert.Equal(ConnectionFailure.Unreachable, e.Failure);
        Assert.Equal($"could not connect to any host: 127.0.0.1:{a} (connection refused), 127.0.0.1:{b} (connection refused), " +
                     $"socket \"{socketDirectory}/.s.PGSQL.5432\" (no such file or directory)", e.Message);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Target_session_attrs_read_write_and_primary_connect_to_a_primary(int major)
    {
        var server = await fixture.ServerAsync(major);
        var env = new Dictionary<string, string> { ["PGPASSWORD"] = Password };
        foreach (var attrs in new[] { "read-write", "primary", "prefer-standby", "any" })
        {
            Assert.Equal(server.Port, await ServerPort(ResolveHere($"host={server.Host} port={P(server.Port)} user=sdc target_session_attrs={attrs}", env)));
            Assert.Equal(server.Port, await ServerPort(ResolveHere(
                $"host={server.Host},{server.Host} port={P(ClosedPort())},{P(server.Port)} user=sdc target_session_attrs={attrs}", env)));
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Target_session_attrs_standby_on_a_primary_fails_with_one_clear_line(int major)
    {
        var server = await fixture.ServerAsync(major);
        var env = new Dictionary<string, string> { ["PGPASSWORD"] = Password };
        var single = await Fails(ResolveHere($"host={server.Host} port={P(server.Port)} user=sdc target_session_attrs=standby", env));
        Assert.Equal(ConnectionFailure.NoMatchingServer, single.Failure);
        Assert.Equal($"no server matched target_session_attrs=standby: 127.0.0.1:{P(server.Port)} (server is not in hot standby mode)", single.Message);
        Assert.Equal("target_session_attrs=standby accepts only such servers; list another host, or use prefer-standby or any " +
                     "(target_session_attrs in -d, or PGTARGETSESSIONATTRS).", single.Hint);

        var both = await Fails(ResolveHere($"postgres://sdc@127.0.0.1:{P(server.Port)},[::1]:{P(server.Port)}/sdc?target_session_attrs=read-only", env));
        Assert.Equal($"no server matched target_session_attrs=read-only: 127.0.0.1:{P(server.Port)} (session is not read-only), " +
                     $"[::1]:{P(server.Port)} (session is not read-only)", both.Message);

        var closed = ClosedPort();
        var mixed = await Fails(ResolveHere($"host=127.0.0.1,127.0.0.1 port={P(closed)},{P(server.Port)} user=sdc target_session_attrs=standby", env));
        Assert.Equal(ConnectionFailure.NoMatchingServer, mixed.Failure);
        Assert.Equal($"no server matched target_session_attrs=standby among 127.0.0.1:{P(closed)}, 127.0.0.1:{P(server.Port)}: " +
                     "1 failed (connection refused), 1 did not match (server is not in hot standby mode)", mixed.Message);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task The_password_file_is_read_per_host_and_no_host_gets_another_hosts_password(int major)
    {
        var server = await fixture.ServerAsync(major);
        var closed = ClosedPort();
        var pgpass = Path.Combine(Root.FullName, ".pgpass");
        var escaped = Password.Replace("\\", "\\\\").Replace(":", "\\:");
        File.WriteAllText(pgpass, $"127.0.0.1:{P(server.Port)}:sdc:sdc:{escaped}\n");
        File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var options = ResolveHere($"host=127.0.0.1,127.0.0.1 port={P(closed)},{P(server.Port)} user=sdc dbname=sdc");
        Assert.Null(options.Password);
        Assert.Equal(PasswordSource.PassFile, options.PasswordSource);
        Assert.Equal(server.Port, await ServerPort(options));

        // An IPv6 host is looked up as written in the host list (::1, colons escaped in the file).
        File.WriteAllText(pgpass, $"\\:\\:1:{P(server.Port)}:sdc:sdc:{escaped}\n");
        Assert.Equal(server.Port, await ServerPort(ResolveHere($"host=127.0.0.1,::1 port={P(closed)},{P(server.Port)} user=sdc dbname=sdc")));

        // Only the closed host has a line: the live server is not sent that password; nothing was supplied for it.
        File.WriteAllText(pgpass, $"127.0.0.1:{P(closed)}:sdc:sdc:{escaped}\n");
        var e = await Fails(ResolveHere($"host=127.0.0.1,::1 port={P(closed)},{P(server.Port)} user=sdc dbname=sdc"));
        Assert.Equal(ConnectionFailure.NoPassword, e.Failure);
        Assert.Equal($"could not connect to any host: 127.0.0.1:{P(closed)} (connection refused), [::1]:{P(server.Port)} (no password supplied)", e.Message);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task The_same_server_error_from_every_host_is_the_servers_line(int major)
    {
        var server = await fixture.ServerAsync(major);
        var e = await Fails(ResolveHere($"host=127.0.0.1,::1 port={P(server.Port)} user=sdc dbname=sdc password=Wrong-Pass"));
        Assert.Equal(ConnectionFailure.BadPassword, e.Failure);
        Assert.Equal($"connection to postgres://sdc@127.0.0.1:{P(server.Port)},[::1]:{P(server.Port)}/sdc failed: password authentication failed for user \"sdc\"", e.Message);
    }
}
