using System.CommandLine;
using System.CommandLine.Help;
using Pgrant.Cli;
using Pgrant.Postgres.Connections;

namespace Pgrant.IntegrationTests.Connections;

public sealed class ConnectionArgumentsTests
{
    /// <summary>A root set up like Program.cs, with one subcommand that takes connection options.</summary>
    private static (RootCommand Root, ConnectionArguments Connection) Cli()
    {
        var root = new RootCommand("test root");
        ConnectionArguments.FreeDashHForHost(root);
        var command = new Command("probe", "a command that connects");
        var connection = ConnectionArguments.AddTo(command);
        command.SetAction(_ => 0);
        root.Subcommands.Add(command);
        return (root, connection);
    }

    [Fact]
    public void Short_and_long_options_fill_the_request_like_psql()
    {
        var (root, connection) = Cli();
        var shortForm = root.Parse(["probe", "-h", "db.example.com", "-p", "6000", "-U", "bob", "-d", "shop"]);
        var longForm = root.Parse(["probe", "--host", "db.example.com", "--port", "6000", "--username", "bob", "--dbname", "shop"]);
        var expected = new ConnectionRequest { Host = "db.example.com", Port = "6000", User = "bob", Database = "shop" };
        Assert.Empty(shortForm.Errors);
        Assert.Equal(expected, connection.ToRequest(shortForm));
        Assert.Equal(expected, connection.ToRequest(longForm));
    }

    [Fact]
    public void Nothing_given_means_an_empty_request()
    {
        var (root, connection) = Cli();
        Assert.Equal(new ConnectionRequest(), connection.ToRequest(root.Parse(["probe"])));
    }

    [Fact]
    public void Dash_h_is_no_longer_a_help_alias_but_help_still_answers_to_help_and_question_mark()
    {
        var (root, _) = Cli();
        var help = Assert.Single(root.Options.OfType<HelpOption>());
        Assert.Equal("--help", help.Name);
        Assert.DoesNotContain("-h", help.Aliases);
        Assert.Contains("-?", help.Aliases);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-?")]
    public void Subcommand_help_lists_the_connection_options(string helpFlag)
    {
        var (root, _) = Cli();
        var output = new StringWriter();
        var exit = root.Parse(["probe", helpFlag]).Invoke(new InvocationConfiguration { Output = output });
        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.Contains("-h, --host <HOSTNAME>", text);
        Assert.Contains("-p, --port <PORT>", text);
        Assert.Contains("-U, --username <USERNAME>", text);
        Assert.Contains("-d, --dbname <DBNAME>", text);
        Assert.Contains("-W, --password ", text);
        Assert.Contains("-w, --no-password ", text);
        Assert.Contains("  -?, --help ", text);
        Assert.DoesNotContain("-h, --help", text);
    }

    [Fact]
    public void Dash_h_without_a_value_is_a_usage_error_not_help()
    {
        var (root, _) = Cli();
        Assert.Equal(["Required argument missing for option: '-h'."], root.Parse(["probe", "-h"]).Errors.Select(e => e.Message).ToArray());
    }

    [Fact]
    public void Resolve_applies_the_environment_and_writes_redacted_warnings()
    {
        var (root, connection) = Cli();
        var parse = root.Parse(["probe", "-U", "bob", "-d", "postgres://bob:hunter2@db:6000/shop"]);
        var environment = new StaticConnectionEnvironment(new Dictionary<string, string> { ["PGGSSDELEGATION"] = "1" }, osUserName: "alice");
        var warnings = new StringWriter();
        var options = connection.Resolve(parse, environment, warnings);
        Assert.Equal(("db", 6000, "bob", "shop", "hunter2"), (options.Host, options.Port, options.User, options.Database, options.Password));
        Assert.Equal("pgrant: warning: environment variable PGGSSDELEGATION is ignored: pgrant does not support the connection option \"gssdelegation\"" + Environment.NewLine,
            warnings.ToString());
    }

    [Theory]
    [InlineData(new string[0], PasswordPromptMode.Auto)]
    [InlineData(new[] { "-W" }, PasswordPromptMode.Always)]
    [InlineData(new[] { "--password" }, PasswordPromptMode.Always)]
    [InlineData(new[] { "-w" }, PasswordPromptMode.Never)]
    [InlineData(new[] { "--no-password" }, PasswordPromptMode.Never)]
    [InlineData(new[] { "-W", "-w" }, PasswordPromptMode.Never)]
    [InlineData(new[] { "-w", "-h", "x", "--password" }, PasswordPromptMode.Always)]
    public void Dash_W_and_dash_w_set_the_prompt_mode_and_the_last_one_wins_as_in_psql(string[] flags, PasswordPromptMode expected)
    {
        var (root, connection) = Cli();
        var parse = root.Parse(["probe", .. flags]);
        Assert.Empty(parse.Errors);
        Assert.Equal(expected, connection.ToRequest(parse).PasswordPrompt);
        Assert.Equal(expected, connection.Resolve(parse, new StaticConnectionEnvironment(osUserName: "alice"), new StringWriter()).PasswordPrompt);
    }

    [Fact]
    public void Dash_W_and_dash_w_do_not_clash_with_any_commands_options()
    {
        var root = new RootCommand("pgrant");
        ConnectionArguments.FreeDashHForHost(root);
        foreach (var command in Pgrant.Cli.Commands.CommandCatalog.All()) root.Subcommands.Add(command);
        foreach (var command in root.Subcommands.Where(c => c.Options.Any(o => o.Name == "--password")))
        {
            var aliases = command.Options.SelectMany(o => o.Aliases.Append(o.Name)).ToList();
            Assert.Equal(aliases.Count, aliases.Distinct(StringComparer.Ordinal).Count());
            Assert.DoesNotContain(root.Parse([command.Name, "-W", "-w"]).Errors, e => e.Message.Contains("-W") || e.Message.Contains("-w"));
        }
        Assert.Equal(["can", "check", "explain", "who-can"], root.Subcommands.Where(c => c.Options.Any(o => o.Name == "--password")).Select(c => c.Name).Order());
    }
}
