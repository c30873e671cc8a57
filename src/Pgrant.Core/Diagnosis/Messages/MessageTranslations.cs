using System.Collections.Immutable;
using System.Text.Json;

namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>One translation of a server message: the language and the translated format (msgstr).</summary>
/// <param name="Language">The catalog's language code as PostgreSQL names it ("de", "zh_CN").</param>
/// <param name="MsgId">The English format.</param>
/// <param name="MsgStr">The translated format, with the same conversions (possibly reordered as <c>%2$s</c>).</param>
internal sealed record MessageTranslation(string Language, string MsgId, string MsgStr);

/// <summary>
/// The translations of the server's messages that pgrant carries: derived at build time from
/// PostgreSQL's own message catalogs (Pgrant.MessageCatalogs reads every <c>postgres-*.mo</c> and
/// <c>libpq5-*.mo</c> and keeps the msgids of <see cref="MessageTemplates.All"/> and
/// <see cref="MessageLabels.MsgIds"/>) and embedded as a resource; never written by hand.
/// </summary>
internal static class MessageTranslations
{
    /// <summary>The name of the embedded resource (written by Pgrant.MessageCatalogs, embedded by Pgrant.Core.csproj).</summary>
    public const string ResourceName = "Pgrant.Core.MessageTranslations.json";

    /// <summary>The translations built into this assembly; empty when it was built without catalogs.</summary>
    public static IReadOnlyList<MessageTranslation> BuiltIn { get; } = Load();

    private static ImmutableArray<MessageTranslation> Load()
    {
        using var stream = typeof(MessageTranslations).Assembly.GetManifestResourceStream(ResourceName);
        return stream is null ? [] : Read(stream);
    }

    /// <summary>The translations in the resource's JSON: <c>{"translations":[{"language":…,"msgid":…,"msgstr":…},…]}</c>.</summary>
    public static ImmutableArray<MessageTranslation> Read(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var all = ImmutableArray.CreateBuilder<MessageTranslation>();
        foreach (var t in document.RootElement.GetProperty("translations").EnumerateArray())
            all.Add(new MessageTranslation(t.GetProperty("language").GetString()!, t.GetProperty("msgid").GetString()!, t.GetProperty("msgstr").GetString()!));
        return all.DrainToImmutable();
    }
}
