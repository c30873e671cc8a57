using System.Text.Encodings.Web;
using System.Text.Json;
using Pgrant.Core.Diagnosis.Messages;

// Pgrant.MessageCatalogs <output.json> <catalog.mo>...
// Each catalog lies at <folder>/<language>/LC_MESSAGES/<domain>.mo (postgres-15.mo, libpq5-15.mo …).
// Writes the translations of the msgids of MessageTemplates.All and MessageLabels.MsgIds, skipping
// untranslated messages and translations identical to the English, sorted so the output is the same
// for the same catalogs.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Pgrant.MessageCatalogs <output.json> <catalog.mo>...");
    return 2;
}

var wanted = new HashSet<string>(MessageTemplates.All.Select(t => t.MsgId), StringComparer.Ordinal);
wanted.UnionWith(MessageLabels.MsgIds.Select(l => l.MsgId));
var kept = new SortedSet<(string Language, string MsgId, string MsgStr)>(Comparer<(string Language, string MsgId, string MsgStr)>.Create((a, b) =>
    string.CompareOrdinal(a.Language, b.Language) is var l and not 0 ? l
    : string.CompareOrdinal(a.MsgId, b.MsgId) is var m and not 0 ? m
    : string.CompareOrdinal(a.MsgStr, b.MsgStr)));
foreach (var path in args[1..])
{
    var folder = Path.GetDirectoryName(Path.GetFullPath(path));
    if (folder is null || Path.GetFileName(folder) != "LC_MESSAGES")
    {
        Console.Error.WriteLine($"{path}: error PGRANT001: a message catalog must lie in <language>/LC_MESSAGES/");
        return 1;
    }
    var language = Path.GetFileName(Path.GetDirectoryName(folder)!);
    try
    {
        foreach (var entry in GettextCatalog.Read(File.ReadAllBytes(path)))
        {
            if (entry.Context is not null || entry.MsgIdPlural is not null || !wanted.Contains(entry.MsgId)) continue;
            var msgStr = entry.MsgStrs[0];
            if (msgStr.Length == 0 || msgStr == entry.MsgId) continue;
            kept.Add((language, entry.MsgId, msgStr));
        }
    }
    catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"{path}: error PGRANT001: {e.Message}");
        return 1;
    }
}

var output = args[0];
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
var temporary = output + ".tmp";
using (var stream = File.Create(temporary))
using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
{
    json.WriteStartObject();
    json.WriteStartArray("catalogs");
    foreach (var path in args[1..].Order(StringComparer.Ordinal)) json.WriteStringValue(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)))) + "/" + Path.GetFileName(path));
    json.WriteEndArray();
    json.WriteStartArray("translations");
    foreach (var (language, msgId, msgStr) in kept)
    {
        json.WriteStartObject();
        json.WriteString("language", language);
        json.WriteString("msgid", msgId);
        json.WriteString("msgstr", msgStr);
        json.WriteEndObject();
    }
    json.WriteEndArray();
    json.WriteEndObject();
}
File.Move(temporary, output, overwrite: true);
Console.WriteLine($"Pgrant.MessageCatalogs: {kept.Count} translations in {kept.Select(k => k.Language).Distinct().Count()} languages from {args.Length - 1} catalogs -> {output}");
return 0;
