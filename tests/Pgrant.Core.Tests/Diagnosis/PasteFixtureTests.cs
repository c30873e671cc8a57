using System.Collections.Immutable;
using Pgrant.Core.Diagnosis;
using Xunit.Abstractions;

namespace Pgrant.Core.Tests.Diagnosis;

/// <summary>
/// Real pastes from public issue threads (Diagnosis/Pastes/&lt;ecosystem&gt;/&lt;nn&gt;-&lt;slug&gt;.txt, each with its
/// source): the reader must find the server's message in each and read its kind, object word, object name
/// exactly, and every field the paste carries (SQLSTATE, DETAIL, HINT, CONTEXT, STATEMENT) and no other;
/// the look-alikes that are not privilege errors must be declined.
/// </summary>
public sealed class PasteFixtureTests(ITestOutputHelper output)
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Diagnosis", "Pastes");

    /// <summary>One fixture: its header (expectations) and the paste itself.</summary>
    public sealed record Paste(string Ecosystem, string File, string Source, bool None, IReadOnlyDictionary<string, string> Expect, ImmutableArray<string> Context, string Text)
    {
        public static Paste Load(string path)
        {
            var lines = System.IO.File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            var expect = new Dictionary<string, string>(StringComparer.Ordinal);
            var context = ImmutableArray.CreateBuilder<string>();
            var at = 0;
            for (; at < lines.Length && lines[at] != "---"; at++)
            {
                var line = lines[at];
                Assert.StartsWith("# ", line);
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                var key = line[2..colon];
                var value = line[(colon + 1)..].Trim();
                if (key == "context") context.Add(value);
                else expect[key] = value;
            }
            Assert.True(at < lines.Length, $"{path}: no '---' line ends the header");
            var text = string.Join('\n', lines[(at + 1)..]);
            var ecosystem = Path.GetFileName(Path.GetDirectoryName(path)!);
            return new Paste(ecosystem, Path.GetFileName(path), expect["source"], expect.GetValueOrDefault("expect") == "none", expect, context.ToImmutable(), text);
        }

        public override string ToString() => $"{Ecosystem}/{File}";
    }

    public static IEnumerable<Paste> All() =>
        Directory.EnumerateFiles(Root, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(Paste.Load);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Root, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Root, file).Replace('\\', '/'));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Reads_the_paste(string file)
    {
        var paste = Paste.Load(Path.Combine(Root, file));
        Assert.StartsWith("https://", paste.Source);
        var e = PermissionErrorParser.TryParse(paste.Text);
        if (paste.None)
        {
            Assert.True(e is null, $"{file}: expected no permission error, read {e}");
            return;
        }
        Assert.NotNull(e);
        var x = paste.Expect;
        Assert.Equal(Enum.Parse<PermissionErrorKind>(x["kind"]), e.Kind);
        Assert.Equal(NullIfEmpty(x["word"]), e.ObjectWord);
        Assert.Equal(x["object"], e.ObjectName);
        // Every field the paste carries is read, and none it does not carry is made up.
        Assert.Equal(x.GetValueOrDefault("sqlstate"), e.SqlState);
        Assert.Equal(x.GetValueOrDefault("detail"), e.Detail);
        Assert.Equal(x.GetValueOrDefault("hint"), e.Hint);
        Assert.Equal(string.Join(" | ", paste.Context), string.Join(" | ", e.Context));
        Assert.Equal(x.GetValueOrDefault("statement")?.Replace("\\n", "\n", StringComparison.Ordinal), e.Statement);
        // The message as read holds the name and nothing the paste appended after it.
        if (e.ObjectName.Length > 0) Assert.EndsWith(e.ObjectName, e.Message.TrimEnd('"'));
    }

    [Fact]
    public void The_set_is_large_and_wide_enough()
    {
        var all = All().ToList();
        var pastes = all.Where(p => !p.None).ToList();
        var byEcosystem = pastes.GroupBy(p => p.Ecosystem).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        foreach (var g in byEcosystem) output.WriteLine($"{g.Key,-16} {g.Count(),3}");
        output.WriteLine($"{"look-alikes",-16} {all.Count(p => p.None),3}");
        output.WriteLine($"{"total",-16} {pastes.Count,3} pastes from {byEcosystem.Count} ecosystems");
        Assert.True(pastes.Count >= 80, $"{pastes.Count} pastes");
        Assert.True(byEcosystem.Count >= 18, $"{byEcosystem.Count} ecosystems");
        Assert.True(all.Count(p => p.None) >= 10, "look-alikes");
        // Each source is recorded once per paste file; no file without its source.
        Assert.All(all, p => Assert.StartsWith("https://", p.Source));
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
