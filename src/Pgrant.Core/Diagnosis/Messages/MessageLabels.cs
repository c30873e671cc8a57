using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>
/// The words around a server message in a paste: the severity (<c>ERROR</c>, <c>FATAL</c> …, which the
/// server translates and psql prints as it receives it) and the labels of the lines after it
/// (<c>DETAIL:</c>, <c>HINT:</c>, <c>CONTEXT:</c>, <c>STATEMENT:</c>, <c>QUERY:</c>). Server logs take
/// the labels from the server's catalog (<c>postgres-*.mo</c>), psql from libpq's (<c>libpq5-*.mo</c>),
/// and the two translate some differently; both are derived from the catalogs like the messages.
/// </summary>
internal sealed class MessageLabels
{
    /// <summary>The msgids of the labels, with the English tag each one stands for.</summary>
    public static readonly ImmutableArray<(string MsgId, string Tag)> MsgIds =
    [
        // The server's severities (elog.c error_severity) and log line labels (send_message_to_server_log).
        ("ERROR", "ERROR"), ("FATAL", "FATAL"), ("PANIC", "PANIC"), ("WARNING", "WARNING"),
        ("DETAIL:  ", "DETAIL"), ("HINT:  ", "HINT"), ("CONTEXT:  ", "CONTEXT"), ("STATEMENT:  ", "STATEMENT"), ("QUERY:  ", "QUERY"),
        // libpq's labels of the fields it prints after the message (fe-protocol3.c pqBuildErrorMessage3).
        ("DETAIL:  %s\n", "DETAIL"), ("HINT:  %s\n", "HINT"), ("CONTEXT:  %s\n", "CONTEXT"), ("QUERY:  %s\n", "QUERY"),
        // What the server log appends to a message with a cursor position (elog.c).
        (PositionMsgId, "POSITION"),
    ];

    private const string PositionMsgId = " at character %d";

    /// <summary>The severities a permission error is printed with.</summary>
    public static readonly ImmutableArray<string> Severities = ["ERROR", "FATAL", "PANIC", "WARNING"];

    private static readonly Dictionary<string, string> TagOfMsgId = MsgIds.ToDictionary(m => m.MsgId, m => m.Tag, StringComparer.Ordinal);

    /// <summary>The labels of the translations built into pgrant.</summary>
    public static MessageLabels Default { get; } = new(MessageTranslations.BuiltIn);

    private readonly Dictionary<string, string> _tagOfWord = new(StringComparer.Ordinal);

    public MessageLabels(IEnumerable<MessageTranslation> translations)
    {
        ArgumentNullException.ThrowIfNull(translations);
        foreach (var (_, tag) in MsgIds) _tagOfWord[tag] = tag;
        var positions = new SortedSet<string>(StringComparer.Ordinal) { PositionMsgId };
        foreach (var t in translations)
        {
            if (t.MsgId == PositionMsgId && t.MsgStr.Contains("%d", StringComparison.Ordinal)) positions.Add(t.MsgStr);
            if (!TagOfMsgId.TryGetValue(t.MsgId, out var tag) || WordOf(t.MsgStr) is not { } word) continue;
            // A word that is another label's English tag (Japanese keeps "ERROR") stays that tag.
            _tagOfWord.TryAdd(word, tag);
        }
        SeverityPrefix = new Regex(@"^(?:.*?\b)?(?<sev>" + Alternation(Words([.. Severities])) + @"):\s+(?:[0-9A-Z]{5}:\s+)?", RegexOptions.CultureInvariant);
        SeverityBefore = new Regex(@"(?<sev>" + Alternation(Words([.. Severities])) + @")(?:\s+[0-9A-Z]{5})?\s?[:：]\s*(?:[0-9A-Z]{5}:\s+)?$", RegexOptions.CultureInvariant);
        FollowLine = new Regex(@"^(?:.*?\s)?(?<tag>" + Alternation(Words("DETAIL", "STATEMENT", "HINT", "CONTEXT", "ERROR", "FATAL")) + @")\s?:\s+(?<value>.*)$", RegexOptions.CultureInvariant);

        Position = "(?:" + string.Join('|', positions.Select(p => Regex.Escape(p.Trim()).Replace("%d", "[0-9]+", StringComparison.Ordinal))) + ")";
        PositionSuffix = new Regex(@"\s*" + Position + @"\s*$", RegexOptions.CultureInvariant);

        static string Alternation(ImmutableArray<string> words) => string.Join('|', words.Select(Regex.Escape));
    }

    /// <summary>
    /// A severity and what a log or driver put before it, at the start of a line ("FEHLER:  ",
    /// "2024-01-01 … ERROR:  42501: "); group <c>sev</c> is the word as printed.
    /// </summary>
    public Regex SeverityPrefix { get; }

    /// <summary>A severity in any language right before a message, at the end of what precedes it ("FEHLER:  ", "ERREUR 42501: "); group <c>sev</c>.</summary>
    public Regex SeverityBefore { get; }

    /// <summary>A labelled line after the message ("DETAIL:  …", "DÉTAIL : …", "ANWEISUNG:  …"); groups <c>tag</c> (as printed) and <c>value</c>.</summary>
    public Regex FollowLine { get; }

    /// <summary>The cursor position a server log appends to a message, in any language (" at character 15", " bei Zeichen 15", " (символ 15)").</summary>
    public Regex PositionSuffix { get; }

    /// <summary>The pattern of a cursor position in any language, without what surrounds it.</summary>
    public string Position { get; }

    /// <summary><paramref name="text"/> without a cursor position at its end.</summary>
    public string WithoutPosition(string text) => PositionSuffix.Replace(text, "").TrimEnd();

    /// <summary>True for the msgid of a label.</summary>
    public static bool IsLabel(string msgId) => TagOfMsgId.ContainsKey(msgId);

    /// <summary>Every word (English and translated) that stands for one of <paramref name="tags"/>, longest first.</summary>
    public ImmutableArray<string> Words(params ReadOnlySpan<string> tags)
    {
        var wanted = tags.ToArray();
        return [.. _tagOfWord.Where(w => wanted.Contains(w.Value, StringComparer.Ordinal)).Select(w => w.Key)
            .OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal)];
    }

    /// <summary>The English tag of a label word in any language ("FEHLER" → "ERROR"); null when it is none.</summary>
    public string? TagOf(string word) => _tagOfWord.GetValueOrDefault(word);

    /// <summary>
    /// The label word of a translated msgstr: "DÉTAIL : %s\n" → "DÉTAIL", "FEHLER" → "FEHLER"; null when
    /// nothing is left or the translation carries a conversion elsewhere.
    /// </summary>
    public static string? WordOf(string msgStr)
    {
        var word = msgStr.Trim();
        if (word.EndsWith("%s", StringComparison.Ordinal)) word = word[..^2].TrimEnd();
        if (word.Length > 0 && word[^1] is ':' or '：') word = word[..^1].TrimEnd();
        return word.Length == 0 || word.Contains('%', StringComparison.Ordinal) || word.Contains('\n', StringComparison.Ordinal) ? null : word;
    }
}
