using System.Globalization;
using System.Text.RegularExpressions;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Diagnosis.Messages;
using Xunit.Abstractions;

namespace Pgrant.Core.Tests.Diagnosis;

/// <summary>
/// The translations built into Pgrant.Core (derived at build time from PostgreSQL's catalogs): every
/// translated template reads back from a message the server would print from that msgstr.
/// </summary>
public sealed partial class TranslatedMessageTests(ITestOutputHelper output)
{
    /// <summary>Spaces, both quotes, letters outside ASCII and CJK: the server prints names as they are, even inside its own quotes.</summary>
    private const string HostileName = "o'Brien \"Größe\" 表 ü";

    /// <summary>The languages the issue asks for at least.</summary>
    public static readonly TheoryData<string> Required = new(["de", "es", "fr", "ja", "ru", "zh_CN"]);

    /// <summary>Every language with a translated template.</summary>
    public static TheoryData<string> Languages => new(new MessageCatalog(MessageTranslations.BuiltIn).Languages.Where(l => l != "en"));

    private static IEnumerable<(MessageTemplate Template, MessageTranslation Translation)> TranslatedTemplates(string language)
    {
        var templates = MessageTemplates.All.ToDictionary(t => t.MsgId, StringComparer.Ordinal);
        return MessageTranslations.BuiltIn
            .Where(t => t.Language == language && templates.ContainsKey(t.MsgId))
            .Select(t => (templates[t.MsgId], t));
    }

    /// <summary>The message the server prints from <paramref name="format"/> with the name as the template's name argument.</summary>
    private static string Format(MessageTemplate template, string format, string name)
    {
        var next = 1;
        return Conversion().Replace(format, c =>
        {
            if (c.Value == "%%") return "%";
            var position = c.Groups["pos"].Success ? int.Parse(c.Groups["pos"].Value, CultureInfo.InvariantCulture) : next++;
            if (c.Groups["type"].Value is "u" or "d") return "42";
            return position == template.NameArgument ? name : $"other{position}";
        });
    }

    [Theory, MemberData(nameof(Required))]
    public void The_required_languages_are_built_in(string language) =>
        Assert.Contains(language, new MessageCatalog(MessageTranslations.BuiltIn).Languages);

    [Theory, MemberData(nameof(Languages))]
    public void Every_translated_template_reads_its_kind_name_and_language(string language)
    {
        var translated = TranslatedTemplates(language).ToList();
        // Templates whose translations are the same text in this language (a catalog that translated two
        // msgids alike): the server prints the same words for both, so either reading is the server's.
        var alike = translated.GroupBy(t => t.Translation.MsgStr, StringComparer.Ordinal)
            .Where(g => g.Count() > 1).ToDictionary(g => g.Key, g => g.Select(t => t.Template).ToList(), StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var (template, translation) in translated)
        {
            var message = Format(template, translation.MsgStr, HostileName);
            var e = PermissionErrorParser.TryParse(message);
            var expected = alike.TryGetValue(translation.MsgStr, out var same) ? same : [template];
            var ok = e is not null && e.Language == language
                && expected.Any(t => e.Kind == t.Kind && e.ObjectWord == t.ObjectWord && e.MessageId == t.MsgId)
                && e.ObjectName == (template.NameArgument == 0 ? "" : HostileName);
            if (!ok)
                failures.Add($"{template.MsgId} | {message} -> {(e is null ? "none" : $"{e.Kind} {e.ObjectWord} '{e.ObjectName}' {e.Language} {e.MessageId}")}");
        }
        output.WriteLine($"{language}: {translated.Count} of {MessageTemplates.All.Length} templates translated, {translated.Count - failures.Count} read back"
            + (alike.Count > 0 ? $"; translated alike: {string.Join("; ", alike.Values.Select(v => string.Join(" = ", v.Select(t => t.MsgId))))}" : ""));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.NotEmpty(translated);
    }

