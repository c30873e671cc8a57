using System.Collections.Immutable;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Sql;
using Pgrant.Postgres;

namespace Pgrant.Npgsql;

/// <summary>
/// A permission error an application hit, diagnosed: the same <see cref="Core.Diagnosis.Diagnosis"/> that
/// <c>pgrant explain</c> prints — what the role tried, what it lacks and why, the least-privilege fix, who may
/// run it — read from the catalog with the application's own data source. When the catalog could not be read
/// (or the message is one pgrant does not recognise) it is what the message alone says, and
/// <see cref="Limitation"/> tells why.
/// </summary>
public sealed class PermissionErrorDiagnosis
{
    internal PermissionErrorDiagnosis(PermissionError error, Diagnosis diagnosis, ExplainResult? result, string? limitation, Exception? failure)
    {
        Error = error;
        Diagnosis = diagnosis;
        Result = result;
        Limitation = limitation;
        Failure = failure;
    }

    /// <summary>The permission error as pgrant read it from the exception (the statement included, when known).</summary>
    public PermissionError Error { get; }

    /// <summary>The diagnosis: cause, missing privileges, the least-privilege fix, the durable fix, notes.</summary>
    public Diagnosis Diagnosis { get; }

    /// <summary>The full result with the catalog snapshot it was made on; null when only the message could be used.</summary>
    public ExplainResult? Result { get; }

    /// <summary>True when the catalog was read and the diagnosis is exact (<see cref="Result"/> is set).</summary>
    public bool IsExact => Result is not null;

    /// <summary>Why the diagnosis comes from the message alone, or null when it is exact.</summary>
    public string? Limitation { get; }

    /// <summary>The exception that kept the catalog from being read, for the application's log; null when none did.</summary>
    public Exception? Failure { get; }

    /// <summary>The least-privilege fix as statement values, in the order they run (empty when nothing is to be granted or the fix is unknown).</summary>
    public ImmutableArray<SqlStatement> Fix => Diagnosis.Fix;

    /// <summary>The fix as SQL text, one statement after another (empty when there is none).</summary>
    public string FixSql => string.Join("\n", Fix.Select(SqlWriter.Standalone));

    /// <summary>
    /// The diagnosis as plain text, the lines <c>pgrant explain</c> prints (labels in a column, no colour), hints
    /// worded for a library caller; a limitation, if any, is a note at the end.
    /// </summary>
    public string ToText() => DiagnosisReport.Text(Error, Diagnosis, HintWords);

    /// <summary>The plain-text report (<see cref="ToText"/>), so printing or logging the diagnosis shows it.</summary>
    public override string ToString() => ToText();

    /// <summary>How a hint is worded for an application: the data source and the statement, not command-line options.</summary>
    internal static string HintWords(DiagnosisHint hint) => hint switch
    {
        DiagnosisHint.OtherRole => "if another role hit the error, diagnose it with a data source that connects as that role",
        DiagnosisHint.Statement => "pass the failing statement to DiagnoseAsync for the exact privileges it needs",
        _ => hint.ToString(),
    };
}
