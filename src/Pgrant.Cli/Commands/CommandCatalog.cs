using System.CommandLine;

namespace Pgrant.Cli.Commands;

/// <summary>Every subcommand, in the order `pgrant --help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return ExplainCommand.Create();
        yield return CheckCommand.Create();
        yield return WhoCanCommand.Create();
        yield return CanCommand.Create();
        yield return AclCommand.Create();
        yield return DemoCommand.Create();
    }
}
