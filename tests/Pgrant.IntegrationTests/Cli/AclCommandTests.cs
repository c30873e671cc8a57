using Pgrant.Cli;
using System.CommandLine;
using System.Text.Json;
using Pgrant.Cli.Commands;
using Pgrant.Cli.Output;
using Spectre.Console;

namespace Pgrant.IntegrationTests.Cli;

/// <summary>`pgrant acl` run in-process, through the real command tree where possible.</summary>
public sealed class AclCommandTests
{
    private static async Task<string> RunAsync(params string[] args)
    {
        var (exit, output) = await InProcessCli.RunAsync(args);
        Assert.Equal(ExitCodes.Ok, exit);
        return output;
    }

    private static string RunWithStdin(string stdin, string format = "text", string? on = null)
    {
        var output = new StringWriter();
        var request = new AclRequest("-", on, 18, format == "json" ? OutputFormat.Json : OutputFormat.Text);
        Assert.Equal(ExitCodes.Ok, AclCommand.Execute(request, new StringReader(stdin), output, ConsoleFactory.Create(output, false, null)));
        return output.ToString();
    }

    [Fact]
    public async Task JsonShapeForOneItem()
    {
        var json = await RunAsync("acl", "sdc=ar*/Stephen", "--format", "json");
        Assert.Equal("""
            [
              {
                "grantee": "sdc",
                "grantor": "Stephen",
                "privileges": [
                  {
                    "privilege": "INSERT",
                    "letter": "a",
                    "grantable": false
                  },
                  {
                    "privilege": "SELECT",
                    "letter": "r",
                    "grantable": true
                  }
                ]
              }
            ]

            """.Replace("\r\n", "\n"), json.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task JsonForAnArrayWithPublicAndQuotedNames()
    {
        using var doc = JsonDocument.Parse(await RunAsync("acl", "{=Tc/Stephen,\"\\\"weird name\\\"=c/Stephen\"}", "--on", "database", "--format", "json"));
        var entries = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal("PUBLIC", entries[0].GetProperty("grantee").GetString());
        Assert.Equal("weird name", entries[1].GetProperty("grantee").GetString());
        Assert.False(entries[0].TryGetProperty("object", out _));
        Assert.False(entries[0].TryGetProperty("kind", out _));
    }

    [Fact]
    public void JsonFromPastedSeedPrivilegesCarriesObjectAndKind()
    {
        var seed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "seed-dp.txt"));
        using var doc = JsonDocument.Parse(RunWithStdin(seed, "json"));
        var entries = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, entries.Length);
        Assert.All(entries, e => Assert.Equal("public.descriptions", e.GetProperty("object").GetString()));
        Assert.All(entries, e => Assert.Equal("table", e.GetProperty("kind").GetString()));
        Assert.Equal("sdc", entries[1].GetProperty("grantee").GetString());
        Assert.Equal("Stephen", entries[1].GetProperty("grantor").GetString());
        Assert.Equal((string?[])["INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"],
            entries[1].GetProperty("privileges").EnumerateArray().Select(p => p.GetProperty("privilege").GetString()));
    }

    [Fact]
    public async Task TextExplainsWhoWhatAndGrantor()
    {
        var text = await RunAsync("acl", "sdc=U/Stephen", "--on", "sequence");
        Assert.Equal(
            "  sdc=U/Stephen  →  sdc granted by Stephen\n"
            + "    U  USAGE        call nextval() and currval() (what a serial column's default needs)\n",
            text.Replace("\r\n", "\n"));
        Assert.DoesNotContain("\u001b[", text);
    }

    [Fact]
    public void TextForPastedDatabasesExplainsBlankCells()
    {
        var seed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "seed-l.txt"));
        var text = RunWithStdin(seed);
        Assert.Contains("postgres (database) owner Stephen\n  Blank cell: psql prints both a NULL ACL", text.Replace("\r\n", "\n"));
        Assert.Contains("  =Tc/Stephen  →  PUBLIC (every role) granted by Stephen", text);
    }

    [Fact]
    public async Task MalformedInputIsOneLineWithColumnAndExitTwo()
    {
        var e = await Assert.ThrowsAsync<PgrantException>(() => RunAsync("acl", "sdc=arq/Stephen"));
        Assert.Equal(ExitCodes.UsageOrConnection, ExitCodes.For(e));
        Assert.Equal("malformed ACL at column 7: expected a privilege letter (arwdDxtXUCTcsAm), '*' or '/' (found 'q')", e.Message);
    }

    [Fact]
    public async Task IllegalLetterForKindExitsTwo()
    {
        var e = await Assert.ThrowsAsync<PgrantException>(() => RunAsync("acl", "sdc=aU/Stephen", "--on", "sequence"));
        Assert.Equal(ExitCodes.UsageOrConnection, ExitCodes.For(e));
        Assert.Equal("sdc=aU/Stephen: INSERT ('a') is not a privilege of sequences (they take SELECT 'r', UPDATE 'w', USAGE 'U').", e.Message);
        var m = await Assert.ThrowsAsync<PgrantException>(() => RunAsync("acl", "sdc=m/Stephen", "--on", "table", "--server-version", "16"));
        Assert.Equal("sdc=m/Stephen: MAINTAIN ('m') exists only from PostgreSQL 17; this is 16.", m.Message);
    }

    [Fact]
    public async Task UnknownKindIsAUsageError()
    {
        var e = await Assert.ThrowsAsync<PgrantException>(() => RunAsync("acl", "sdc=r/x", "--on", "widget"));
        Assert.Equal("unknown object kind 'widget' for --on.", e.Message);
        Assert.Equal(ExitCodes.UsageOrConnection, ExitCodes.For(e));
    }

    [Fact]
    public void ColoursOnlyOnATerminalWithoutNoColor()
    {
        static string Render(bool tty, string? noColor)
        {
            var w = new StringWriter();
            ConsoleFactory.Create(w, tty, noColor).MarkupLine("[red]x[/]");
            return w.ToString();
        }
        Assert.Contains("\u001b[", Render(true, null));
        Assert.DoesNotContain("\u001b[", Render(true, "1"));
        Assert.DoesNotContain("\u001b[", Render(false, null));
    }
}
