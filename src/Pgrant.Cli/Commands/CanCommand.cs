using System.CommandLine;
using Pgrant.Cli.Output;
using Pgrant.Cli.Rendering;
using Pgrant.Core;
using Pgrant.Core.Access;
using Pgrant.Postgres.Catalog;
using Pgrant.Postgres.Connections;

namespace Pgrant.Cli.Commands;

/// <summary>
/// `pgrant can ROLE PRIVILEGE OBJECT [--kind K] [connection] [--format]`: yes (exit 0) when the role
/// holds the privilege and reaches the object (schema USAGE, CONNECT); else no (exit 1) with what is missing.
/// </summary>
internal static class CanCommand
{
    private static readonly Argument<string> Role = new("ROLE") { Description = "The role to ask about (case-sensitive, as in pg_roles)." };

    private static readonly Argument<string> Privilege = new("PRIVILEGE")
    {
        Description = "A privilege name (SELECT, USAGE…), its ACL letter (r, U…), or nextval / currval / setval.",
    };

    private static readonly Argument<string> Object = new("OBJECT") { Description = WhoCanCommand.ObjectHelp };

    private static readonly Option<string?> Kind = new("--kind", "-k")
    {
        Description = "The object's kind when the name is ambiguous: table, view, sequence, column, schema, database, function, procedure, type, language…",
        HelpName = "KIND",
    };

    private static readonly Option<OutputFormat> Format = OutputOptions.CreateFormat();

    public static Command Create()
    {
        var command = new Command("can", "Say whether a role may use a privilege on an object (exit 0 yes, 1 no), with the path that grants it or exactly what is missing.");
        command.Arguments.Add(Role);
        command.Arguments.Add(Privilege);
        command.Arguments.Add(Object);
        command.Options.Add(Kind);
        var connection = ConnectionArguments.AddTo(command);
        command.Options.Add(Format);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = connection.Resolve(parse);
            var scope = QuestionInput.Scope(parse.GetRequiredValue(Object), parse.GetValue(Kind));
            await using var conn = await PgConnector.OpenAsync(options, ct);
            var snapshot = await CatalogReader.ReadAsync(conn, scope, ct);
            var roleName = parse.GetRequiredValue(Role);
            var role = roleName.Equals("public", StringComparison.OrdinalIgnoreCase) && snapshot.RoleByName(roleName) is null
                ? 0u
                : snapshot.RoleByName(roleName)?.Oid ?? throw new PgrantException($"role \"{roleName}\" does not exist in this cluster",
                    "role names are case-sensitive; list them with \\du in psql");
            var (target, request) = QuestionInput.Read(snapshot, parse.GetRequiredValue(Privilege), parse.GetRequiredValue(Object), parse.GetValue(Kind));
            var answer = new AccessQuestions(new AccessEvaluator(snapshot)).Can(role, target, request);
            if (parse.GetValue(Format) == OutputFormat.Json) JsonOutput.Write(output, AccessRenderer.Json(answer));
            else AccessRenderer.Text(ConsoleFactory.Create(output), answer);
            return answer.Yes ? ExitCodes.Ok : ExitCodes.Findings;
        });
        return command;
    }
}
