using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Pgrant.IntegrationTests.Connections;

/// <summary>
/// A throwaway PostgreSQL server for the connection tests only: initdb into a temp folder, TCP on
/// 127.0.0.1 with scram-sha-256, a private socket folder with trust (for setup), stopped and deleted
/// on dispose. Runs the server as OS user postgres when the tests run as root. Kept self-contained so
/// it can be swapped for the shared LocalCluster fixture later.
/// Ports: PGRANT_TEST_PORTS ("5520-5529") when set, else one the OS reports free.
/// Binaries: PGRANT_PG_BIN, else /usr/lib/postgresql/15/bin, else PATH.
/// </summary>
public sealed class ScramTestServer(IReadOnlyList<string>? hbaLinesFirst = null) : IAsyncLifetime
{
    public const string SuperUser = "postgres";
    public const string SuperPassword = "super-Secret-1";

    private string root = "";
    private string binDirectory = "";
    private bool asPostgresUser;

    public string Host => "127.0.0.1";
    public int Port { get; private set; }
    public string SocketDirectory => Path.Combine(root, "sock");
    private string DataDirectory => Path.Combine(root, "data");

    public async Task InitializeAsync()
    {
        binDirectory = FindBinaries();
        asPostgresUser = Environment.UserName == "root";
        root = Directory.CreateTempSubdirectory("pgrant-conn-").FullName;
        Directory.CreateDirectory(SocketDirectory);
        var pwFile = Path.Combine(root, "pw");
        await File.WriteAllTextAsync(pwFile, SuperPassword + "\n");
        if (asPostgresUser) await RunAsync("chown", ["-R", "postgres:", root], asPostgres: false);

        await RunAsync(Path.Combine(binDirectory, "initdb"),
            ["-D", DataDirectory, "-U", SuperUser, $"--pwfile={pwFile}", "--auth-host=scram-sha-256", "--auth-local=trust",
             "--encoding=UTF8", "--locale=C"], asPostgres: asPostgresUser);
        File.Delete(pwFile);
        if (hbaLinesFirst is { Count: > 0 })
        {
            // Lines are matched top-down, so these win over initdb's defaults.
            var hba = Path.Combine(DataDirectory, "pg_hba.conf");
            await File.WriteAllTextAsync(hba, string.Join('\n', hbaLinesFirst) + "\n" + await File.ReadAllTextAsync(hba));
        }

        Exception? last = null;
        foreach (var port in CandidatePorts())
        {
            try
            {
                await RunAsync(Path.Combine(binDirectory, "pg_ctl"),
                    ["-D", DataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start", "-o",
                     $"-p {port} -k {SocketDirectory} -c listen_addresses=127.0.0.1 -c password_encryption=scram-sha-256"],
                    asPostgres: asPostgresUser);
                Port = port;
                return;
            }
            catch (InvalidOperationException e)
            {
                last = e;
            }
        }
        throw new InvalidOperationException("could not start the test server on any candidate port", last);
    }

    public async Task DisposeAsync()
    {
        if (Port != 0)
            await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"],
                asPostgres: asPostgresUser);
        if (root.Length > 0 && Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    /// <summary>Runs setup SQL as the superuser over the trusted private socket.</summary>
    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = SocketDirectory, Port = Port, Username = SuperUser, Database = database, Pooling = false,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A loopback port nothing listens on (for "connection refused").</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static IEnumerable<int> CandidatePorts()
    {
        var range = Environment.GetEnvironmentVariable("PGRANT_TEST_PORTS");
        if (range is { Length: > 0 } && range.Split('-') is [var from, var to])
        {
            for (var port = int.Parse(from, CultureInfo.InvariantCulture); port <= int.Parse(to, CultureInfo.InvariantCulture); port++)
                if (IsFree(port)) yield return port;
            yield break;
        }
        for (var attempt = 0; attempt < 5; attempt++) yield return ClosedPort();
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("PGRANT_PG_BIN") is { Length: > 0 } configured) return configured;
        const string debian = "/usr/lib/postgresql/15/bin";
        if (File.Exists(Path.Combine(debian, "pg_ctl"))) return debian;
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            if (directory.Length > 0 && File.Exists(Path.Combine(directory, "pg_ctl"))) return directory;
        throw new InvalidOperationException("PostgreSQL server binaries (pg_ctl, initdb) not found; set PGRANT_PG_BIN");
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (asPostgres) foreach (var a in (string[])["-u", "postgres", "--", program]) start.ArgumentList.Add(a);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        // pg_ctl leaves the server holding stdout open; read both streams without waiting for EOF after exit.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error}{await output}");
    }
}
