using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Pgrant.Core.Acl.Psql;

/// <summary>Where one physical line of a cell sits in the pasted text (0-based line, char offset, length).</summary>
internal readonly record struct PsqlCellLine(int Line, int Offset, int Length);

/// <summary>One cell: its text with its own line breaks restored, and where each line came from.</summary>
internal sealed record PsqlCell(string Text, ImmutableArray<PsqlCellLine> Lines)
{
    /// <summary>Maps an offset in <see cref="Text"/> to (0-based line, char offset in that line).</summary>
    public (int Line, int Column) Locate(int position)
    {
        foreach (var l in Lines)
        {
            if (position <= l.Length) return (l.Line, l.Offset + position);
            position -= l.Length + 1;
        }
        var last = Lines[^1];
        return (last.Line, last.Offset + last.Length);
    }
}

/// <summary>One logical row of a psql table.</summary>
internal sealed record PsqlRow(int FirstLine, ImmutableArray<PsqlCell> Cells);

/// <summary>A table found in pasted psql output: title (if any), header names, rows.</summary>
internal sealed record PsqlTable(string? Title, ImmutableArray<string> Headers, ImmutableArray<PsqlRow> Rows, int HeaderLine);

/// <summary>
/// Reads psql's default "aligned" output (border 1), as printed by psql 9.x–18: a header line, a
/// dashed separator whose '+' marks the column boundaries, data lines with '|' between cells,
/// and a '+' in the last position of a cell whose text continues on the next line. Column
/// positions come from the separator and are measured in display cells (psql pads wide
/// characters by width), so a '|' inside a name never splits a cell.
/// </summary>
internal static partial class PsqlAlignedTable
{
    [GeneratedRegex(@"^-+(\+-+)+$")]
    private static partial Regex Separator();

    [GeneratedRegex(@"^\(\d+ rows?\)$")]
    private static partial Regex Footer();

    public static ImmutableArray<PsqlTable> ReadAll(IReadOnlyList<string> lines)
    {
        var tables = ImmutableArray.CreateBuilder<PsqlTable>();
        for (var i = 1; i < lines.Count; i++)
        {
            var sep = lines[i].TrimEnd();
            if (!Separator().IsMatch(sep)) continue;
            var table = ReadTable(lines, i, sep, out var next);
            tables.Add(table);
            i = next - 1;
        }
        return tables.ToImmutable();
    }

    private static PsqlTable ReadTable(IReadOnlyList<string> lines, int sepIndex, string sep, out int next)
    {
        // Column k spans display columns [starts[k], ends[k]); boundaries are the '+' of the separator.
        var plus = new List<int>();
        for (var i = 0; i < sep.Length; i++) if (sep[i] == '+') plus.Add(i);
        var n = plus.Count + 1;
        var starts = new int[n];
        var ends = new int[n];
        for (var k = 0; k < n; k++)
        {
            starts[k] = k == 0 ? 0 : plus[k - 1] + 1;
            ends[k] = k == n - 1 ? sep.Length : plus[k];
        }
        var headers = Cut(lines[sepIndex - 1], starts, ends, sep.Length, out _, out _)
            .Select(h => h.Trim()).ToImmutableArray();
        var title = sepIndex >= 2 && lines[sepIndex - 2].Trim().Length > 0 && !lines[sepIndex - 2].Contains('|')
            ? lines[sepIndex - 2].Trim() : null;

        var rows = ImmutableArray.CreateBuilder<PsqlRow>();
        var cells = new List<(string Text, int Line, int Offset)>[n];
        var continues = new bool[n];
        var open = false;
        var j = sepIndex + 1;
        for (; j < lines.Count; j++)
        {
            var line = lines[j];
            if (Footer().IsMatch(line.Trim()) || !IsDataLine(line, plus, sep.Length)) break;
            var parts = Cut(line, starts, ends, sep.Length, out var markers, out var offsets);
            if (!open)
            {
                for (var k = 0; k < n; k++) { cells[k] = []; continues[k] = true; }
                open = true;
            }
            for (var k = 0; k < n; k++)
            {
                // A cell takes this line if it is its first, or its previous line ended in '+'.
                if (!continues[k]) continue;
                cells[k].Add((parts[k], j, offsets[k]));
                continues[k] = markers[k] == '+';
            }
            if (!markers.Contains('+'))
            {
                rows.Add(Row(cells));
                open = false;
            }
        }
        if (open) rows.Add(Row(cells));
        next = j;
        return new PsqlTable(title, headers, rows.ToImmutable(), sepIndex - 1);
    }

    private static PsqlRow Row(List<(string Text, int Line, int Offset)>[] cells) => new(
        cells[0][0].Line,
        cells.Select(c => new PsqlCell(
            string.Join('\n', c.Select(x => x.Text)),
            c.Select(x => new PsqlCellLine(x.Line, x.Offset, x.Text.Length)).ToImmutableArray())).ToImmutableArray());

    /// <summary>A data line has '|' at every inner column boundary (in display columns).</summary>
    private static bool IsDataLine(string line, List<int> plus, int width)
    {
        if (line.Trim().Length == 0) return false;
        var at = DisplayWidth.ColumnStarts(line, width);
        foreach (var p in plus)
            if (at[p] >= line.Length || line[at[p]] != '|') return false;
        return true;
    }

    /// <summary>
    /// The cells of one line: each is ' ' + text padded to the column width + marker, where the
    /// marker is '+' when the cell continues (psql's "newline" marker), '.' when wrapped, else ' '.
    /// </summary>
    private static string[] Cut(string line, int[] starts, int[] ends, int width, out char[] markers, out int[] offsets)
    {
        var at = DisplayWidth.ColumnStarts(line, width);
        var n = starts.Length;
        var parts = new string[n];
        markers = new char[n];
        offsets = new int[n];
        for (var k = 0; k < n; k++)
        {
            int from = at[starts[k]], to = at[ends[k]];
            var segment = line[from..to];
            var lastIsMarker = k < n - 1 || DisplayWidth.Of(segment) >= ends[k] - starts[k];
            markers[k] = lastIsMarker && segment.Length > 0 ? segment[^1] : ' ';
            if (markers[k] is not ('+' or '.')) markers[k] = ' ';
            var body = markers[k] == ' ' || segment.Length == 0 ? segment : segment[..^1];
            if (body.StartsWith(' ')) { body = body[1..]; from++; }
            parts[k] = body.TrimEnd(' ');
            offsets[k] = from;
        }
        return parts;
    }
}
