using static Pgrant.IntegrationTests.Connections.TestEnvironment;

namespace Pgrant.IntegrationTests.Connections;

/// <summary>
/// Connections as a user meets them in the built CLI (a child process, stdin not a terminal): -W
/// reading the password from stdin, end of input, services, refused variables, several hosts.
/// `pgrant can sdc CONNECT sdc --kind database` is the probe: it connects, reads, and says yes.
/// </summary>
[Collection(ConnectionServerCollection.Name)]
public sealed class ConnectionCliTests(ConnectionServerFixture fixture) : TempFolderTests("pgrant-conn-cli-")
{

    private static readonly string[] Probe = ["can", "sdc", "CONNECT", "sdc", "--kind", "database"];

    private async Task<string[]> Target(int major)
    {
        var server = await fixture.ServerAsync(major);
        return ["-h", server.Host, "-p", P(server.Port), "-U", "sdc", "-d", "sdc"];
    }

    /// <summary>No home files: HOME is an empty folder, PGSYSCONFDIR another.</summary>
    private Dictionary<string, string> Env(Dictionary<string, string>? extra = null)
    {
        var env = new Dictionary<string, string>
        {
            ["HOME"] = Directory.CreateDirectory(Path.Combine(Root.FullName, "home")).FullName,
            ["PGSYSCONFDIR"] = Directory.CreateDirectory(Path.Combine(Root.FullName, "etc")).FullName,
        };
        foreach (var (k, v) in extra ?? []) env[k] = v;
        return env;
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Dash_W_reads_the_password_from_stdin_when_it_is_not_a_terminal(int major)
    {
        var run = await CliProcess.PgrantAsync(Env(), Password + "\n", [.. Probe, .. await Target(major), "-W"]);
        Assert.Equal("Password for user sdc: \n", run.Err);
        Assert.Equal(0, run.Exit);
        Assert.StartsWith("yes", run.Out);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Dash_W_on_a_closed_stdin_is_one_line_and_exit_2_never_a_hang(int major)
    {
        var run = await CliProcess.PgrantAsync(Env(), [.. Probe, .. await Target(major), "-W"]);
        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Out);
        Assert.Equal("Password for user sdc: \npgrant: no password supplied: standard input is closed\n" +
                     "hint: type the password on a terminal, pipe it on standard input, or set PGPASSWORD or a password file line; -w never asks.\n", run.Err);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Without_dash_W_the_prompt_comes_only_when_the_server_wants_a_password(int major)
    {
        var target = await Target(major);
        var asked = await CliProcess.PgrantAsync(Env(), Password + "\n", [.. Probe, .. target]);
        Assert.Equal((0, "Password for user sdc: \n"), (asked.Exit, asked.Err));
        var never = await CliProcess.PgrantAsync(Env(), Password + "\n", [.. Probe, .. target, "-w"]);
        Assert.Equal(2, never.Exit);
        Assert.StartsWith("pgrant: the server at 127.0.0.1:", never.Err);
        Assert.Contains(" requires a password for user \"sdc\" but none was supplied\nhint: ", never.Err);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Pgservice_is_honoured_by_the_cli(int major)
    {
        var server = await fixture.ServerAsync(major);
        var file = Path.Combine(Root.FullName, "services.conf");
        await File.WriteAllTextAsync(file, $"[app]\nhost={server.Host}\nport={P(server.Port)}\nuser=sdc\ndbname=sdc\npassword={Password}\n");
        var run = await CliProcess.PgrantAsync(Env(new() { ["PGSERVICE"] = "app", ["PGSERVICEFILE"] = file }), [.. Probe]);
        Assert.Equal((0, ""), (run.Exit, run.Err));
        Assert.StartsWith("yes", run.Out);

        var missing = await CliProcess.PgrantAsync(Env(new() { ["PGSERVICE"] = "nope", ["PGSERVICEFILE"] = file }), [.. Probe]);
        Assert.Equal(2, missing.Exit);
        Assert.Equal($"pgrant: definition of service \"nope\" not found\nhint: pgrant looked for a [nope] section in {file} and " +
                     $"{Path.Combine(Root.FullName, "etc")}/pg_service.conf; set PGSERVICEFILE (or servicefile=) or PGSYSCONFDIR to use other files, " +
                     "or check the service name.\n", missing.Err);
    }

    [Fact]
    public async Task A_refused_variable_is_exit_2_with_one_line()
    {
        var run = await CliProcess.PgrantAsync(Env(new() { ["PGHOSTADDR"] = "10.0.0.1" }), [.. Probe, "-h", "127.0.0.1"]);
        Assert.Equal(2, run.Exit);
        Assert.Equal("pgrant: environment variable PGHOSTADDR is set, but pgrant does not support the connection option \"hostaddr\"\n" +
                     "hint: unset PGHOSTADDR: it changes which server is reached or how securely, so pgrant will not connect without honouring it.\n", run.Err);
    }

    [Fact]
    public async Task Every_host_unreachable_is_exit_2_with_one_line_naming_them()
    {
        var (a, b) = (ClosedPort(), ClosedPort());
        var run = await CliProcess.PgrantAsync(Env(new() { ["PGPASSWORD"] = "x" }),
            [.. Probe, "-d", $"postgres://sdc@127.0.0.1:{P(a)},127.0.0.1:{P(b)}/sdc"]);
        Assert.Equal(2, run.Exit);
        Assert.Equal($"pgrant: could not connect to any host: 127.0.0.1:{P(a)} (connection refused), 127.0.0.1:{P(b)} (connection refused)\n" +
                     "hint: is the server running on that host and accepting TCP/IP connections? check -h and -p (or PGHOST/PGPORT), and firewalls.\n", run.Err);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_closed_port_before_the_live_server_is_passed_over(int major)
    {
        var server = await fixture.ServerAsync(major);
        var run = await CliProcess.PgrantAsync(Env(new() { ["PGPASSWORD"] = Password }),
            [.. Probe, "-h", $"{server.Host},{server.Host}", "-p", $"{P(ClosedPort())},{P(server.Port)}", "-U", "sdc", "-d", "sdc"]);
        Assert.Equal((0, ""), (run.Exit, run.Err));
    }
}
