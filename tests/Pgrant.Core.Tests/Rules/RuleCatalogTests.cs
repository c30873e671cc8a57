using System.Text.RegularExpressions;

namespace Pgrant.Core.Tests.Rules;

/// <summary>
/// The catalog of rules as data and as documentation: stable, unique IDs and names in order, and every
/// rule described in its docs page, in the docs index and in the README's rules table (and nothing else there).
/// </summary>
public sealed partial class RuleCatalogTests
{
    private static readonly IReadOnlyList<RuleDescriptor> Rules = [.. RuleCatalog.All.Select(r => r.Descriptor)];

    public static TheoryData<string> RuleIds => [.. Rules.Select(r => r.Id)];

    private static RuleDescriptor Descriptor(string id) => Rules.Single(r => r.Id == id);

    [Fact]
    public void Ids_are_unique_pgr_numbers_in_ascending_order()
    {
        Assert.NotEmpty(Rules);
        Assert.All(Rules, r => Assert.Matches(IdPattern(), r.Id));
        Assert.Equal(Rules.Count, Rules.Select(r => r.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var numbers = Rules.Select(r => int.Parse(r.Id[3..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(numbers.Order().ToList(), numbers);
    }

    [Fact]
    public void Names_are_unique_kebab_case_and_never_look_like_an_id()
    {
        Assert.All(Rules, r => Assert.Matches(KebabCase(), r.Name));
        Assert.Equal(Rules.Count, Rules.Select(r => r.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        // --rules takes IDs and names alike: no name may be another rule's ID.
        Assert.DoesNotContain(Rules, r => Rules.Any(o => string.Equals(o.Id, r.Name, StringComparison.OrdinalIgnoreCase)));
    }

    [Theory, MemberData(nameof(RuleIds))]
    public void Each_rule_is_found_by_id_and_by_name_and_describes_itself(string id)
    {
        var rule = Descriptor(id);
        Assert.Same(rule, RuleCatalog.Find(id.ToLowerInvariant())!.Descriptor);
        Assert.Same(rule, RuleCatalog.Find(rule.Name.ToUpperInvariant())!.Descriptor);
        Assert.False(string.IsNullOrWhiteSpace(rule.Title));
        Assert.False(string.IsNullOrWhiteSpace(rule.Description));
        Assert.DoesNotContain('\n', rule.Title);
        Assert.Equal($"docs/rules/{id}.md", rule.DocsPath);
    }

    [Theory, MemberData(nameof(RuleIds))]
    public void Each_rule_has_a_docs_page_headed_with_its_id_and_name(string id)
    {
        var rule = Descriptor(id);
        var page = Path.Combine(RepositoryRoot(), rule.DocsPath);
        Assert.True(File.Exists(page), $"{rule.DocsPath} is missing");
        var heading = File.ReadLines(page).First();
        Assert.StartsWith($"# {id} {rule.Name}", heading, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_docs_page_belongs_to_a_rule()
    {
        var pages = Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs", "rules"), "PGR*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(Rules.Select(r => r.Id), pages);
    }

    [Theory, MemberData(nameof(RuleIds))]
    public void Each_rule_has_its_row_in_the_readme_rules_table(string id)
    {
        var rule = Descriptor(id);
        var row = Assert.Single(TableRows(Section(Read("README.md"), "### Rules")), r => r[0] == $"[{id}](docs/rules/{id}.md)");
        Assert.Equal([$"[{id}](docs/rules/{id}.md)", rule.Name, Severity(rule), rule.Title], row);
    }

    [Theory, MemberData(nameof(RuleIds))]
    public void Each_rule_is_listed_in_the_docs_index(string id)
    {
        var rule = Descriptor(id);
        var row = Assert.Single(TableRows(Read("docs/rules/README.md")), r => r[0] == $"[{id}]({id}.md)");
        Assert.Equal([rule.Name, Severity(rule)], row[1..3]);
    }

    [Fact]
    public void The_readme_table_and_the_docs_index_list_no_other_rules()
    {
        Assert.Equal(Rules.Select(r => $"[{r.Id}](docs/rules/{r.Id}.md)"), TableRows(Section(Read("README.md"), "### Rules")).Select(r => r[0]));
        Assert.Equal(Rules.Select(r => $"[{r.Id}]({r.Id}.md)"), TableRows(Read("docs/rules/README.md")).Select(r => r[0]));
    }

    private static string Severity(RuleDescriptor rule) => rule.Severity.ToString().ToLowerInvariant();

    /// <summary>The folder holding Pgrant.slnx, found by walking up from the test assembly.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pgrant.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"no Pgrant.slnx above {AppContext.BaseDirectory}");
    }

    private static string[] Read(string relativePath) => File.ReadAllLines(Path.Combine(RepositoryRoot(), relativePath));

    /// <summary>The lines under <paramref name="heading"/> up to the next heading.</summary>
    private static IEnumerable<string> Section(string[] lines, string heading)
    {
        var start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"no \"{heading}\" heading");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#'));
    }

    /// <summary>The body rows of the markdown tables in <paramref name="lines"/>, each as its trimmed cells (header and separator rows left out).</summary>
    private static List<string[]> TableRows(IEnumerable<string> lines)
    {
        static bool IsSeparator(string l) => l.StartsWith("|---", StringComparison.Ordinal) || l.StartsWith("| ---", StringComparison.Ordinal);
        var table = lines.Where(l => l.StartsWith('|')).ToList();
        return [.. table
            .Where((l, i) => !IsSeparator(l) && !(i + 1 < table.Count && IsSeparator(table[i + 1])))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())];
    }

    [GeneratedRegex("^PGR[0-9]{3}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();
}
