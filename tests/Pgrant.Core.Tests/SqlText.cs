using Pgrant.Core.Sql;

namespace Pgrant.Core.Tests;

/// <summary>Statement values and notes as the text tests compare: each statement as it is shown on its own.</summary>
internal static class SqlText
{
    public static string[] Of(IEnumerable<SqlStatement> statements) => [.. statements.Select(SqlWriter.Standalone)];

    public static string[] Notes(IEnumerable<Note> notes) => [.. notes.Select(n => n.Text)];
}
