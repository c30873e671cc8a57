using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Pgrant.Clusters;

/// <summary>What a finished child process left behind.</summary>
internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Both streams, for error messages (server tools write their complaints to either).</summary>
    public string Output => (StdOut + "\n" + StdErr).Trim();
}

/// <summary>
/// Runs the server tools (initdb, pg_ctl, postgres --version, npm…) with captured output, optionally
/// as another OS user. Arguments go through ArgumentList, never through a shell, so paths with
/// spaces or quotes cannot break a command line.
/// </summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        ServerOsUser? runAs = null,
        TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (runAs is null)
        {
            info.FileName = fileName;
        }
        else
        {
            // runuser keeps the environment and needs no password; it exists wherever util-linux does.
            info.FileName = runAs.Launcher;
            foreach (var prefix in runAs.LauncherArguments) info.ArgumentList.Add(prefix);
            info.ArgumentList.Add(fileName);
        }
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (key, value) in environment)
            {
                if (value is null) info.Environment.Remove(key);
                else info.Environment[key] = value;
            }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new ProcessResult(127, "", $"could not run {info.FileName}: {e.Message}");
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit) deadline.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (cancellationToken.IsCancellationRequested) throw;
            return new ProcessResult(124, "", $"{Path.GetFileName(fileName)} did not finish within {timeout!.Value.TotalSeconds:0} s");
        }
        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Synchronous variant for process-exit and signal handlers, where awaiting is not an option.</summary>
    public static int Run(string fileName, IEnumerable<string> arguments, ServerOsUser? runAs, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "/",
            FileName = runAs?.Launcher ?? fileName,
        };
        if (runAs is not null)
        {
            foreach (var prefix in runAs.LauncherArguments) info.ArgumentList.Add(prefix);
            info.ArgumentList.Add(fileName);
        }
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(info)!;
            // Drain the pipes so a chatty child cannot block on a full buffer.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(timeout))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                return 124;
            }
            return process.ExitCode;
        }
        catch (Win32Exception)
        {
            return 127;
        }
    }

    /// <summary>The last lines of a text, for error messages that quote a log.</summary>
    public static string Tail(string text, int lines)
    {
        var all = text.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        var builder = new StringBuilder();
        foreach (var line in all.Skip(Math.Max(0, all.Length - lines)))
            builder.Append("  ").AppendLine(line);
        return builder.ToString().TrimEnd();
    }
}
