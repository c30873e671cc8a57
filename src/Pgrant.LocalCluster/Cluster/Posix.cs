using System.Runtime.InteropServices;

namespace Pgrant.Clusters;

/// <summary>The few libc calls .NET does not wrap: who we are and changing a file's owner.</summary>
internal static class Posix
{
    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown(string path, uint owner, uint group);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>True when running as root, where PostgreSQL refuses to start and must run as another user.</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()
        ? GetEffectiveUserId() == 0
        : false;

    public static void ChangeOwner(string path, uint uid, uint gid)
    {
        if (Chown(path, uid, gid) != 0)
            throw new IOException($"chown {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Whether a process with this id still runs. A zombie counts as gone: in containers whose init
    /// does not reap, a stopped postmaster can linger as one without holding any resource.
    /// </summary>
    public static bool ProcessExists(int pid)
    {
        if (pid <= 0) return false;
        var stat = $"/proc/{pid}/stat";
        if (Directory.Exists("/proc/self"))
        {
            try
            {
                var text = File.ReadAllText(stat);
                // Format: pid (comm) state …; comm may contain spaces and parentheses, so look after the last ')'.
                var state = text[(text.LastIndexOf(')') + 2)..].FirstOrDefault();
                return state is not ('Z' or 'X');
            }
            catch (IOException) { return false; }
        }
        return Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1 /* EPERM: exists, not ours */;
    }

    /// <summary>SIGKILL, the last resort when a server ignores SIGQUIT.</summary>
    public static void KillHard(int pid)
    {
        // The result is not needed: a process that is already gone is what the caller wants.
        if (pid > 0) _ = Kill(pid, 9);
    }

    /// <summary>SIGQUIT, which a postmaster treats as "immediate shutdown" (what pg_ctl stop -m immediate sends).</summary>
    public static void Quit(int pid)
    {
        if (pid > 0) _ = Kill(pid, 3);
    }
}
