using System.Collections.Immutable;
using System.Globalization;

namespace Pgrant.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL majors integration tests run against: PGRANT_TEST_PG_VERSIONS (comma-separated,
/// e.g. "15,18"), default every supported major, 13 to 18. Use as
/// <c>[Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]</c>.
/// </summary>
public static class TestVersions
{
    public const string Variable = "PGRANT_TEST_PG_VERSIONS";
    public const string Default = "13,14,15,16,17,18";

    /// <summary>The configured majors, in the order given, without duplicates.</summary>
    public static ImmutableArray<int> Majors { get; } = Parse(Environment.GetEnvironmentVariable(Variable));

    /// <summary>xunit MemberData source: one row per configured major.</summary>
    public static TheoryData<int> All => new(Majors);

    /// <summary>Parses a version list; a malformed one fails loudly instead of silently testing less.</summary>
    public static ImmutableArray<int> Parse(string? text)
    {
        var source = string.IsNullOrWhiteSpace(text) ? Default : text;
        var majors = new List<int>();
        foreach (var part in source.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var major) || major < 13 || major > 18)
                throw new FormatException($"{Variable}: '{part}' is not a PostgreSQL major between 13 and 18 (in \"{source}\")");
            if (!majors.Contains(major)) majors.Add(major);
        }
        if (majors.Count == 0) throw new FormatException($"{Variable}: no version in \"{source}\"");
        return [.. majors];
    }
}
