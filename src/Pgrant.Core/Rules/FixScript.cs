using System.Text;
using Pgrant.Core.Planning;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Rules;

/// <summary>
/// One SQL script of every finding's fix, for a person to review and run with psql: per database (with
/// \connect) one transaction with a lock_timeout, the statements arranged into a plan that runs
/// (<see cref="PlanBuilder.Arrange"/>: each statement once, merged where the server allows it without
/// widening anything, grants before revokes except where statements on one object come in another order),
/// each under a comment giving its reason. Advice that is not SQL follows as comments, per finding.
/// </summary>
public static class FixScript
{
    /// <summary>The script for <paramref name="findings"/>; <paramref name="generatedBy"/> names the command in its first line.</summary>
    public static string Write(IEnumerable<Finding> findings, string generatedBy)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"-- Fixes proposed by {generatedBy}. Review before running: psql -v ON_ERROR_STOP=1 -f THIS_FILE");
        sb.AppendLine("-- Each database's statements run in one transaction.");
        var byDatabase = findings.Where(f => !f.Fix.IsEmpty || !f.Notes.IsEmpty).GroupBy(f => f.Database).OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var db in byDatabase)
        {
            var ordered = db.OrderByDescending(f => f.Severity).ThenBy(f => f.Rule.Id, StringComparer.Ordinal).ThenBy(f => f.Object, StringComparer.Ordinal).ToList();
            var plan = PlanBuilder.Arrange(ordered.SelectMany(f => f.Fix));
            sb.AppendLine();
            sb.AppendLine($"\\connect {SqlNames.Ident(db.Key)}");
            if (!plan.IsEmpty)
            {
                sb.AppendLine("BEGIN;");
                sb.AppendLine("SET LOCAL lock_timeout = '5s';");
                foreach (var statement in plan)
                {
                    sb.AppendLine($"-- {OneLine(statement.Reason)}");
                    foreach (var line in SqlWriter.Lines(statement)) sb.AppendLine(line);
                }
                sb.AppendLine("COMMIT;");
            }
            foreach (var f in ordered.Where(f => !f.Notes.IsEmpty))
            {
                sb.AppendLine($"-- {f.Rule.Id} {f.Rule.Name} ({f.Severity.ToString().ToLowerInvariant()}): {OneLine(f.Object ?? "")}{(f.Role is null ? "" : " for " + OneLine(f.Role))}");
                foreach (var note in f.Notes)
                    foreach (var line in CommentLines(note)) sb.AppendLine(line);
            }
        }
        return sb.ToString();
    }

    /// <summary>A note as SQL comment lines: "-- advice: …", then its example statement indented (never run).</summary>
    public static IEnumerable<string> CommentLines(Note note)
    {
        ArgumentNullException.ThrowIfNull(note);
        yield return $"-- {NoteWord(note.Kind)}: {OneLine(note.Text)}";
        if (note.Example is { } example)
            foreach (var line in SqlWriter.Lines(example)) yield return $"--   {OneLine(line)}";
    }

    /// <summary>A finding's fix as script lines: each statement's SQL, then its notes as comments.</summary>
    public static IEnumerable<string> Lines(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return finding.Fix.SelectMany(s => SqlWriter.Lines(s)).Concat(finding.Notes.SelectMany(CommentLines));
    }

    /// <summary>The label of a note kind: note, advice, caution.</summary>
    public static string NoteWord(NoteKind kind) => kind switch
    {
        NoteKind.Advice => "advice",
        NoteKind.Caution => "caution",
        _ => "note",
    };

    // A name may hold a newline; a comment must stay on one line.
    private static string OneLine(string s) => s.Replace('\n', ' ').Replace('\r', ' ');
}
