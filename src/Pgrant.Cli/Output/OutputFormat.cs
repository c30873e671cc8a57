using System.CommandLine;

namespace Pgrant.Cli.Output;

/// <summary>How a command prints its result: for people (text) or for programs (json).</summary>
internal enum OutputFormat
{
    Text,
    Json,
}

/// <summary>The shared --format option; every command that has a JSON contract adds its own instance.</summary>
internal static class OutputOptions
{
    public static Option<OutputFormat> CreateFormat() => new("--format", "-f")
    {
        Description = "Output format: text (for people) or json (stable keys, for scripts).",
        DefaultValueFactory = _ => OutputFormat.Text,
    };
}
