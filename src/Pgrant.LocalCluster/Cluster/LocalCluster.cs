using Pgrant.Core.Sql;
using Npgsql;
using Pgrant.Core.Planning;

namespace Pgrant.Clusters;

/// <summary>
/// A throwaway PostgreSQL server: a fresh initdb in a private temp folder, listening on a free
/// 127.0.0.1 port and a private socket folder, with a random superuser password kept only in
/// memory. Disposing stops it (immediate mode) and deletes every folder it made; so do Ctrl+C,
/// SIGTERM and process exit, unless <see cref="LocalClusterOptions.Keep"/> is set.
/// </summary>
public sealed partial class LocalCluster : IAsyncDisposable, IDisposable
{
    private readonly Action<string> _log;
    private readonly ServerOsUser? _osUser;
    private readonly List<string> _ownedFolders = [];
    private int _disposed;

    private LocalCluster(PgBinaries binaries, LocalClusterOptions options, ServerOsUser? osUser, string rootDirectory, string socketDirectory, string password)
    {
        Binaries = binaries;
        Keep = options.Keep;
        SuperUser = options.SuperUser;
        SuperPassword = password;
        RootDirectory = rootDirectory;
        SocketDirectory = socketDirectory;
        DataDirectory = Path.Combine(rootDirectory, "data");
        LogFile = Path.Combine(rootDirectory, "server.log");
        Major = binaries.Major;
        ServerVersion = binaries.Version;
        _osUser = osUser;
        _log = options.Log ?? (static _ => { });
    }

    /// <summary>Always the IPv4 loopback: the server listens nowhere else.</summary>
#pragma warning disable CA1822 // an instance property: callers read where this cluster listens, which a static would hide
    public string Host => "127.0.0.1";
#pragma warning restore CA1822

    /// <summary>TCP port on <see cref="Host"/>.</summary>
    public int Port { get; private set; }

    /// <summary>Private folder holding the server's Unix socket (for psql -h).</summary>
    public string SocketDirectory { get; }

    /// <summary>The cluster's data folder (PGDATA), inside <see cref="RootDirectory"/>.</summary>
    public string DataDirectory { get; }

    /// <summary>The temp folder holding data, socket (usually) and server log; deleted on dispose.</summary>
    public string RootDirectory { get; }

    /// <summary>The server log (pg_ctl -l).</summary>
    public string LogFile { get; }

    /// <summary>Bootstrap superuser name (initdb -U).</summary>
    public string SuperUser { get; }

    /// <summary>The superuser's random password; lives only in this object.</summary>
    public string SuperPassword { get; }

    /// <summary>Major version of the running server, e.g. 18.</summary>
    public int Major { get; private set; }

    /// <summary>server_version as the running server reports it, e.g. "18.4".</summary>
    public string ServerVersion { get; private set; }

    /// <summary>The installation the server runs from.</summary>
    public PgBinaries Binaries { get; }

    /// <summary>Folder of initdb/pg_ctl/postgres (and psql, when the install has one; see <see cref="PgBinaries.Psql"/>).</summary>
    public string BinDirectory => Binaries.BinDirectory;

    /// <summary>Process id of the postmaster.</summary>
    public int ServerProcessId { get; private set; }

    /// <summary>Whether dispose leaves the server running.</summary>
    public bool Keep { get; }

    /// <summary>OS user the server runs as; null when it runs as the current user.</summary>
    public string? ServerOsUserName => _osUser?.Name;

    /// <summary>
    /// An Npgsql connection string for TCP on 127.0.0.1. With <paramref name="user"/> null it logs in
    /// as the superuser with its password; otherwise as that user with <paramref name="password"/>.
    /// </summary>
    public string ConnectionString(string database = "postgres", string? user = null, string? password = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = database,
            Username = user ?? SuperUser,
            Password = user is null ? SuperPassword : password,
            Timeout = 15,
        };
        return builder.ConnectionString;
    }

    /// <summary>The psql command a person runs to connect by hand over the socket (local connections trust; no password).</summary>
    public string PsqlCommand(string database = "postgres", string? user = null) =>
        $"psql -h {SocketDirectory} -p {Port} -U {user ?? SuperUser} {database}";

    /// <summary>CREATE DATABASE as the superuser (names are quoted, never concatenated raw).</summary>
    public async Task CreateDatabaseAsync(string name, string? owner = null, CancellationToken cancellationToken = default)
    {
        var sql = "CREATE DATABASE " + SqlNames.Ident(name) + (owner is null ? "" : " OWNER " + SqlNames.Ident(owner));
        await ExecuteAsync(sql, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>DROP DATABASE IF EXISTS … WITH (FORCE): ends sessions still connected to it.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DROP DATABASE IF EXISTS " + SqlNames.Ident(name) + " WITH (FORCE)", cancellationToken: cancellationToken);

    /// <summary>Runs SQL (one or more statements, no results) as the superuser in a database.</summary>
    public async Task ExecuteAsync(string sql, string database = "postgres", CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override string ToString() => $"PostgreSQL {ServerVersion} on {Host}:{Port} ({DataDirectory})";

    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    /// <summary>Stops the server (immediate mode) and deletes its folders; with Keep, only forgets it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        ClusterRegistry.Remove(this);
        if (Keep && ServerProcessId > 0)
        {
            _log($"leaving {this} running; stop it with: pg_ctl stop -D {DataDirectory}");
            return;
        }
        Stop();
        foreach (var folder in _ownedFolders.Append(RootDirectory).Distinct())
            DeleteFolder(folder);
    }

    private void Stop()
    {
        ServerProcessId = ServerProcessId > 0 ? ServerProcessId : ServerShutdown.RecordedPostmaster(DataDirectory);
        if (ServerShutdown.StopImmediately(DataDirectory, TimeSpan.FromSeconds(10))) return;
        // The signal did not work (another owner, odd platform): let pg_ctl try as the server's user.
        ProcessRunner.Run(Binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "15"], _osUser, TimeSpan.FromSeconds(20), RootDirectory);
    }

    private static void DeleteFolder(string folder)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A backend still exiting may create or remove files while we delete.
                Thread.Sleep(100);
            }
        }
    }
}
