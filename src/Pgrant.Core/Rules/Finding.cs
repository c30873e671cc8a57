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
/// <remarks>
/// A fix can be given as a function that writes it when it is read (<see cref="Fix"/> calls it every
/// time, keeping nothing): a rule that reports 100,000 objects (PGR009, a multi-statement conversion
/// each) would otherwise hold ~180 MB of SQL text for the whole audit, which the collector copies
/// from generation to generation, while text output shows a few dozen and JSON writes each once.
/// </remarks>
public sealed record Finding(
    RuleDescriptor Rule,
    Severity Severity,
    string Database,
    string? Schema,
    string? Object,
    string? ObjectKind,
    string? Role,
    string Message)
{
    private readonly ImmutableArray<string> _fix = [];
    private readonly Func<ImmutableArray<string>>? _writeFix;

    public Finding(RuleDescriptor rule, Severity severity, string database, string? schema, string? obj, string? objectKind,
        string? role, string message, ImmutableArray<string> fix)
        : this(rule, severity, database, schema, obj, objectKind, role, message) => _fix = fix.IsDefault ? [] : fix;

    public Finding(RuleDescriptor rule, Severity severity, string database, string? schema, string? obj, string? objectKind,
        string? role, string message, Func<ImmutableArray<string>> writeFix)
        : this(rule, severity, database, schema, obj, objectKind, role, message) => _writeFix = writeFix;

    /// <summary>The SQL statements (and comment lines) that fix it, in order; empty when there is nothing to run.</summary>
    public ImmutableArray<string> Fix => _writeFix is null ? _fix : _writeFix();

    /// <summary>What makes two findings of one audit the same finding: rule, database, object, role, message.</summary>
    public (string Rule, string Database, string? Object, string? Role, string Message) Identity => (Rule.Id, Database, Object, Role, Message);
}
