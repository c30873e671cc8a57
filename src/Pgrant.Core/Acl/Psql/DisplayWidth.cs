using System.Globalization;
using System.Text;

namespace Pgrant.Core.Acl.Psql;

/// <summary>
/// Terminal cell width of text the way psql measures it when it pads aligned output
/// (ucs_wcwidth: combining marks 0, East Asian wide and fullwidth 2, everything else 1).
/// psql pads by display width, not by characters, so columns line up only in these units.
/// </summary>
internal static class DisplayWidth
{
    public static int Of(Rune rune)
    {
        var v = rune.Value;
        if (v == 0) return 0;
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            return 0;
        return IsWide(v) ? 2 : 1;
    }

    private static bool IsWide(int v) =>
        v is >= 0x1100 and <= 0x115F
        or >= 0x2E80 and <= 0xA4CF and not 0x303F
        or >= 0xAC00 and <= 0xD7A3
        or >= 0xF900 and <= 0xFAFF
        or >= 0xFE30 and <= 0xFE6F
        or >= 0xFF00 and <= 0xFF60
        or >= 0xFFE0 and <= 0xFFE6
        or >= 0x1F300 and <= 0x1F64F
        or >= 0x1F900 and <= 0x1F9FF
        or >= 0x20000 and <= 0x2FFFD
        or >= 0x30000 and <= 0x3FFFD;

    /// <summary>
    /// Splits a line at display columns: returns, for each column index 0..width, the char index
    /// where that display column starts (text.Length past the end).
    /// </summary>
    public static int[] ColumnStarts(string line, int width)
    {
        var starts = new int[width + 1];
        var col = 0;
        var i = 0;
        while (i < line.Length && col <= width)
        {
            Rune.DecodeFromUtf16(line.AsSpan(i), out var rune, out var consumed);
            var w = Of(rune);
            for (var k = 0; k < w && col + k <= width; k++) starts[col + k] = i;
            col += w;
            i += Math.Max(1, consumed);
        }
        for (; col <= width; col++) starts[col] = line.Length;
        return starts;
    }

    /// <summary>The total display width of a string.</summary>
    public static int Of(string text)
    {
        var total = 0;
        foreach (var rune in text.EnumerateRunes()) total += Of(rune);
        return total;
    }
}
