using System.CommandLine;
using Pgrant.Cli.Output;
using Pgrant.Cli.Rendering;
using Pgrant.Core;
using Pgrant.Core.Access;
using Pgrant.Postgres.Catalog;
using Pgrant.Postgres.Connections;

namespace Pgrant.Cli.Commands;

/// <summary>`pgrant who-can PRIVILEGE OBJECT [--kind K] [connection] [--format]`: every role holding it, and how.</summary>
internal static class WhoCanCommand
{
    internal static readonly string ObjectHelp =
        "schema.name, \"Quoted\".\"Name\", table(column), function(argtype, …); for schema, database, language the bare name.";

    private static readonly Argument<string> Privilege = new("PRIVILEGE")
    {
        Description = "A privilege name (SELECT, USAGE…), its ACL letter (r, U…), or nextval / currval / setval.",
    };

    private static readonly Argument<string> Object = new("OBJECT") { Description = ObjectHelp };

    private static readonly Option<string?> Kind = new("--kind", "-k")
    {
        Description = "The object's kind when the name is ambiguous: table, view, sequence, column, schema, database, function, procedure, type, language…",
        HelpName = "KIND",
    };

    private static readonly Option<OutputFormat> Format = OutputOptions.CreateFormat();

    public static Command Create()
    {
        var command = new Command("who-can", "List every role that holds a privilege on an object, how (direct, PUBLIC, owner, superuser, predefined role, membership path) and whether it can reach the object.");
        command.Arguments.Add(Privilege);
        command.Arguments.Add(Object);
        command.Options.Add(Kind);
        var connection = ConnectionArguments.AddTo(command);
        command.Options.Add(Format);
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var options = connection.Resolve(parse);
            // Only the named object (and what it leads to) is read: a whole catalog of 100,000 tables takes seconds.
            var scope = QuestionInput.Scope(parse.GetRequiredValue(Object), parse.GetValue(Kind));
            await using var conn = await PgConnector.OpenAsync(options, ct);
            var snapshot = await CatalogReader.ReadAsync(conn, scope, ct);
            var (target, request) = QuestionInput.Read(snapshot, parse.GetRequiredValue(Privilege), parse.GetRequiredValue(Object), parse.GetValue(Kind));
            var answer = new AccessQuestions(new AccessEvaluator(snapshot)).WhoCan(target, request);
            if (parse.GetValue(Format) == OutputFormat.Json) JsonOutput.Write(output, AccessRenderer.Json(answer));
            else AccessRenderer.Text(ConsoleFactory.Create(output), answer);
            return ExitCodes.Ok;
        });
        return command;
    }
}
