using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>A server message recognised in a text: which template, in which language, its arguments, and where it stood.</summary>
/// <param name="Template">The template that matched.</param>
/// <param name="Language">"en", or the language of the translation that matched.</param>
/// <param name="Arguments">The conversions' values in the English order (index 0 is %1).</param>
/// <param name="Index">Where the message starts in the text.</param>
/// <param name="Length">How long the message is (its last argument may still carry what a paste appended).</param>
/// <param name="NameAtEnd">
/// The name argument ends the format in this language (bare, so it captured to the end of the text and
/// the caller cuts what a paste appended); a translation may move it elsewhere (Korean puts it first).
/// </param>
internal sealed record MessageMatch(MessageTemplate Template, string Language, ImmutableArray<string> Arguments, int Index, int Length, bool NameAtEnd);

/// <summary>
/// Recognises the server messages of <see cref="MessageTemplates"/> in English and in every translation
/// given to it: each format becomes a pattern whose conversions capture the arguments. A bare argument at
/// the end of a message captures to the end of the text; the caller cuts what a paste appended. A bare
/// argument at the start (Korean and Japanese put the object first) starts at the start of the text or
/// after a ": " (what a driver or log prefix puts before the message), and holds no ": " itself.
/// </summary>
internal sealed partial class MessageCatalog
{
    private readonly ImmutableArray<Pattern> _patterns;
    private readonly ImmutableArray<Pattern> _multiLine;
    private readonly SearchValues<string> _anchors;

    /// <summary>The catalog of English messages and the translations built into pgrant.</summary>
    public static MessageCatalog Default { get; } = new(MessageTranslations.BuiltIn);

    /// <summary>The languages with at least one translated template, "en" first.</summary>
    public ImmutableArray<string> Languages { get; }

