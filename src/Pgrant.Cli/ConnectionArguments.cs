using System.CommandLine;
using System.CommandLine.Help;
using Pgrant.Postgres.Connections;

namespace Pgrant.Cli;

/// <summary>
/// psql's connection options (-h -p -U -d) for a command, and their resolution into
/// <see cref="ConnectionOptions"/> with the PG* environment, ~/.pgpass and libpq's defaults.
/// </summary>
internal sealed class ConnectionArguments
{
    public Option<string?> Host { get; } = new("--host", "-h")
    {
        Description = "database server host or socket directory (default: local socket, else localhost; env PGHOST)",
        HelpName = "HOSTNAME",
    };

    public Option<string?> Port { get; } = new("--port", "-p")
    {
        Description = "database server port (default: 5432; env PGPORT)",
        HelpName = "PORT",
    };

    public Option<string?> Username { get; } = new("--username", "-U")
    {
        Description = "database user name (default: your OS user name; env PGUSER)",
        HelpName = "USERNAME",
    };

    public Option<string?> DbName { get; } = new("--dbname", "-d")
    {
        Description = "database name, or a postgres://user@host:port/db URI or \"key=value ...\" connection string (default: the user name; env PGDATABASE)",
        HelpName = "DBNAME",
    };

    /// <summary>Creates the four options and adds them to <paramref name="command"/>.</summary>
    public static ConnectionArguments AddTo(Command command)
    {
        var arguments = new ConnectionArguments();
        command.Options.Add(arguments.Host);
        command.Options.Add(arguments.Port);
        command.Options.Add(arguments.Username);
        command.Options.Add(arguments.DbName);
        return arguments;
    }

    /// <summary>What was given on the command line, nothing resolved yet.</summary>
    public ConnectionRequest ToRequest(ParseResult parse) => new()
    {
        Host = parse.GetValue(Host),
        Port = parse.GetValue(Port),
        User = parse.GetValue(Username),
        Database = parse.GetValue(DbName),
    };

    /// <summary>
    /// Resolves the command line against the environment (the real one unless given) and writes
    /// libpq-style warnings (ignored password file, unsupported PG* variables) to <paramref name="warnings"/>
    /// (stderr unless given). Bad input throws a PgrantException (exit 2).
    /// </summary>
    public ConnectionOptions Resolve(ParseResult parse, IConnectionEnvironment? environment = null, TextWriter? warnings = null)
    {
        var resolution = ConnectionResolver.Resolve(ToRequest(parse), environment ?? SystemConnectionEnvironment.Instance);
        foreach (var warning in resolution.Warnings)
            (warnings ?? Console.Error).WriteLine($"pgrant: warning: {Redaction.Redact(warning)}");
        return resolution.Options;
    }

    /// <summary>
    /// System.CommandLine gives help the alias -h, which psql uses for the host. Help keeps --help,
    /// -? and /? so `pgrant COMMAND -h HOST` means what a psql user expects.
    /// </summary>
    public static void FreeDashHForHost(Command root)
    {
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            help.Aliases.Remove("-h");
            help.Aliases.Remove("/h");
        }
    }
}
