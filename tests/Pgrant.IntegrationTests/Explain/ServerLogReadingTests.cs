using System.Collections.Immutable;
using System.Globalization;
using Pgrant.Core.Diagnosis;

namespace Pgrant.IntegrationTests.Explain;

/// <summary>
/// The server's own log output, read back: a real server (logging_collector on) writes a permission
/// error raised inside a function to stderr under several log_line_prefix settings and both error
/// verbosities, to csvlog and (15+) to jsonlog. The parser must find the message, the name (with a
/// space and a non-ASCII letter in it), the CONTEXT lines, the multi-line STATEMENT, and the SQLSTATE
/// where the format carries it, all equal to what the server sent the client.
/// </summary>
[Collection(DedicatedClusters.Collection)]
public sealed class ServerLogReadingTests
{
    private const string Table = "geheim tabelle ü";

    /// <summary>log_line_prefix and log_error_verbosity, and whether the SQLSTATE is in the output.</summary>
    private static readonly (string Prefix, string Verbosity, bool HasState)[] Variants =
    [
        ("%m [%p] ", "default", false),
        ("%t [%p-%l] %q%u@%d ", "default", false),
        ("%m [%p] %e %a ", "default", true),
        ("", "default", false),
        ("< %m %r %c > ", "verbose", true),
    ];

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stderr_csvlog_and_jsonlog_give_message_state_context_and_statement(int major)
    {
        var logs = Directory.CreateTempSubdirectory("pgrant-serverlog-");
        try
        {
            // The server may run as another OS user: let it write here, and let us read what it writes.
            File.SetUnixFileMode(logs.FullName, (UnixFileMode)0x1FF);
            var destinations = major >= 15 ? "stderr,csvlog,jsonlog" : "stderr,csvlog";
            var options = ClusterPool.SharedOptions(major) with
            {
                Settings = ClusterPool.SharedOptions(major).Settings
                    .Add("logging_collector", "on")
                    .Add("log_destination", destinations)
                    .Add("log_directory", logs.FullName)
                    .Add("log_filename", "server.log")
                    .Add("log_file_mode", "0644")
                    .Add("log_rotation_size", "0")
                    .Add("lc_messages", "C"),
            };
            await using var cluster = await LocalCluster.StartAsync(options);
            var role = TestDatabase.UniqueName("reader");
            var password = "pw-" + role;
            await cluster.ExecuteAsync($"""
                CREATE ROLE {role} LOGIN PASSWORD '{password}';
                CREATE TABLE {SqlNames.Ident(Table)} (id int);
                CREATE FUNCTION peek() RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT count(*) FROM {SqlNames.Ident(Table)}); END $$;
                """);

            var first = (PostgresException?)null;
            var firstStatement = "";
            for (var v = 0; v < Variants.Length; v++)
            {
                var (prefix, verbosity, hasState) = Variants[v];
                await cluster.ExecuteAsync($"ALTER SYSTEM SET log_line_prefix = '{prefix}'; ALTER SYSTEM SET log_error_verbosity = '{verbosity}'; SELECT pg_reload_conf();");
                await Task.Delay(300); // the reload reaches the postmaster's children asynchronously
                var marker = $"marker_{v}_{major}";
                var statement = $"SELECT peek()\n    AS {marker}";
                var error = await FailsAsync(cluster, role, password, statement);
                if (first is null) (first, firstStatement) = (error, statement);

                var stderr = await WaitForAsync(Path.Combine(logs.FullName, "server.log"), marker);
                var excerpt = Excerpt(stderr, marker);
                var parsed = PermissionErrorParser.Parse(excerpt);
                AssertSame(error, parsed, statement, hasState, $"stderr with log_line_prefix '{prefix}', {verbosity}:\n{excerpt}");
                Assert.Equal("ERROR", parsed.Severity);
            }

            // csvlog and jsonlog, read whole: the first error in them is the first variant's.
            var csv = await WaitForAsync(Path.Combine(logs.FullName, "server.csv"), $"marker_0_{major}");
            AssertSame(first!, PermissionErrorParser.Parse(csv), firstStatement, hasState: true, "csvlog");
            if (major >= 15)
            {
                var json = await WaitForAsync(Path.Combine(logs.FullName, "server.json"), $"marker_0_{major}");
                AssertSame(first!, PermissionErrorParser.Parse(json), firstStatement, hasState: true, "jsonlog");
            }
        }
        finally
        {
            try { logs.Delete(recursive: true); }
            catch (UnauthorizedAccessException) { /* files the server's OS user created; the temp folder is cleaned by the OS */ }
        }
    }

    /// <summary>The parsed error agrees with what the server sent the client.</summary>
    private static void AssertSame(PostgresException server, PermissionError parsed, string statement, bool hasState, string what)
    {
        Assert.True(parsed.Kind == PermissionErrorKind.PermissionDenied, what);
        Assert.Equal(server.MessageText, parsed.Message);
        Assert.Equal("table", parsed.ObjectWord);
        Assert.Equal(Table, parsed.ObjectName);
        Assert.Equal(hasState ? server.SqlState : null, parsed.SqlState);
        Assert.Equal(server.Detail, parsed.Detail);
        Assert.Equal(server.Hint, parsed.Hint);
        ImmutableArray<string> context = [.. (server.Where ?? "").Split('\n').Where(l => l.Length > 0)];
        Assert.Equal(string.Join(" | ", context), string.Join(" | ", parsed.Context));
        Assert.Equal(statement, parsed.Statement);
    }

    private static async Task<PostgresException> FailsAsync(LocalCluster cluster, string role, string password, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres", role, password));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteScalarAsync());
    }

    /// <summary>From our ERROR line to the end of the log, as a person pastes a log's tail.</summary>
    private static string Excerpt(string log, string marker)
    {
        var lines = log.Split('\n');
        var at = Array.FindLastIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.True(at >= 0, $"no line holds {marker}");
        var start = at;
        while (start > 0 && !lines[start].Contains("ERROR:", StringComparison.Ordinal)) start--;
        return string.Join("\n", lines[start..]);
    }

    /// <summary>The log file once it holds <paramref name="marker"/> (the collector writes a moment later).</summary>
    private static async Task<string> WaitForAsync(string path, string marker)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (File.Exists(path))
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                var text = await reader.ReadToEndAsync();
                if (text.Contains(marker, StringComparison.Ordinal)) return text;
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{path} never held {marker}"));
    }
}
