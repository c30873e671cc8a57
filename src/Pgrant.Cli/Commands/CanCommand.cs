using System.CommandLine;
using Pgrant.Cli.Output;
using Pgrant.Cli.Rendering;
using Pgrant.Core;
using Pgrant.Core.Access;

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
            var (snapshot, target, request) = await question.ReadAsync(parse, ct);
            var roleName = parse.GetRequiredValue(Role);
            var role = roleName.Equals("public", StringComparison.OrdinalIgnoreCase) && snapshot.RoleByName(roleName) is null
                ? 0u
                : snapshot.RoleByName(roleName)?.Oid ?? throw new PgrantException($"role \"{roleName}\" does not exist in this cluster",
                    "role names are case-sensitive; list them with \\du in psql");
            var answer = new AccessQuestions(new AccessEvaluator(snapshot)).Can(role, target, request);
            if (question.Json(parse)) JsonOutput.Write(output, AccessRenderer.Json(answer));
            else AccessRenderer.Text(ConsoleFactory.Create(output), answer);
            return answer.Yes ? ExitCodes.Ok : ExitCodes.Findings;
        });
        return command;
    }
}
