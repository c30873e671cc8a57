using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;

namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>One message of a compiled gettext catalog.</summary>
/// <param name="Context">The msgctxt, or null when the message has none.</param>
/// <param name="MsgId">The original (English) message.</param>
/// <param name="MsgIdPlural">The original plural form, or null for a message without plural forms.</param>
/// <param name="MsgStrs">The translations: one, or one per plural form.</param>
internal sealed record GettextEntry(string? Context, string MsgId, string? MsgIdPlural, ImmutableArray<string> MsgStrs);

/// <summary>
/// Reads a compiled gettext catalog (a <c>.mo</c> file, as <c>msgfmt</c> writes it and PostgreSQL installs
/// under <c>share/locale/&lt;language&gt;/LC_MESSAGES/</c>): the magic number in either byte order, then
/// the tables of original and translated strings. A msgctxt is stored before the msgid with an EOT
/// (U+0004) between them; plural forms are NUL-separated. The header entry (empty msgid) names the
/// character set and is not returned as a message.
/// </summary>
/// <remarks>Used at build time (linked into Pgrant.MessageCatalogs) and by the tests; pgrant never reads a catalog at run time.</remarks>
internal static class GettextCatalog
{
    private const uint Magic = 0x950412de;

    /// <summary>Every message of the catalog in <paramref name="data"/>, in the catalog's order (sorted by msgid).</summary>
    /// <exception cref="InvalidDataException">The data is not a gettext catalog, is cut short, or names a character set .NET cannot decode.</exception>
    public static ImmutableArray<GettextEntry> Read(ReadOnlySpan<byte> data)
    {
        if (data.Length < 28) throw new InvalidDataException($"not a gettext catalog: {data.Length} bytes");
        var bigEndian = BinaryPrimitives.ReadUInt32LittleEndian(data) switch
        {
            Magic => false,
            var m when BinaryPrimitives.ReverseEndianness(m) == Magic => true,
            var m => throw new InvalidDataException($"not a gettext catalog: magic number 0x{m:x8}"),
        };
        var revision = Word(data, 4, bigEndian);
        // Major revisions 0 and 1 share the tables read here (1 adds system-dependent strings after them).
        if (revision >> 16 > 1) throw new InvalidDataException($"unsupported gettext catalog revision {revision >> 16}");
        var count = Word(data, 8, bigEndian);
        var originals = Word(data, 12, bigEndian);
        var translations = Word(data, 16, bigEndian);
        if (count > (uint)data.Length / 16) throw new InvalidDataException($"gettext catalog claims {count} messages in {data.Length} bytes");

        var raw = new (byte[] Original, byte[] Translation)[count];
        for (var i = 0u; i < count; i++)
            raw[i] = (Bytes(data, originals + i * 8, bigEndian), Bytes(data, translations + i * 8, bigEndian));

        var encoding = Encoding.UTF8;
        foreach (var (original, translation) in raw)
            if (original.Length == 0) encoding = CharsetOf(Encoding.UTF8.GetString(translation));

        var entries = ImmutableArray.CreateBuilder<GettextEntry>((int)count);
        foreach (var (original, translation) in raw)
        {
            if (original.Length == 0) continue;
            var key = encoding.GetString(original);
            string? context = null;
            var eot = key.IndexOf('\u0004', StringComparison.Ordinal);
            if (eot >= 0) (context, key) = (key[..eot], key[(eot + 1)..]);
            string? plural = null;
            var nul = key.IndexOf('\0', StringComparison.Ordinal);
            if (nul >= 0) (key, plural) = (key[..nul], key[(nul + 1)..]);
            var forms = encoding.GetString(translation).Split('\0');
            entries.Add(new GettextEntry(context, key, plural, [.. forms]));
        }
        return entries.DrainToImmutable();
    }

    /// <summary>The character set the header's Content-Type names (UTF-8 when it names none).</summary>
    private static Encoding CharsetOf(string header)
    {
        const string Marker = "charset=";
        var at = header.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        if (at < 0) return Encoding.UTF8;
        var end = at + Marker.Length;
        while (end < header.Length && !char.IsWhiteSpace(header[end]) && header[end] != ';') end++;
        var name = header[(at + Marker.Length)..end];
        if (name.Length == 0 || name.Equals("CHARSET", StringComparison.OrdinalIgnoreCase)) return Encoding.UTF8;
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            throw new InvalidDataException($"gettext catalog in character set '{name}', which .NET cannot decode");
        }
    }

    /// <summary>The string a table entry (length, offset) at <paramref name="at"/> points to, without its NUL.</summary>
    private static byte[] Bytes(ReadOnlySpan<byte> data, uint at, bool bigEndian)
    {
        var length = Word(data, at, bigEndian);
        var offset = Word(data, at + 4, bigEndian);
        if ((ulong)offset + length > (ulong)data.Length)
            throw new InvalidDataException($"gettext catalog cut short: a string at {offset} of {length} bytes in {data.Length} bytes");
        return data.Slice((int)offset, (int)length).ToArray();
    }

    private static uint Word(ReadOnlySpan<byte> data, uint at, bool bigEndian)
    {
        if ((ulong)at + 4 > (ulong)data.Length)
            throw new InvalidDataException($"gettext catalog cut short: a table entry at {at} in {data.Length} bytes");
        var span = data.Slice((int)at, 4);
        return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
    }
}
