using System.Text;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>How a line of a report is meant to look; a front end maps it to colours (or to nothing).</summary>
public enum ReportStyle
{
    /// <summary>Ordinary text.</summary>
    Plain,
    /// <summary>The error itself.</summary>
    Error,
    /// <summary>A section heading.</summary>
    Heading,
    /// <summary>Something missing.</summary>
    Missing,
    /// <summary>All is well.</summary>
    Good,
    /// <summary>SQL of the least-privilege fix.</summary>
    Fix,
    /// <summary>SQL of the durable fix, or of an example.</summary>
    Durable,
    /// <summary>Secondary text: notes, advice.</summary>
    Dim,
}

/// <summary>One line of a report: an optional label (a left column), the text, and its style.</summary>
public readonly record struct ReportLine(string? Label, string Text, ReportStyle Style);

/// <summary>
/// A diagnosis as lines for people, in one order for every front end (the CLI colours them, an
/// application logs them as they are): the error, who, what, what is missing and why, the fix and who may
/// run it, the durable fix, and the notes. How a <see cref="DiagnosisHint"/> is worded is the front end's
/// (a flag in the CLI, a parameter in a library).
/// </summary>
public static class DiagnosisReport
{
    /// <summary>The lines of the report.</summary>
    public static IEnumerable<ReportLine> Lines(PermissionError error, Diagnosis d, Func<DiagnosisHint, string> hintWords)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(hintWords);
        yield return new ReportLine(null, error.Message, ReportStyle.Error);
        if (d.Role.Length > 0) yield return new ReportLine("role", d.Role, ReportStyle.Plain);
        if (!d.Unresolved) yield return new ReportLine("object", $"{d.KindWord} {d.Object}", ReportStyle.Plain);
        if (d.Attempted.Length > 0) yield return new ReportLine("tried to", d.Attempted, ReportStyle.Plain);
        foreach (var m in d.Missing)
            yield return new ReportLine("missing", $"{m.Name} on {m.KindWord} {m.Object} ({m.Reason})", ReportStyle.Missing);
        if (d.Cause.Length > 0) yield return new ReportLine("cause", d.Cause, ReportStyle.Plain);
        foreach (var hint in d.Hints) yield return new ReportLine("hint", hintWords(hint), ReportStyle.Dim);
        if (d.StatementAnalysis.Length > 0) yield return new ReportLine("statement", d.StatementAnalysis, ReportStyle.Dim);
        if (!d.WouldHit.IsEmpty) yield return new ReportLine("would hit it", string.Join(", ", d.WouldHit), ReportStyle.Missing);
        if (d.AlreadyAllowed) yield return new ReportLine(null, d.WouldHit.IsEmpty ? "The role holds what it needs now; nothing to fix." : $"{d.Role} holds what it needs; nothing to fix for it.", ReportStyle.Good);
        if (!d.Candidates.IsEmpty)
        {
            yield return new ReportLine(null, "candidates", ReportStyle.Heading);
            foreach (var c in d.Candidates) yield return new ReportLine(null, "  " + c, ReportStyle.Plain);
        }
        var fixTitle = d.Verification?.Status == VerificationStatus.Failed ? "fix (least privilege; the server says it is not enough)" : "fix (least privilege)";
        foreach (var line in Section(fixTitle, d.Fix, ReportStyle.Fix)) yield return line;
        if (!d.CanFix.IsEmpty) yield return new ReportLine("who can run the fix", string.Join(", ", d.CanFix), ReportStyle.Plain);
        foreach (var line in VerificationLines(d)) yield return line;
        foreach (var line in Section("durable fix", d.DurableFix, ReportStyle.Durable)) yield return line;
        foreach (var option in d.Alternatives)
        {
            foreach (var line in Section("alternative: " + option.Title, option.Statements, ReportStyle.Durable)) yield return line;
            yield return new ReportLine(null, "  " + option.Effect, ReportStyle.Dim);
        }
        if (d.Broad is { } broad)
        {
            foreach (var line in Section("broad option (NOT least privilege; --apply needs --allow-broad)", broad.Statements, ReportStyle.Durable)) yield return line;
            yield return new ReportLine("hands over", broad.HandsOver, ReportStyle.Missing);
            if (!broad.CanRun.IsEmpty) yield return new ReportLine("who can run it", string.Join(", ", broad.CanRun), ReportStyle.Plain);
        }
        foreach (var note in d.Notes)
            foreach (var line in NoteLines(note)) yield return line;
    }

    /// <summary>The server's verdict on the diagnosis: what it checked and what it could not.</summary>
    public static IEnumerable<ReportLine> VerificationLines(Diagnosis d)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.Verification is not { } v) yield break;
        var (word, style) = v.Status switch
        {
            VerificationStatus.Verified => (d.Fix.IsEmpty ? "the server agrees: " : "the server agrees with the fix: ", ReportStyle.Good),
            VerificationStatus.Failed => (d.Fix.IsEmpty ? "the server still denies the statement: " : "the server still denies the statement with the fix applied: ", ReportStyle.Error),
            _ => ("not checked by the server: ", ReportStyle.Dim),
        };
        yield return new ReportLine("verified", word + v.Detail, style);
        foreach (var c in v.Checked) yield return new ReportLine(null, "  checked: " + c, ReportStyle.Dim);
        foreach (var c in v.NotChecked) yield return new ReportLine(null, "  not checked: " + c, ReportStyle.Dim);
    }

    /// <summary>The report as plain text, one line per <see cref="ReportLine"/>, labels in a column.</summary>
    public static string Text(PermissionError error, Diagnosis d, Func<DiagnosisHint, string> hintWords)
    {
        var sb = new StringBuilder();
        foreach (var line in Lines(error, d, hintWords)) sb.Append(Format(line)).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// The lines of a start-up check: the role and database, then each requirement that is not met with what
    /// it lacks (or why it could not be judged), then the one least-privilege fix for all of them.
    /// </summary>
    public static IEnumerable<ReportLine> Lines(RequirementReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        yield return new ReportLine("role", report.Role, ReportStyle.Plain);
        yield return new ReportLine("database", report.Database, ReportStyle.Plain);
        if (report.Satisfied)
        {
            var count = report.Results.Length;
            yield return new ReportLine(null, $"{report.Role} holds everything the {count} requirement{(count == 1 ? "" : "s")} need{(count == 1 ? "s" : "")}; nothing to fix.", ReportStyle.Good);
            yield break;
        }
        foreach (var result in report.Results.Where(r => !r.Satisfied))
        {
            yield return new ReportLine(result.Requirement is StatementRequirement ? "statement" : "privilege", result.Requirement.ToString(), ReportStyle.Heading);
            if (result.Problem is { } problem) yield return new ReportLine("problem", problem, ReportStyle.Error);
            foreach (var m in result.Missing)
                yield return new ReportLine("missing", $"{m.Name} on {m.KindWord} {m.Object} ({m.Reason})", ReportStyle.Missing);
        }
        foreach (var line in Section("fix (least privilege)", report.Fix, ReportStyle.Fix)) yield return line;
    }

    /// <summary>The start-up check as plain text, one line per <see cref="ReportLine"/>, labels in a column.</summary>
    public static string Text(RequirementReport report)
    {
        var sb = new StringBuilder();
        foreach (var line in Lines(report)) sb.Append(Format(line)).Append('\n');
        return sb.ToString();
    }

    /// <summary>A line as plain text: the label padded to a column of 9 (a longer label is followed by two spaces).</summary>
    public static string Format(ReportLine line) => line.Label is null ? line.Text : $"{LabelColumn(line.Label)} {line.Text}";

    /// <summary>The label in its column: padded to 9 characters, or followed by one more space when longer.</summary>
    public static string LabelColumn(string label) => label.Length > 9 ? label + " " : label.PadRight(9);

    /// <summary>The lines of a note: its words, then its example statement indented.</summary>
    public static IEnumerable<ReportLine> NoteLines(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var label = note.Kind switch
        {
            NoteKind.Advice => "advice",
            NoteKind.Caution => "caution",
            _ => "note",
        };
        yield return new ReportLine(null, $"{label}: {note.Text}", ReportStyle.Dim);
        if (note.Example is { } example)
            foreach (var line in SqlWriter.Standalone(example).Split('\n'))
                yield return new ReportLine(null, "  " + line, ReportStyle.Durable);
    }

    private static IEnumerable<ReportLine> Section(string title, IReadOnlyList<SqlStatement> statements, ReportStyle style)
    {
        if (statements.Count == 0) yield break;
        yield return new ReportLine(null, title, ReportStyle.Heading);
        foreach (var statement in statements)
            foreach (var line in SqlWriter.Standalone(statement).Split('\n'))
                yield return new ReportLine(null, "  " + line, style);
    }
}
