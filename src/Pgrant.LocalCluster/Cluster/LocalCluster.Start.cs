using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Npgsql;
using Pgrant.Core;

namespace Pgrant.Clusters;

// Startup: binaries → OS user → temp folders → initdb → settings → pg_ctl start → first connection.
// Any failure on the way disposes what was made so far, so nothing is left behind.
public sealed partial class LocalCluster
{
    // Unix socket paths are limited to 107 bytes; leave room for "/.s.PGSQL.65535.lock".
    private const int MaxSocketDirectoryLength = 80;
    private const int PortAttempts = 5;

    /// <summary>Creates and starts a throwaway cluster; a few seconds once the binaries are present.</summary>
    public static async Task<LocalCluster> StartAsync(LocalClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (OperatingSystem.IsWindows())
            throw new PgrantException("throwaway PostgreSQL clusters need Linux or macOS", "connect to an existing server instead.");
        options ??= new LocalClusterOptions();
        var log = options.Log ?? (static _ => { });
        var clock = Stopwatch.StartNew();
        var binaries = options.BinDirectory is not null
            ? await PgBinaries.FromDirectoryAsync(options.BinDirectory, cancellationToken).ConfigureAwait(false)
            : options.Major is { } major
                ? await PgBinaries.EnsureVersionAsync(major, log, cancellationToken).ConfigureAwait(false)
                : await PgBinaries.FindAsync(cancellationToken).ConfigureAwait(false);
        log($"using {binaries}");
        var osUser = await ServerOsUser.ResolveAsync(options.OsUser, log, cancellationToken).ConfigureAwait(false);
        if (osUser is not null)
        {
            log($"running as root: the server runs as OS user '{osUser.Name}'");
            await osUser.EnsureCanExecuteAsync(binaries.Postgres, log, cancellationToken).ConfigureAwait(false);
        }

        var tempRoot = options.TempRoot ?? Path.GetTempPath();
        ServerShutdown.ReapOrphans(tempRoot, log);
        var root = CreatePrivateFolder(tempRoot, "pgrant-");
        // Names the owning process, so a later start can reap this cluster should we die without cleanup.
        if (!options.Keep) File.WriteAllText(Path.Combine(root, ServerShutdown.OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var socket = Path.Combine(root, "sock");
        var ownSocketFolder = socket.Length > MaxSocketDirectoryLength;
        if (ownSocketFolder) socket = CreatePrivateFolder("/tmp", "pgrant-sock-");
        else Directory.CreateDirectory(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var cluster = new LocalCluster(binaries, options, osUser, root, socket, RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 32));
        if (ownSocketFolder) cluster._ownedFolders.Add(socket);
        ClusterRegistry.Add(cluster);
        try
        {
            if (osUser is not null) { osUser.Own(root); osUser.Own(socket); }
            await cluster.InitDbAsync(cancellationToken).ConfigureAwait(false);
            cluster.WriteSettings(options);
            cluster.WriteHbaLines(options.HbaLines);
            await cluster.StartServerAsync(options.Port, options.StartTimeout, cancellationToken).ConfigureAwait(false);
            await cluster.WaitUntilReadyAsync(options.StartTimeout, cancellationToken).ConfigureAwait(false);
            // A kept cluster is meant to outlive this process: exit handlers must not stop it.
            if (options.Keep) ClusterRegistry.Remove(cluster);
            log($"PostgreSQL {cluster.ServerVersion} ready on {cluster.Host}:{cluster.Port} in {clock.Elapsed.TotalSeconds:0.0} s");
            return cluster;
        }
        catch
        {
            cluster.AbandonAfterFailedStart();
            throw;
        }
    }

    private void AbandonAfterFailedStart()
    {
        // Keep only applies to a cluster that came up; a failed start always cleans up.
        Interlocked.Exchange(ref _disposed, 1);
        ClusterRegistry.Remove(this);
        Stop();
        foreach (var folder in _ownedFolders.Append(RootDirectory).Distinct())
            DeleteFolder(folder);
    }

    [UnsupportedOSPlatform("windows")]
    private static string CreatePrivateFolder(string parent, string prefix)
    {
        Directory.CreateDirectory(parent);
        var path = Path.Combine(Path.GetFullPath(parent), prefix + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 10));
        // 0700 from the start: the password file and the socket live here before ownership changes.
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [UnsupportedOSPlatform("windows")]
    private async Task InitDbAsync(CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(RootDirectory, "superuser.pw");
        await File.WriteAllTextAsync(passwordFile, SuperPassword + "\n", cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        _osUser?.Own(passwordFile);
        try
        {
            _log($"initdb {DataDirectory}");
            var result = await ProcessRunner.RunAsync(Binaries.Initdb,
                ["-D", DataDirectory, "-U", SuperUser, $"--pwfile={passwordFile}", "--auth-local=trust", "--auth-host=scram-sha-256",
                 "-E", "UTF8", "--locale=C", "--no-sync"],
                cancellationToken, workingDirectory: RootDirectory, runAs: _osUser,
                environment: new Dictionary<string, string?> { ["LC_ALL"] = "C", ["PGDATA"] = null, ["TZ"] = "UTC" },
                timeout: TimeSpan.FromMinutes(2)).ConfigureAwait(false);
            if (!result.Succeeded)
                throw new PgrantException($"initdb ({Binaries.Version}) failed with exit code {result.ExitCode}:\n{ProcessRunner.Tail(result.Output, 12)}",
                    $"check the PostgreSQL installation in {BinDirectory}, or set {PgBinaries.BinDirectoryVariable} to another one.");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private void WriteSettings(LocalClusterOptions options)
    {
        var settings = new List<KeyValuePair<string, string>>
        {
            new("listen_addresses", "127.0.0.1"),
            new("unix_socket_directories", SocketDirectory),
            // Throwaway data: durability buys nothing and costs seconds.
            new("fsync", "off"),
            new("synchronous_commit", "off"),
            new("full_page_writes", "off"),
            new("shared_buffers", "32MB"),
            // Keep dynamic shared memory in the data folder, so nothing is left in /dev/shm after an immediate stop.
            new("dynamic_shared_memory_type", "mmap"),
            new("timezone", "UTC"),
        };
        settings.AddRange(options.Settings.OrderBy(setting => setting.Key, StringComparer.Ordinal));
        var text = new StringBuilder("\n# added by pgrant LocalCluster\n");
        foreach (var (name, value) in settings)
        {
            if (!SettingName().IsMatch(name)) throw new ArgumentException($"not a configuration parameter name: {name}", nameof(options));
            text.Append(name).Append(" = '").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
        }
        File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), text.ToString());
    }

    private void WriteHbaLines(ImmutableArray<string> lines)
    {
        if (lines.IsDefaultOrEmpty) return;
        // A line break inside one entry would smuggle in another rule; each entry must be one line.
        if (lines.FirstOrDefault(line => line.AsSpan().IndexOfAny('\n', '\r') >= 0) is { } bad)
            throw new ArgumentException($"a pg_hba.conf entry must be one line: {bad}", nameof(lines));
        var hba = Path.Combine(DataDirectory, "pg_hba.conf");
        File.WriteAllText(hba, "# added by pgrant LocalCluster (first match wins)\n" + string.Join('\n', lines) + "\n\n" + File.ReadAllText(hba));
    }

    private async Task StartServerAsync(int? fixedPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            Port = fixedPort ?? FreePort();
            _log($"starting PostgreSQL {Binaries.Version} on {Host}:{Port}");
            // The port goes through pg_ctl's shell-parsed -o; it is digits only. Everything else is in postgresql.conf.
            var result = await ProcessRunner.RunAsync(Binaries.PgCtl,
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", ((int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
                 "-o", $"-p {Port.ToString(CultureInfo.InvariantCulture)}"],
                cancellationToken, workingDirectory: RootDirectory, runAs: _osUser,
                environment: new Dictionary<string, string?> { ["PGDATA"] = null, ["PGPORT"] = null },
                timeout: timeout + TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            ServerProcessId = ServerShutdown.RecordedPostmaster(DataDirectory);
            if (result.Succeeded) return;
            var serverLog = ReadLog();
            // Another process may grab the port between our probe and the server's bind: try another.
            if (fixedPort is null && attempt < PortAttempts && serverLog.Contains("could not bind", StringComparison.Ordinal))
            {
                Stop();
                File.Delete(LogFile);
                continue;
            }
            throw StartFailure($"pg_ctl start failed (exit {result.ExitCode})", serverLog.Length > 0 ? serverLog : result.Output);
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT current_setting('server_version'), current_setting('server_version_num')::int", connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                ServerVersion = reader.GetString(0).Split(' ')[0];
                Major = reader.GetInt32(1) / 10000;
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow > deadline)
                    throw StartFailure($"PostgreSQL did not accept connections within {timeout.TotalSeconds:0} s ({e.Message})", ReadLog());
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private PgrantException StartFailure(string what, string log) => new(
        $"PostgreSQL {Binaries.Version} failed to start: {what}; the server log ends with:\n{ProcessRunner.Tail(log, 15)}",
        $"the settings or installation above are the likely cause; the server was run from {BinDirectory}.");

    private string ReadLog()
    {
        try { return File.Exists(LogFile) ? File.ReadAllText(LogFile) : ""; }
        catch (IOException) { return ""; }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.]*$")]
    private static partial Regex SettingName();
}