    [Theory, MemberData(nameof(Languages))]
    public void A_log_excerpt_in_the_language_reads_its_severity_detail_and_statement(string language)
    {
        var words = LabelWords(language);
        var (template, translation) = TranslatedTemplates(language).First(t => t.Template.Kind == PermissionErrorKind.PermissionDenied && t.Template.ObjectWord == "table");
        // The server's own log labels (postgres-*.mo) and psql's (libpq5-*.mo), each where translated.
        foreach (var detail in words.GetValueOrDefault("DETAIL", ["DETAIL"]))
        foreach (var statement in words.GetValueOrDefault("STATEMENT", ["STATEMENT"]))
        {
            var error = words.GetValueOrDefault("ERROR", ["ERROR"])[0];
            // The log appends the cursor position in the same language (" bei Zeichen 15", " (символ 15)").
            var position = MessageTranslations.BuiltIn.FirstOrDefault(t => t.Language == language && t.MsgId == " at character %d")?.MsgStr ?? " at character %d";
            var text = $"2026-01-01 10:00:00.000 UTC [42] app@db {error}:  {Format(template, translation.MsgStr, HostileName)}{position.Replace("%d", "15", StringComparison.Ordinal)}\n"
                + $"2026-01-01 10:00:00.000 UTC [42] app@db {detail}:  the detail\n"
                + $"2026-01-01 10:00:00.000 UTC [42] app@db {statement}:  SELECT 1";
            var e = PermissionErrorParser.Parse(text);
            Assert.Equal(("ERROR", PermissionErrorKind.PermissionDenied, "table", HostileName, language), (e.Severity, e.Kind, e.ObjectWord, e.ObjectName, e.Language));
            Assert.Equal("the detail", e.Detail);
            Assert.Equal("SELECT 1", e.Statement);
        }
    }

    [Fact]
    public void Prints_the_coverage_of_every_language()
    {
        var catalog = new MessageCatalog(MessageTranslations.BuiltIn);
        // The installed catalogs are 15's: a msgid only 16+ prints, or only 13–14 (or older) printed, has no translation there.
        var newer = MessageTemplates.All.Count(t => t.Majors.First > 15);
        var older = MessageTemplates.All.Count(t => t.Majors.Last < 15);
        output.WriteLine($"{MessageTemplates.All.Length} templates: {newer} only printed by 16+, {older} only by 14 or older");
        var total = 0;
        foreach (var language in catalog.Languages.Where(l => l != "en"))
        {
            var translated = TranslatedTemplates(language).Select(t => t.Template.MsgId).ToHashSet(StringComparer.Ordinal);
            total += translated.Count;
            var untranslated = MessageTemplates.All.Where(t => t.Majors.First <= 15 && t.Majors.Last >= 15 && !translated.Contains(t.MsgId)).Select(t => t.MsgId).ToList();
            output.WriteLine($"{language}: {translated.Count}/{MessageTemplates.All.Length} templates; of 15's, untranslated: {untranslated.Count}{(untranslated.Count > 0 ? " (" + string.Join("; ", untranslated) + ")" : "")}");
            Assert.NotEmpty(translated);
        }
        output.WriteLine($"(language, template) pairs: {total}");
    }

    [Theory]
    [InlineData("BŁĄD:  brak uprawnień do tabeli orders")] // Polish, a catalog PostgreSQL 15 does not ship
    [InlineData("ERRO:  permissão negada para tabela orders")] // Portuguese (Brazil), likewise
    [InlineData("HIBA:  nincs jogosultság a(z) orders táblához")] // Hungarian, never translated
    public void A_message_in_a_language_without_a_catalog_is_not_guessed(string text)
    {
        Assert.Null(PermissionErrorParser.TryParse(text));
        var e = Assert.Throws<PgrantException>(() => PermissionErrorParser.Parse(text));
        Assert.StartsWith("no PostgreSQL permission error found", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The label words of one language as its catalogs translate them, by English tag.</summary>
    private static Dictionary<string, List<string>> LabelWords(string language)
    {
        var tags = MessageLabels.MsgIds.ToDictionary(m => m.MsgId, m => m.Tag, StringComparer.Ordinal);
        return MessageTranslations.BuiltIn
            .Where(t => t.Language == language && tags.ContainsKey(t.MsgId) && MessageLabels.WordOf(t.MsgStr) is not null)
            .GroupBy(t => tags[t.MsgId])
            .ToDictionary(g => g.Key, g => g.Select(t => MessageLabels.WordOf(t.MsgStr)!).Distinct().ToList());
    }

    [GeneratedRegex(@"%(?:(?<pos>[0-9]+)\$)?(?<type>[sud])|%%")]
    private static partial Regex Conversion();
}
