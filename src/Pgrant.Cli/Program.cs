using System.CommandLine;
using Pgrant.Cli;
using Pgrant.Cli.Commands;

var root = new RootCommand("pgrant — explains PostgreSQL \"permission denied\" errors and fixes access with least-privilege SQL.");
root.Options.Add(GlobalOptions.Verbose);
// -h is the host (as in psql), not help.
ConnectionArguments.FreeDashHForHost(root);
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

return await CliRunner.RunAsync(root, args);
