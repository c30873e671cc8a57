using System.Diagnostics;
using Pgrant.Clusters;

namespace Pgrant.Demo;

/// <summary>
/// Runs the psql client for a meta-command such as \l or \dp, to show what a person would see.
/// Prefers the cluster's own psql, then the one on PATH; the password travels in PGPASSWORD, never
/// on the command line.
/// </summary>
public static class Psql
{
    public static string? Find(LocalCluster cluster)
    {
        var own = Path.Combine(cluster.BinDirectory, "psql");
        if (File.Exists(own)) return own;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "psql");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Output of `psql -c command`, or null when no psql client is installed.</summary>
    public static async Task<string?> RunAsync(LocalCluster cluster, string database, string user, string password, string command, CancellationToken ct = default)
    {
        var psql = Find(cluster);
        if (psql is null) return null;
        var start = new ProcessStartInfo(psql)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-X", "-h", cluster.Host, "-p", cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", user, "-d", database, "-c", command])
            start.ArgumentList.Add(arg);
        start.Environment["PGPASSWORD"] = password;
        start.Environment["PGCLIENTENCODING"] = "UTF8";
        start.Environment["COLUMNS"] = "200";
        start.Environment.Remove("PSQLRC");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0 ? output : null;
    }
}
