using System.CommandLine;
using Pgrant.Cli.Output;
using Pgrant.Cli.Rendering;
using Pgrant.Core;

namespace Pgrant.Cli.Commands;

/// <summary>`pgrant who-can PRIVILEGE OBJECT [--kind K] [connection] [--format]`: every role holding it, and how.</summary>
internal static class WhoCanCommand
{
    public static Command Create()
    {
        var command = new Command("who-can", "List every role that holds a privilege on an object, how (direct, PUBLIC, owner, superuser, predefined role, membership path) and whether it can reach the object.");
        var question = AccessQuestionArguments.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            await using var session = question.Session(parse);
            var answer = await session.WhoCanAsync(question.PrivilegeText(parse), question.ObjectText(parse), question.KindText(parse), ct);
            if (question.Json(parse)) JsonOutput.Write(output, AccessRenderer.Json(answer));
            else AccessRenderer.Text(ConsoleFactory.Create(output), answer);
            return ExitCodes.Ok;
        });
        return command;
    }
}
