using System.CommandLine;

namespace Pgrant.Cli;

internal static class GlobalOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show details of unexpected errors (stack traces) and server notices.",
        Recursive = true,
    };
}
