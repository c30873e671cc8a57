using System.CommandLine;
using Npgsql;
using Pgrant.Cli.Commands;

namespace Pgrant.IntegrationTests.WhoCan;

/// <summary>Runs `pgrant who-can` / `pgrant can` in-process through the real command tree.</summary>
internal static class AccessCli
{
    public static async Task<(int Exit, string Output)> RunAsync(string connectionString, params string[] args)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var conninfo = $"host={b.Host} port={b.Port} user={b.Username} password={b.Password} dbname={b.Database}";
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        var parse = root.Parse([.. args, "-d", conninfo]);
        Assert.Empty(parse.Errors);
        var output = new StringWriter();
        var exit = await parse.InvokeAsync(new InvocationConfiguration { Output = output, EnableDefaultExceptionHandler = false });
        return (exit, output.ToString().Replace("\r\n", "\n"));
    }
}
