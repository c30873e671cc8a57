namespace Pgrant.IntegrationTests.Explain;

/// <summary>Excerpts of a throwaway cluster's own server log (pg_ctl -l), as a person would paste them.</summary>
internal static class ServerLog
{
    /// <summary>
    /// The ERROR line and everything the same backend logged up to and including the STATEMENT line
    /// whose text contains <paramref name="marker"/>. The server writes one message (ERROR, DETAIL,
    /// STATEMENT) in one write, so the lines are contiguous even with other tests logging.
    /// </summary>
    public static async Task<string> ExcerptAsync(LocalCluster cluster, string marker)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var lines = await ReadSharedAsync(cluster.LogFile);
            var at = Array.FindLastIndex(lines, l => l.Contains("STATEMENT:", StringComparison.Ordinal) && l.Contains(marker, StringComparison.Ordinal));
            if (at >= 0)
            {
                var start = at;
                while (start > 0 && !lines[start].Contains("ERROR:", StringComparison.Ordinal)) start--;
                return string.Join("\n", lines[start..(at + 1)]);
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"no STATEMENT line with {marker} in {cluster.LogFile}");
    }

    private static async Task<string[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync()).Split('\n');
    }
}
