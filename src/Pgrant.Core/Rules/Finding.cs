using System.Collections.Immutable;

namespace Pgrant.Core.Rules;

public enum Severity { Info = 0, Warning = 1, Error = 2 }

/// <summary>
/// A rule as data (the Roslyn-analyzer way): stable ID, kebab-case name, default severity, one-line
/// title, and its docs page. Defined once per rule, referenced by every finding it makes.
/// </summary>
public sealed record RuleDescriptor(string Id, string Name, Severity Severity, string Title, string Description)
{
    /// <summary>Relative path of the rule's docs page in the repository.</summary>
    public string DocsPath => $"docs/rules/{Id}.md";
}

/// <summary>
/// One latent permission problem (or risky grant): which rule, how severe, where (database,
/// schema, object), for which role, in plain words, and the SQL that fixes it.
/// </summary>
public sealed record Finding(
    RuleDescriptor Rule,
    Severity Severity,
    string Database,
    string? Schema,
    string? Object,
    string? ObjectKind,
    string? Role,
    string Message,
    ImmutableArray<string> Fix)
{
    /// <summary>A stable sort and dedupe key: rule, database, object, role.</summary>
    public string Key => $"{Rule.Id}\u0001{Database}\u0001{Object}\u0001{Role}\u0001{Message}";
}
