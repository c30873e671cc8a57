namespace Pgrant.Clusters;

/// <summary>
/// Stops a postmaster by signal, the way pg_ctl stop -m immediate does, without spawning any
/// process: fast enough for process-exit handlers, which hosts such as the test runner give
/// only moments. Also reaps clusters whose owning process died without cleaning up.
/// </summary>
internal static class ServerShutdown
{
    /// <summary>File in a cluster's temp folder naming the process that owns it (absent for kept clusters).</summary>
    public const string OwnerFile = "owner.pid";

    /// <summary>
    /// Immediate shutdown of the postmaster recorded in <paramref name="dataDirectory"/>; true when no
    /// server runs there any more. Signals only a pid that postmaster.pid still names, so a recycled
    /// pid of some unrelated process is never hit.
    /// </summary>
    public static bool StopImmediately(string dataDirectory, TimeSpan patience)
    {
        var pid = RecordedPostmaster(dataDirectory);
        if (pid <= 0 || !Posix.ProcessExists(pid)) return true;
        Posix.Quit(pid);
        if (WaitGone(pid, patience)) return true;
        Posix.KillHard(pid);
        return WaitGone(pid, TimeSpan.FromSeconds(2));
    }

    public static int RecordedPostmaster(string dataDirectory)
    {
        try
        {
            var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
            return File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) ? pid : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static bool WaitGone(int pid, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (Posix.ProcessExists(pid))
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(20);
        }
        return true;
    }

    /// <summary>
    /// Stops and deletes pgrant clusters under <paramref name="tempRoot"/> whose owning process is
    /// gone (killed by SIGKILL, or a test host terminated before its exit handlers finished).
    /// </summary>
    public static void ReapOrphans(string tempRoot, Action<string> log)
    {
        if (!Directory.Exists(tempRoot)) return;
        foreach (var folder in Directory.EnumerateDirectories(tempRoot, "pgrant-*"))
        {
            try
            {
                var ownerFile = Path.Combine(folder, OwnerFile);
                if (!File.Exists(ownerFile) || !int.TryParse(File.ReadAllText(ownerFile).Trim(), out var owner) || Posix.ProcessExists(owner))
                    continue;
                log($"removing the orphaned cluster {folder} (its process {owner} is gone)");
                StopImmediately(Path.Combine(folder, "data"), TimeSpan.FromSeconds(5));
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process may be reaping the same folder; whatever remains is retried next time.
            }
        }
    }
}
