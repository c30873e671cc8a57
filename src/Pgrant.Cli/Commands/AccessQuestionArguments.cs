using System.CommandLine;
using Pgrant.Cli.Output;
using Pgrant.Core.Access;
using Pgrant.Core.Catalog;
using Pgrant.Postgres.Catalog;
using Pgrant.Postgres.Connections;

namespace Pgrant.Cli.Commands;

/// <summary>
/// What `who-can` and `can` share: PRIVILEGE OBJECT [--kind] [connection] [--format], and the one
/// road from them to an answerable question — a scoped snapshot (only the named object and what it
/// leads to; a whole catalog of 100,000 tables takes seconds) and the resolved target.
/// </summary>
internal sealed class AccessQuestionArguments
{
    internal const string ObjectHelp =
        "schema.name, \"Quoted\".\"Name\", table(column), function(argtype, …); for schema, database, language the bare name.";

    public Argument<string> Privilege { get; } = new("PRIVILEGE")
    {
        Description = "A privilege name (SELECT, USAGE…), its ACL letter (r, U…), or nextval / currval / setval.",
    };

    public Argument<string> Object { get; } = new("OBJECT") { Description = ObjectHelp };

    public Option<string?> Kind { get; } = new("--kind", "-k")
    {
        Description = "The object's kind when the name is ambiguous: table, view, sequence, column, schema, database, function, procedure, type, language…",
        HelpName = "KIND",
    };

    public Option<OutputFormat> Format { get; } = OutputOptions.CreateFormat();

    private ConnectionArguments _connection = null!;

    /// <summary>Adds PRIVILEGE and OBJECT (after any arguments already there), --kind, the connection options and --format.</summary>
    public static AccessQuestionArguments AddTo(Command command)
    {
        var a = new AccessQuestionArguments();
        command.Arguments.Add(a.Privilege);
        command.Arguments.Add(a.Object);
        command.Options.Add(a.Kind);
        a._connection = ConnectionArguments.AddTo(command);
        command.Options.Add(a.Format);
        return a;
    }

    public async Task<(CatalogSnapshot Snapshot, ObjectTarget Target, PrivilegeRequest Request)> ReadAsync(ParseResult parse, CancellationToken ct)
    {
        var objectText = parse.GetRequiredValue(Object);
        var scope = QuestionInput.Scope(objectText, parse.GetValue(Kind));
        await using var connected = await _connection.ConnectAsync(parse, ct);
        var snapshot = await CatalogReader.ReadAsync(connected.Connection, scope, ct);
        var (target, request) = QuestionInput.Read(snapshot, parse.GetRequiredValue(Privilege), objectText, parse.GetValue(Kind));
        return (snapshot, target, request);
    }

    public bool Json(ParseResult parse) => parse.GetValue(Format) == OutputFormat.Json;
}
