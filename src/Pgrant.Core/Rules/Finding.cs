using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Rules;

/// <summary>How much a finding matters; the order is the order of importance.</summary>
public enum Severity
{
    /// <summary>Worth knowing; nothing fails because of it.</summary>
    Info = 0,
    /// <summary>A risk, or something that will fail under some conditions.</summary>
    Warning = 1,
    /// <summary>Something fails now, or grants far more than it should.</summary>
    Error = 2,
}

/// <summary>
/// A rule as data (the Roslyn-analyzer way): stable ID, kebab-case name, default severity, one-line
/// title, and its docs page. Defined once per rule, referenced by every finding it makes.
/// </summary>
/// <param name="Id">The stable ID (PGR001 …), used to select, exclude and look up a rule.</param>
/// <param name="Name">The kebab-case name (sequence-usage-missing), an alternative to the ID.</param>
/// <param name="Severity">The severity its findings have unless a finding says otherwise.</param>
/// <param name="Title">One line: what the rule finds.</param>
/// <param name="Description">A few sentences: why it matters in PostgreSQL terms.</param>
public sealed record RuleDescriptor(string Id, string Name, Severity Severity, string Title, string Description)
{
    /// <summary>Relative path of the rule's docs page in the repository.</summary>
    public string DocsPath => $"docs/rules/{Id}.md";
}

/// <summary>
/// One latent permission problem (or risky grant): which rule, how severe, where (database, schema,
/// object of <see cref="ObjectKind"/>), for which role, in plain words, the statements that fix it
/// (values, written to SQL by <see cref="SqlWriter"/>), and notes that are not SQL (advice, cautions).
/// </summary>
/// <param name="Rule">The rule that found it.</param>
/// <param name="Severity">How severe this finding is (the rule's default, or more or less for this case).</param>
/// <param name="Database">The database the audit read.</param>
/// <param name="Schema">The object's schema, or null for cluster-wide and schema-less objects.</param>
/// <param name="Object">The object as SQL writes it, or null when the finding names none.</param>
/// <param name="ObjectKind">The object's kind, or null.</param>
/// <param name="Role">The role the finding is about, or null.</param>
/// <param name="Message">What is wrong, in plain words.</param>
/// <param name="Fix">The statements that fix it; default or empty when none can.</param>
/// <param name="Notes">Advice and cautions; default for none.</param>
public sealed record Finding(
    RuleDescriptor Rule,
    Severity Severity,
    string Database,
    string? Schema,
    string? Object,
    ObjectKind? ObjectKind,
    string? Role,
    string Message,
    ImmutableArray<SqlStatement> Fix,
    ImmutableArray<Note> Notes = default)
{
    /// <summary>The statements that fix it, in the order they run; empty when no statement can.</summary>
    public ImmutableArray<SqlStatement> Fix { get; init; } = Fix.IsDefault ? [] : Fix;

    /// <summary>Advice and cautions that go with the fix (never SQL to run).</summary>
    public ImmutableArray<Note> Notes { get; init; } = Notes.IsDefault ? [] : Notes;

    /// <summary>The object's kind in words ("table", "role"), or null when the finding names no object.</summary>
    public string? ObjectKindWord => ObjectKind is { } kind ? KindWords.Singular(kind) : null;

    /// <summary>What makes two findings of one audit the same finding: rule, database, object, role, message.</summary>
    public (string Rule, string Database, string? Object, string? Role, string Message) Identity => (Rule.Id, Database, Object, Role, Message);
}
