using System.Buffers.Binary;
using System.Text;
using Pgrant.Core.Diagnosis.Messages;

namespace Pgrant.Core.Tests.Diagnosis;

public sealed class GettextCatalogTests
{
    /// <summary>
    /// A compiled catalog as msgfmt lays it out: header, the table of originals, the table of
    /// translations (length and offset of each string), then the NUL-terminated strings.
    /// </summary>
    private static byte[] Compile(bool bigEndian, Encoding encoding, params (string Key, string Value)[] messages)
    {
        var sorted = messages.OrderBy(m => m.Key, StringComparer.Ordinal).ToArray();
        const int Header = 28;
        var originals = Header;
        var translations = originals + sorted.Length * 8;
        var strings = translations + sorted.Length * 8;
        var data = new List<byte>(new byte[strings]);
        var table = new (int Length, int Offset)[sorted.Length * 2];
        for (var i = 0; i < sorted.Length; i++)
        {
            table[i] = Append(sorted[i].Key);
        }
        for (var i = 0; i < sorted.Length; i++)
        {
            table[sorted.Length + i] = Append(sorted[i].Value);
        }
        var bytes = data.ToArray();
        Put(0, 0x950412de);
        Put(4, 0);
        Put(8, (uint)sorted.Length);
        Put(12, (uint)originals);
        Put(16, (uint)translations);
        Put(20, 0);
        Put(24, (uint)strings);
        for (var i = 0; i < table.Length; i++)
        {
            Put(originals + i * 8, (uint)table[i].Length);
            Put(originals + i * 8 + 4, (uint)table[i].Offset);
        }
        return bytes;

        (int, int) Append(string s)
        {
            var offset = data.Count;
            var encoded = encoding.GetBytes(s);
            data.AddRange(encoded);
            data.Add(0);
            return (encoded.Length, offset);
        }

        void Put(int at, uint value)
        {
            if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(at), value);
            else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
        }
    }

    private static readonly (string, string)[] Messages =
    [
        ("", "Project-Id-Version: postgres (PostgreSQL) 15\nContent-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : 1);\n"),
        ("permission denied for table %s", "нет доступа к таблице %s"),
        ("ERROR", "ОШИБКА"),
        // A plural message: msgid and msgid_plural, then one translation per form, NUL-separated.
        ("%d row\0%d rows", "%d строка\0%d строки\0%d строк"),
        // A message with a context: msgctxt, EOT, msgid.
        ("menu\u0004Open", "Открыть"),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_messages_plural_forms_and_contexts_in_either_byte_order(bool bigEndian)
    {
        var entries = GettextCatalog.Read(Compile(bigEndian, Encoding.UTF8, Messages));

        Assert.Equal(4, entries.Length); // the header is not a message
        var table = Assert.Single(entries, e => e.MsgId == "permission denied for table %s");
        Assert.Equal<string>(["нет доступа к таблице %s"], table.MsgStrs);
        Assert.Null(table.Context);
        Assert.Null(table.MsgIdPlural);
        Assert.Equal<string>(["ОШИБКА"], Assert.Single(entries, e => e.MsgId == "ERROR").MsgStrs);
        var plural = Assert.Single(entries, e => e.MsgId == "%d row");
        Assert.Equal("%d rows", plural.MsgIdPlural);
        Assert.Equal<string>(["%d строка", "%d строки", "%d строк"], plural.MsgStrs);
        var open = Assert.Single(entries, e => e.MsgId == "Open");
        Assert.Equal("menu", open.Context);
        Assert.Equal<string>(["Открыть"], open.MsgStrs);
    }

    [Fact]
    public void Decodes_the_character_set_the_header_names()
    {
        var latin1 = Encoding.Latin1;
        var bytes = Compile(false, latin1, ("", "Content-Type: text/plain; charset=ISO-8859-1\n"), ("permission denied for table %s", "droit refusé pour la table %s"));
        Assert.Equal<string>(["droit refusé pour la table %s"], Assert.Single(GettextCatalog.Read(bytes)).MsgStrs);
    }

    [Fact]
    public void Rejects_what_is_not_a_catalog()
    {
        var e = Assert.Throws<InvalidDataException>(() => GettextCatalog.Read(Encoding.ASCII.GetBytes("msgid \"permission denied\"\nmsgstr \"keine Berechtigung\"\n")));
        Assert.Contains("magic number", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => GettextCatalog.Read(new byte[3]));
    }

    [Fact]
    public void Rejects_a_catalog_cut_short()
    {
        var bytes = Compile(false, Encoding.UTF8, Messages);
        var e = Assert.Throws<InvalidDataException>(() => GettextCatalog.Read(bytes.AsSpan(0, bytes.Length - 20)));
        Assert.Contains("cut short", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_character_set_it_cannot_decode()
    {
        var bytes = Compile(false, Encoding.UTF8, ("", "Content-Type: text/plain; charset=KOI8-R\n"), ("ERROR", "x"));
        var e = Assert.Throws<InvalidDataException>(() => GettextCatalog.Read(bytes));
        Assert.Contains("KOI8-R", e.Message, StringComparison.Ordinal);
    }
}
