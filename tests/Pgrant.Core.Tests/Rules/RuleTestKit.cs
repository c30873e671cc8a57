using System.Collections.Immutable;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Tests.Rules;

/// <summary>
/// What the rule unit tests share: running one rule over an in-memory snapshot, and reading a
/// finding. <see cref="FixText"/> is the only place that reads <see cref="Finding.Fix"/>, so when the
/// fix's type changes (typed statements rendered by one SQL writer) only it has to follow.
/// </summary>
internal static class RuleTestKit
{
    /// <summary>Every server major the rules support.</summary>
    public static TheoryData<int> Majors => [13, 14, 15, 16, 17, 18];

    /// <summary>Runs one rule as <c>pgrant check --role … --schema …</c> would, on one thread.</summary>
    public static ImmutableArray<Finding> Run(IAuditRule rule, CatalogSnapshot snapshot, string[] roles, string[]? schemas = null) =>
        Auditor.Run(new AuditContext(snapshot, new AuditScope([.. roles], [.. schemas ?? []])), [rule], parallelism: 1).Findings;

    /// <summary>
    /// The fix as text: each statement's SQL (one statement a line, as the writer writes it), then each
    /// note as a comment ("-- advice: …") with its example statement under it.
    /// </summary>
    public static string FixText(Finding f) => string.Join("\n", FixScript.Lines(f));

    /// <summary>A finding's fix statements one by one (for tests that look at a single statement).</summary>
    public static string[] FixLines(Finding f) => FixText(f).Split('\n');

    /// <summary>What a finding says, as the tests compare it exactly.</summary>
    public sealed record Shape(string Rule, string? Object, string? Kind, string? Role, Severity Severity, string Message, string Fix)
    {
        public override string ToString() =>
            $"{Rule} {Severity} {Kind} {Object} for {Role ?? "(none)"}\n  message: {Message}\n  fix: {Fix.Replace("\n", "\n       ", StringComparison.Ordinal)}";
    }

    public static Shape ShapeOf(Finding f) =>
        new(f.Rule.Id, f.Object, f.ObjectKind is { } k ? KindWords.Singular(k) : null, f.Role, f.Severity, f.Message, FixText(f));

    /// <summary>
    /// Asserts the findings are exactly <paramref name="expected"/>, in order, field by field, so a
    /// failure names the finding and the field that differs.
    /// </summary>
    public static void AssertFindings(IReadOnlyList<Finding> actual, params Shape[] expected)
    {
        var shapes = actual.Select(ShapeOf).ToList();
        Assert.True(shapes.Count == expected.Length,
            $"expected {expected.Length} finding(s), got {shapes.Count}:\n{string.Join("\n", shapes)}");
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i], shapes[i]);
            Assert.Equal((i, "rule", e.Rule), (i, "rule", a.Rule));
            Assert.Equal((i, "object", e.Object), (i, "object", a.Object));
            Assert.Equal((i, "kind", e.Kind), (i, "kind", a.Kind));
            Assert.Equal((i, "role", e.Role), (i, "role", a.Role));
            Assert.Equal((i, "severity", e.Severity), (i, "severity", a.Severity));
            Assert.Equal(e.Message, a.Message);
            Assert.Equal(e.Fix, a.Fix);
        }
    }

    /// <summary>Asserts the one finding is <paramref name="expected"/> and returns it.</summary>
    public static Finding AssertSingle(IReadOnlyList<Finding> actual, Shape expected)
    {
        AssertFindings(actual, expected);
        return actual[0];
    }
}