    public MessageCatalog(IEnumerable<MessageTranslation> translations)
    {
        ArgumentNullException.ThrowIfNull(translations);
        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in MessageTemplates.All) order.TryAdd(t.MsgId, order.Count);
        var patterns = new List<Pattern>();
        var translationList = translations as IReadOnlyCollection<MessageTranslation> ?? [.. translations];
        // Where a message ends its line: nothing more but what a server log appends (the cursor position).
        var lineEnd = $"(?=[ \\t]*{new MessageLabels(translationList).Position}?[ \\t]*(?:\\n|$))";
        foreach (var t in MessageTemplates.All)
            if (Pattern.Of(t, order[t.MsgId], "en", t.MsgId, lineEnd) is { } english) patterns.Add(english);
        var languages = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tr in translationList)
        {
            // An untranslated message, or a translation that is the English, adds nothing.
            if (!order.TryGetValue(tr.MsgId, out var rank) || tr.MsgStr.Length == 0 || tr.MsgStr == tr.MsgId) continue;
            var pattern = Pattern.Of(MessageTemplates.All[rank], rank, tr.Language, tr.MsgStr, lineEnd);
            if (pattern is null) continue;
            patterns.Add(pattern);
            languages.Add(tr.Language);
        }
        _patterns = [.. patterns];
        _multiLine = [.. patterns.Where(p => p.MultiLine)];
        _anchors = SearchValues.Create([.. _patterns.Select(p => p.Anchor).Distinct(StringComparer.Ordinal)], StringComparison.Ordinal);
        Languages = ["en", .. languages];
    }

    /// <summary>
    /// The template found in <paramref name="text"/>. When several match, the most specific wins (the one
    /// that matched the most literal text: "permission denied for foreign table %s" over "… table %s",
    /// "must be superuser to rename %s" over "must be superuser to %s", in every language), then the
    /// earliest, then English, then <see cref="MessageTemplates.All"/> order.
    /// </summary>
    /// <param name="text">The text to search.</param>
    /// <param name="acrossLines">
    /// Only the formats that break their message over lines (French does, for a few): for a caller that
    /// searched each line on its own and now joins a line with the next.
    /// </param>
    public MessageMatch? Match(string text, bool acrossLines = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny(_anchors) < 0) return null;
        MessageMatch? best = null;
        Pattern? bestPattern = null;
        foreach (var p in acrossLines ? _multiLine : _patterns)
        {
            if (text.IndexOf(p.Anchor, StringComparison.Ordinal) < 0) continue;
            var m = p.Regex.Match(text);
            if (!m.Success) continue;
            if (bestPattern is not null && !Better(p, m.Index, bestPattern, best!.Index)) continue;
            var args = ImmutableArray.CreateBuilder<string>(p.Count);
            for (var i = 1; i <= p.Count; i++) args.Add(m.Groups["a" + i.ToString(CultureInfo.InvariantCulture)].Value);
            best = new MessageMatch(p.Template, p.Language, args.MoveToImmutable(), m.Index, m.Length, p.NameAtEnd);
            bestPattern = p;
        }
        return best;

        static bool Better(Pattern p, int index, Pattern than, int thanIndex) =>
            p.Literal != than.Literal ? p.Literal > than.Literal
            : index != thanIndex ? index < thanIndex
            : (p.Language == "en") != (than.Language == "en") ? p.Language == "en"
            : p.Rank < than.Rank;
    }

    /// <summary>
    /// Where the first text that a known message needs stands in <paramref name="text"/> (the earliest
    /// literal part of any pattern), or -1 when no message can be in it: a quick skip over long pastes.
    /// </summary>
    public int FirstCandidate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().IndexOfAny(_anchors);
    }

    /// <summary>A template's format in one language, as a pattern.</summary>
    /// <param name="Template">The template.</param>
    /// <param name="Rank">The template's place in <see cref="MessageTemplates.All"/>.</param>
    /// <param name="Language">The format's language.</param>
    /// <param name="Source">The regular expression.</param>
    /// <param name="Anchor">The longest literal part: a text without it cannot match.</param>
    /// <param name="Count">How many arguments the format has.</param>
    /// <param name="Literal">How many characters of literal text the format has.</param>
    /// <param name="NameAtEnd">The name argument is the last thing in the format.</param>
    /// <param name="MultiLine">The format breaks its message over lines.</param>
    private sealed record Pattern(MessageTemplate Template, int Rank, string Language, string Source, string Anchor, int Count, int Literal, bool NameAtEnd, bool MultiLine)
    {
        // Built on first use: most patterns never meet a text holding their anchor.
        private Regex? _regex;

        public Regex Regex => _regex ??= new Regex(Source, RegexOptions.CultureInvariant);

        /// <summary>
        /// The pattern of <paramref name="format"/>: literal text matched as is, each conversion (<c>%s</c>,
        /// <c>%u</c>, <c>%d</c>, or positional <c>%2$s</c>) captured; null when the format has a conversion
        /// pgrant does not read or no literal text.
        /// </summary>
        public static Pattern? Of(MessageTemplate template, int rank, string language, string format, string lineEnd)
        {
            var regex = new StringBuilder();
            var anchor = "";
            var literal = new StringBuilder();
            var literalLength = 0;
            var next = 1;
            var count = 0;
            var nameAtEnd = false;
            var lastCapture = -1;
            var conversions = Conversion().Matches(format);
            // A conversion left once the readable ones are gone (%ld, %.*s, %m …).
            if (Conversion().Replace(format, "").Contains('%', StringComparison.Ordinal)) return null;
            var at = 0;
            for (var c = 0; c < conversions.Count; c++)
            {
                var conversion = conversions[c];
                literal.Append(format, at, conversion.Index - at);
                FlushLiteral();
                at = conversion.Index + conversion.Length;
                if (conversion.Value == "%%") { literal.Append('%'); continue; }
                var position = conversion.Groups["pos"].Success ? int.Parse(conversion.Groups["pos"].Value, CultureInfo.InvariantCulture) : next++;
                count = Math.Max(count, position);
                var first = conversion.Index == 0;
                var last = at == format.Length;
                nameAtEnd = last && position == template.NameArgument;
                var name = "a" + position.ToString(CultureInfo.InvariantCulture);
                lastCapture = regex.Length;
                regex.Append(conversion.Groups["type"].Value switch
                {
                    "u" or "d" => $"(?<{name}>[0-9]+)",
                    _ when first && last => $"(?<{name}>.+)",
                    _ when first => $"(?:^|(?<=:\\s+))(?<{name}>(?:(?!:\\s)\\S)(?:(?!:\\s).)*?)",
                    _ when last => $"(?<{name}>.+)",
                    _ => $"(?<{name}>.+?)",
                });
            }
            literal.Append(format, at, format.Length - at);
            FlushLiteral();
            if (anchor.Length == 0) return null;
            var source = regex.ToString();
            // The last argument when only literal text follows it ("%s" quoted at the end, or Japanese
            // "%s"の…): when the message ends its line, it runs to the last occurrence of that text, so
            // a name holding the quote itself ("Größe "Tab" 表") stays whole; otherwise (a paste appended
            // something) it stops at the first.
            if (lastCapture >= 0 && source.IndexOf("+?)", lastCapture, StringComparison.Ordinal) is var lazy and >= 0
                && source.IndexOf("(?<", lazy, StringComparison.Ordinal) < 0)
                source = $"(?:{source[..lazy]}+){source[(lazy + 3)..]}{lineEnd}|{source})";
            return new Pattern(template, rank, language, source, anchor, count, literalLength, nameAtEnd, format.Contains('\n', StringComparison.Ordinal));

            void FlushLiteral()
            {
                if (literal.Length == 0) return;
                var text = literal.ToString();
                // A line break in the format: the server log indents the next line with a tab.
                var lines = text.Split('\n');
                regex.AppendJoin(@"[ \t]*\n[ \t]*", lines.Select(Regex.Escape));
                literalLength += text.Length;
                foreach (var line in lines)
                    if (line.Trim().Length > anchor.Length) anchor = line.Trim();
                literal.Clear();
            }
        }
    }

    [GeneratedRegex(@"%(?:(?<pos>[0-9]+)\$)?(?<type>[sud])|%%")]
    private static partial Regex Conversion();
}
