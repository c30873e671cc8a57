using System.Text.RegularExpressions;
using Pgrant.Core.Diagnosis.Messages;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// Finds a permission error in pasted text: a bare message, a psql "ERROR:" line, a server log
/// excerpt (any log_line_prefix, csvlog, jsonlog), pg_dump/pg_restore output, or what a driver or
/// tool printed around the server's message (node-postgres, Prisma, Rails, psycopg, SQLAlchemy, JDBC,
/// Npgsql, PDO, DBI, PostgREST/Hasura JSON bodies …), with its SQLSTATE, DETAIL, HINT, CONTEXT and
/// STATEMENT where the paste carries them.
/// </summary>
public static partial class PermissionErrorParser
{
    /// <summary>The first permission error in <paramref name="text"/>, with the fields around it; null when there is none.</summary>
    public static PermissionError? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PasteReader.Read(text).Error;
    }

    /// <summary>Like <see cref="TryParse"/> but says, in one line and a hint, why nothing was taken.</summary>
    public static PermissionError Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Trim().Length == 0)
            throw new PgrantException("the message is empty", "pass the error text as the argument, or - to read it from stdin");
        if (text.Contains('\0', StringComparison.Ordinal))
            throw new PgrantException("the message is not text (it holds NUL bytes)", "pass the error as text, e.g. copied from the terminal or the log file");
        var reading = PasteReader.Read(text);
        if (reading.Error is { } error) return error;
        if (reading.Problem is { } problem) throw new PgrantException(problem, reading.Hint);
        if (ForeignSeverity().Match(text) is { Success: true } foreign && MessageLabels.Default.TagOf(foreign.Groups["sev"].Value) is null)
            throw new PgrantException(
                $"no PostgreSQL permission error found; the server message seems to be in a language pgrant does not read (\"{PasteReader.Echo(foreign.Groups["sev"].Value)}:\")",
                "run the statement again with lc_messages set to English (SET lc_messages TO 'C') and pass that message");
        throw new PgrantException(
            "no PostgreSQL permission error found in the message",
            "pass the error text, e.g. 'permission denied for sequence descriptions_id_seq', a psql 'ERROR:' line, or a server log excerpt");
    }

    /// <summary>A severity word the server wrote in another language ("ERREUR:  ", "FEHLER:  ", "错误:  "): its two spaces after the colon.</summary>
    /// <remarks>Translated severities are upper case (FEHLER, ERREUR, ОШИБКА) or in a script without case (错误, エラー, 오류).</remarks>
    [GeneratedRegex(@"(?:^|[\s>])(?<sev>(?!(?:ERROR|FATAL|PANIC|WARNING|WARN|NOTICE|NOTE|LOG|INFO|DEBUG|TRACE|FAIL|FAILED|DETAIL|HINT|CONTEXT|STATEMENT|LOCATION|QUERY|SQL)\b)(?:\p{Lu}[\p{Lu}\p{M}]{1,14}|\p{Lo}[\p{Lo}\p{M}]{0,14})):  \S", RegexOptions.Multiline)]
    private static partial Regex ForeignSeverity();
}
