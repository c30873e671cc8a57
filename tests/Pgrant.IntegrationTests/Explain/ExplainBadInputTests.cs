using System.Diagnostics;
using System.Text;

namespace Pgrant.IntegrationTests.Explain;

/// <summary>
/// `pgrant explain` on input that holds no permission error it can read (the built CLI as a child
/// process, offline): one line on stderr and a hint, exit 2 (bad input, as the README's table says),
/// nothing on stdout, and never the input or a name echoed unbounded.
/// </summary>
public sealed class ExplainBadInputTests
{
    private static Task<CliProcess.Run> PgrantAsync(params string[] args) => CliProcess.PgrantAsync(null, args);

    /// <summary>What any refusal must look like: exit 2, no output, "pgrant: …" and "hint: …", short.</summary>
    private static void AssertRefused(CliProcess.Run run, string expectedStart)
    {
        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Out);
        var lines = run.Err.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 2, run.Err);
        Assert.StartsWith("pgrant: " + expectedStart, lines[0]);
        Assert.StartsWith("hint: ", lines[1]);
        Assert.True(run.Err.Length < 400, $"stderr is {run.Err.Length} characters: {run.Err}");
    }

    [Fact]
    public async Task Empty_input_is_refused()
    {
        AssertRefused(await PgrantAsync("explain", ""), "the message is empty");
        AssertRefused(await CliProcess.PgrantAsync(null, input: "", "explain", "-"), "the message is empty");
        AssertRefused(await CliProcess.PgrantAsync(null, input: " \n\t\n", "explain", "-"), "the message is empty");
    }

    [Fact]
    public async Task Binary_input_is_refused_without_echoing_it()
    {
        var bytes = new byte[4096];
        new Random(9).NextBytes(bytes);
        bytes[10] = 0;
        var binary = Encoding.Latin1.GetString(bytes);
        var run = await CliProcess.PgrantAsync(null, input: binary, "explain", "-");
        AssertRefused(run, "the message is not text");
    }

    [Fact]
    public async Task A_megabyte_without_an_error_is_refused_quickly()
    {
        var paste = Megabyte(withError: false);
        var clock = Stopwatch.StartNew();
        var run = await CliProcess.PgrantAsync(null, input: paste, "explain", "-");
        clock.Stop();
        AssertRefused(run, "no PostgreSQL permission error found");
        // Process start included; reading itself is measured in the Core tests.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_megabyte_with_an_error_inside_is_read()
    {
        var run = await CliProcess.PgrantAsync(null, input: Megabyte(withError: true), "explain", "-");
        Assert.Equal(0, run.Exit);
        Assert.Equal("", run.Err);
        Assert.StartsWith("permission denied for table orders_archive\n", run.Out);
        Assert.Contains("object   orders_archive\n", run.Out);
    }

    [Theory]
    [InlineData("ERROR:  permission denied for table ")]
    [InlineData("ERROR:  must be owner of schema ")]
    public async Task A_bare_name_longer_than_63_bytes_is_refused_and_not_echoed_whole(string message)
    {
        var name = new string('x', 30) + new string('y', 200);
        var run = await PgrantAsync("explain", message + name);
        AssertRefused(run, "the name in the message is longer than the 63 bytes PostgreSQL prints");
        Assert.DoesNotContain(new string('y', 20), run.Err);
    }

    [Fact]
    public async Task A_quoted_name_longer_than_63_bytes_is_refused()
    {
        var name = string.Concat(Enumerable.Repeat("ü", 40)); // 80 bytes in UTF-8, 40 characters
        var run = await PgrantAsync("explain", $"ERROR:  permission denied to set role \"{name}\"");
        AssertRefused(run, "the name in the message is longer than the 63 bytes PostgreSQL prints");
    }

    [Fact]
    public async Task A_name_of_exactly_63_bytes_is_read()
    {
        var name = string.Concat(Enumerable.Repeat("ü", 31)) + "x"; // 63 bytes
        var run = await PgrantAsync("explain", $"ERROR:  permission denied for table {name}");
        Assert.True(run.Exit == 0, run.Err);
        Assert.Contains($"object   {name}\n", run.Out);
    }

    [Fact]
    public async Task A_message_in_a_language_pgrant_does_not_read_is_refused_with_a_hint()
    {
        // Finnish: PostgreSQL ships no backend translation for it, so no catalog can read it.
        var run = await PgrantAsync("explain", "VIRHE:  oikeus evätty tauluun tilaukset");
        AssertRefused(run, "no PostgreSQL permission error found; the server message seems to be in a language pgrant does not read (\"VIRHE:\")");
        Assert.Contains("lc_messages", run.Err);
    }

    [Fact]
    public async Task A_paste_given_as_an_extra_argument_is_not_echoed_whole()
    {
        var run = await PgrantAsync("explain", "permission denied for table t", Megabyte(withError: false)[..50_000]);
        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Out);
        Assert.StartsWith("pgrant: ", run.Err);
        Assert.True(run.Err.Length < 1000, $"stderr is {run.Err.Length} characters");
    }

    [Fact]
    public void The_readme_lists_every_exit_code_the_cli_returns_and_no_other()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Pgrant.slnx"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("no Pgrant.slnx above the tests");
        var lines = File.ReadAllLines(Path.Combine(root, "README.md"));
        var start = Array.IndexOf(lines, "## Exit codes");
        Assert.True(start >= 0, "no \"## Exit codes\" heading");
        var documented = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#'))
            .Where(l => l.StartsWith('|') && !l.StartsWith("|---", StringComparison.Ordinal) && !l.StartsWith("| code", StringComparison.Ordinal))
            .Select(l => int.Parse(l.Trim('|').Split('|')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .Order().ToList();
        var returned = typeof(Pgrant.Cli.ExitCodes).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!).Order().ToList();
        Assert.Equal(returned, documented);
    }

    /// <summary>About 1 MB of a server log (statements logged by duration), with or without one permission error in the middle.</summary>
    internal static string Megabyte(bool withError)
    {
        var b = new StringBuilder();
        var i = 0;
        while (b.Length < 1_000_000)
        {
            b.Append("2024-05-01 10:00:00.123 UTC [4711] app@shop LOG:  duration: 0.0").Append(i % 97)
             .Append(" ms  statement: SELECT id, name, price FROM products WHERE id = ").Append(i).Append('\n');
            if (withError && i == 6000)
                b.Append("2024-05-01 10:00:01.001 UTC [4711] app@shop ERROR:  permission denied for table orders_archive\n")
                 .Append("2024-05-01 10:00:01.001 UTC [4711] app@shop STATEMENT:  SELECT * FROM orders_archive\n");
            i++;
        }
        return b.ToString();
    }
}
