using System.CommandLine;
using Pgrant.Cli.Output;
using Pgrant.Postgres;

namespace Pgrant.Cli.Commands;

/// <summary>
/// What `who-can` and `can` share: PRIVILEGE OBJECT [--kind] [connection] [--format], read into the
/// session's question (a scoped snapshot of the named object and what it leads to).
/// </summary>
internal sealed class AccessQuestionArguments
{
    internal const string ObjectHelp =
        "schema.name, \"Quoted\".\"Name\", table(column) or schema.table.column (system columns too), function(argtype, …), type[] for an array type, \"large object OID\"; for schema, database, language the bare name.";

    public Argument<string> Privilege { get; } = new("PRIVILEGE")
    {
        Description = "A privilege name (SELECT, USAGE…), its ACL letter (r, U…), or nextval / currval / setval.",
    };

    public Argument<string> Object { get; } = new("OBJECT") { Description = ObjectHelp };

    public Option<string?> Kind { get; } = new("--kind", "-k")
    {
        Description = "The object's kind when the name is ambiguous: table, view, sequence, column, schema, database, function, procedure, type, language, large object…",
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

    /// <summary>A session on the resolved connection options.</summary>
    public PgrantSession Session(ParseResult parse) => _connection.Session(parse);

    public string PrivilegeText(ParseResult parse) => parse.GetRequiredValue(Privilege);

    public string ObjectText(ParseResult parse) => parse.GetRequiredValue(Object);

    public string? KindText(ParseResult parse) => parse.GetValue(Kind);

    public bool Json(ParseResult parse) => parse.GetValue(Format) == OutputFormat.Json;
}
