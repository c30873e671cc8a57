using System.Diagnostics;

namespace Pgrant.IntegrationTests.Infrastructure;

/// <summary>
/// The built pgrant CLI (or another built program) as a user runs it: a child process with stdin redirected (no terminal), no
/// PG* variables unless given (and PGPASSFILE pointing nowhere), NO_COLOR set. Stdin gets
/// <c>input</c> and is then closed, so a read past it sees end of input.
/// </summary>
internal static class CliProcess
{
    public sealed record Run(int Exit, string Out, string Err);

    public static Task<Run> PgrantAsync(IReadOnlyDictionary<string, string>? env, params string[] args) =>
        PgrantAsync(env, input: null, args);

    public static Task<Run> PgrantAsync(IReadOnlyDictionary<string, string>? env, string? input, params string[] args) =>
        DllAsync(Path.Combine(AppContext.BaseDirectory, "pgrant.dll"), env, input, args);

    /// <summary>Any built .NET program (its dll) run the same way: a sample an application developer would run.</summary>
    public static async Task<Run> DllAsync(string dll, IReadOnlyDictionary<string, string>? env, string? input, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(key);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["PGPASSFILE"] = "/nonexistent";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var p = Process.Start(start)!;
        if (input is not null) await p.StandardInput.WriteAsync(input);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return new Run(p.ExitCode, (await stdout).Replace("\r\n", "\n"), (await stderr).Replace("\r\n", "\n"));
    }
}
