using Pgrant.Core;

namespace Pgrant.Spec;

/// <summary>
/// A spec that cannot be used: YAML syntax, an unknown key, a wrong type, an unknown privilege for a kind, a
/// profile that does not exist, a duplicate role … One line, <c>spec.yaml:12:5: problem (expected …)</c>.
/// </summary>
public sealed class SpecException(SpecLocation location, string problem, string? hint = null)
    : PgrantException($"{location}: {problem}", hint)
{
    /// <summary>Where the problem is.</summary>
    public SpecLocation Location { get; } = location;

    /// <summary>The problem, without the location.</summary>
    public string Problem { get; } = problem;
}
