using System.CommandLine;
using System.CommandLine.Help;
using Pgrant.Postgres;
using Pgrant.Postgres.Connections;

namespace Pgrant.Cli;

/// <summary>
/// psql's connection options (-h -p -U -d -W -w) for a command, and their resolution into
/// <see cref="ConnectionOptions"/> with a service file, the PG* environment, ~/.pgpass and libpq's defaults.
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

    public Option<bool> Password { get; } = new("--password", "-W")
    {
        Description = "ask for the password before connecting (as psql -W)",
    };

    public Option<bool> NoPassword { get; } = new("--no-password", "-w")
    {
        Description = "never ask for a password; fail if the server wants one that was not supplied (as psql -w)",
    };

    /// <summary>Creates the six options and adds them to <paramref name="command"/>.</summary>
    public static ConnectionArguments AddTo(Command command)
    {
        var arguments = new ConnectionArguments();
        command.Options.Add(arguments.Host);
        command.Options.Add(arguments.Port);
        command.Options.Add(arguments.Username);
        command.Options.Add(arguments.DbName);
        command.Options.Add(arguments.Password);
        command.Options.Add(arguments.NoPassword);
        return arguments;
    }

    /// <summary>What was given on the command line, nothing resolved yet.</summary>
    public ConnectionRequest ToRequest(ParseResult parse) => new()
    {
        Host = parse.GetValue(Host),
        Port = parse.GetValue(Port),
        User = parse.GetValue(Username),
        Database = parse.GetValue(DbName),
        PasswordPrompt = PromptMode(parse),
    };

    /// <summary>As in psql, the last of -W and -w wins; neither means Auto.</summary>
    private PasswordPromptMode PromptMode(ParseResult parse)
    {
        var mode = PasswordPromptMode.Auto;
        foreach (var token in parse.Tokens)
        {
            if (token.Type != System.CommandLine.Parsing.TokenType.Option) continue;
            if (Password.Name == token.Value || Password.Aliases.Contains(token.Value)) mode = PasswordPromptMode.Always;
            else if (NoPassword.Name == token.Value || NoPassword.Aliases.Contains(token.Value)) mode = PasswordPromptMode.Never;
        }
        return mode;
    }

    /// <summary>
    /// A session on the command line's server (resolved with the real environment) that asks for a
    /// password on the console as psql does; nothing is opened before its first operation.
    /// </summary>
    public PgrantSession Session(ParseResult parse) => PgrantSession.Create(Resolve(parse), ConsolePasswordPrompt.Instance);

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
