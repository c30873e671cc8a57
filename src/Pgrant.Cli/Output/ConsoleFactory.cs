using Spectre.Console;

namespace Pgrant.Cli.Output;

/// <summary>
/// Makes the Spectre console a command renders to. Colours only when writing to a terminal and
/// NO_COLOR (https://no-color.org) is unset or empty; never interactive, so piped output is plain.
/// </summary>
internal static class ConsoleFactory
{
    public static IAnsiConsole Create(TextWriter writer)
    {
        var isTerminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        return Create(writer, isTerminal, Environment.GetEnvironmentVariable("NO_COLOR"));
    }

    public static IAnsiConsole Create(TextWriter writer, bool isTerminal, string? noColor)
    {
        var color = isTerminal && string.IsNullOrEmpty(noColor);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = color ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // Spectre wraps at 80 columns when it cannot measure a terminal; pipes and files get whole lines.
        if (!isTerminal) console.Profile.Width = 4096;
        return console;
    }
}
