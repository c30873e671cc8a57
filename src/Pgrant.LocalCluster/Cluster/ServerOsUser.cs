using Pgrant.Core;

namespace Pgrant.Clusters;

/// <summary>
/// The unprivileged OS account a throwaway server runs as when pgrant itself runs as root
/// (PostgreSQL refuses to start as root). Commands are launched through runuser, or setpriv
/// where runuser is missing.
/// </summary>
internal sealed record ServerOsUser(string Name, uint Uid, uint Gid, string Launcher, IReadOnlyList<string> LauncherArguments)
{
    /// <summary>Account created when neither the preferred one nor `postgres` exists.</summary>
    public const string CreatedName = "pgrant";

    private static readonly SemaphoreSlim CreateGate = new(1, 1);

    /// <summary>Null when not root: then everything runs as the current user.</summary>
    public static async Task<ServerOsUser?> ResolveAsync(string? preferred, Action<string> log, CancellationToken cancellationToken)
    {
        if (!Posix.IsRoot) return null;
        var candidates = preferred is not null ? [preferred] : new[] { "postgres", CreatedName };
        foreach (var name in candidates)
            if (await LookupAsync(name, cancellationToken).ConfigureAwait(false) is { } found)
                return found;
        if (preferred is not null)
            throw new PgrantException($"the OS user '{preferred}' to run the server as does not exist",
                $"create it (`useradd --system {preferred}`) or leave the option unset to use 'postgres'.");

        await CreateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await LookupAsync(CreatedName, cancellationToken).ConfigureAwait(false) is { } raced) return raced;
            log($"running as root: creating system user '{CreatedName}' to run PostgreSQL");
            // A parallel process may win the race; "already exists" is then as good as success.
            await ProcessRunner.RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", CreatedName], cancellationToken).ConfigureAwait(false);
            if (await LookupAsync(CreatedName, cancellationToken).ConfigureAwait(false) is { } created) return created;
        }
        finally
        {
            CreateGate.Release();
        }
        log("running as root: could not create a user, running PostgreSQL as 'nobody'");
        return await LookupAsync("nobody", cancellationToken).ConfigureAwait(false)
            ?? throw new PgrantException("PostgreSQL cannot run as root and no unprivileged OS user is available",
                "create one with `useradd --system postgres`, or run pgrant as a normal user.");
    }

    private static async Task<ServerOsUser?> LookupAsync(string name, CancellationToken cancellationToken)
    {
        var uid = await ProcessRunner.RunAsync("id", ["-u", name], cancellationToken).ConfigureAwait(false);
        var gid = await ProcessRunner.RunAsync("id", ["-g", name], cancellationToken).ConfigureAwait(false);
        if (!uid.Succeeded || !gid.Succeeded) return null;
        var (launcher, arguments) = FindLauncher(name, uint.Parse(uid.StdOut.Trim()), uint.Parse(gid.StdOut.Trim()));
        return new ServerOsUser(name, uint.Parse(uid.StdOut.Trim()), uint.Parse(gid.StdOut.Trim()), launcher, arguments);
    }

    private static (string, IReadOnlyList<string>) FindLauncher(string name, uint uid, uint gid)
    {
        if (PgBinaries.FindOnPath("runuser") is { } runuser) return (runuser, ["-u", name, "--"]);
        if (PgBinaries.FindOnPath("setpriv") is { } setpriv)
            return (setpriv, [$"--reuid={uid}", $"--regid={gid}", "--init-groups", "--"]);
        throw new PgrantException("running as root, but neither runuser nor setpriv is available to start PostgreSQL as another user",
            "install util-linux (`apt-get install util-linux`), or run pgrant as a normal user.");
    }

    /// <summary>Hands a folder or file pgrant created over to the server user.</summary>
    public void Own(string path) => Posix.ChangeOwner(path, Uid, Gid);

    /// <summary>
    /// Makes sure this user can reach and run <paramref name="executable"/>. Binaries cached under
    /// /root are behind a 0700 folder; only the search bit (o+x) is added to such ancestors, so
    /// nothing becomes listable or readable that was not before.
    /// </summary>
    public async Task EnsureCanExecuteAsync(string executable, Action<string> log, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows() || await CanExecuteAsync(executable, cancellationToken).ConfigureAwait(false)) return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(executable));
        while (!string.IsNullOrEmpty(directory))
        {
            var mode = File.GetUnixFileMode(directory);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                log($"allowing OS user '{Name}' to traverse {directory} (chmod o+x)");
                File.SetUnixFileMode(directory, mode | UnixFileMode.OtherExecute);
            }
            directory = Path.GetDirectoryName(directory);
        }
        if (!await CanExecuteAsync(executable, cancellationToken).ConfigureAwait(false))
            throw new PgrantException($"the OS user '{Name}' cannot run {executable}",
                $"make the PostgreSQL binaries readable by '{Name}' (e.g. `chmod -R o+rX {Path.GetDirectoryName(executable)}`) or set PGRANT_PG_BIN to another install.");
    }

    private async Task<bool> CanExecuteAsync(string executable, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync("test", ["-x", executable], cancellationToken, workingDirectory: "/", runAs: this).ConfigureAwait(false);
        return result.Succeeded;
    }
}
