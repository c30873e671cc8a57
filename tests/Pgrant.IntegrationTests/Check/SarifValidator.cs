using System.Diagnostics;

namespace Pgrant.IntegrationTests.Check;

/// <summary>
/// Microsoft's SARIF Multitool (npm @microsoft/sarif-multitool-linux) validates a log against the
/// SARIF 2.1.0 schema and its rules. Installed once into pgrant's cache folder, like the extra
/// PostgreSQL majors; PGRANT_SARIF_MULTITOOL points at an existing binary instead.
/// </summary>
internal static class SarifValidator
{
    private const string Package = "@microsoft/sarif-multitool-linux@5.7.0";
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<string> EnsureAsync()
    {
        var configured = Environment.GetEnvironmentVariable("PGRANT_SARIF_MULTITOOL");
        if (!string.IsNullOrEmpty(configured)) return configured;
        var home = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var folder = Path.Combine(home, "pgrant", "tools", "sarif-multitool");
        var tool = Path.Combine(folder, "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool");
        await Gate.WaitAsync();
        try
        {
            if (!File.Exists(tool))
            {
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, "package.json"), "{ \"name\": \"pgrant-test-tools\", \"private\": true }");
                var (code, text) = await RunAsync("npm", folder, "install", "--no-audit", "--no-fund", Package);
                Assert.True(code == 0, $"npm install {Package} failed: {text}");
            }
            // npm may hold back the package's postinstall (which only marks the binary executable).
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tool, File.GetUnixFileMode(tool) | UnixFileMode.UserExecute);
            return tool;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Validates the file; returns the validator's error lines (empty when valid).</summary>
    public static async Task<IReadOnlyList<string>> ValidateAsync(string sarifFile)
    {
        var tool = await EnsureAsync();
        var output = sarifFile + ".validation.sarif";
        var (code, text) = await RunAsync(tool, Path.GetDirectoryName(sarifFile)!, "validate", sarifFile, "-o", output, "--log", "ForceOverwrite");
        Assert.True(code == 0, $"the SARIF validator did not run: {text}");
        return [.. text.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal) || l.Contains(": warning ", StringComparison.Ordinal))];
    }

    private static async Task<(int, string)> RunAsync(string file, string directory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
