using System.CommandLine;
using Pgrant.Cli.Output;
using Pgrant.Cli.Rendering;

namespace Pgrant.Cli.Commands;

/// <summary>
/// `pgrant can ROLE PRIVILEGE OBJECT [--kind K] [connection] [--format]`: yes (exit 0) when the role
/// holds the privilege and reaches the object (schema USAGE, CONNECT); else no (exit 1) with what is missing.
/// </summary>
internal static class CanCommand
{
    private static readonly Argument<string> Role = new("ROLE") { Description = "The role to ask about (case-sensitive, as in pg_roles)." };

    public static Command Create()
    {
        var command = new Command("can", "Say whether a role may use a privilege on an object (exit 0 yes, 1 no), with the path that grants it or exactly what is missing.");
        command.Arguments.Add(Role);
        var question = AccessQuestionArguments.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            await using var session = question.Session(parse);
            var answer = await session.CanAsync(parse.GetRequiredValue(Role), question.PrivilegeText(parse), question.ObjectText(parse), question.KindText(parse), ct);
            if (question.Json(parse)) JsonOutput.Write(output, AccessRenderer.Json(answer));
            else AccessRenderer.Text(ConsoleFactory.Create(output), answer);
            return answer.Yes ? ExitCodes.Ok : ExitCodes.Findings;
        });
        return command;
    }
}
