using System.CommandLine;
using Pgrant.Cli.Commands;

namespace Pgrant.IntegrationTests.Infrastructure;

/// <summary>
/// Runs pgrant commands in-process through the real command tree (the same CommandCatalog the
/// executable uses), capturing what they print. Exceptions propagate, so a test sees a
/// PgrantException itself rather than its one-line rendering.
/// </summary>
internal static class InProcessCli
{
    public static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        var output = new StringWriter();
        var exit = await parse.InvokeAsync(new InvocationConfiguration { Output = output, EnableDefaultExceptionHandler = false });
        return (exit, output.ToString().Replace("\r\n", "\n"));
    }

    /// <summary>Runs the command against a server: the connection string becomes a conninfo `-d` argument.</summary>
    public static Task<(int Exit, string Output)> RunAgainstAsync(string connectionString, params string[] args)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return RunAsync([.. args, "-d", $"host={b.Host} port={b.Port} user={b.Username} password={b.Password} dbname={b.Database}"]);
    }
}
