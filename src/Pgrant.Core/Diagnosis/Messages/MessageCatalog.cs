using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>One translation of a server message: the language and the translated format (msgstr).</summary>
/// <param name="Language">The catalog's language code as PostgreSQL names it ("de", "zh_CN").</param>
/// <param name="MsgId">The English format.</param>
/// <param name="MsgStr">The translated format, with the same conversions (possibly reordered as <c>%2$s</c>).</param>
public sealed record MessageTranslation(string Language, string MsgId, string MsgStr);

/// <summary>A server message recognised in a text: which template, in which language, its arguments, and where it stood.</summary>
/// <param name="Template">The template that matched.</param>
/// <param name="Language">"en", or the language of the translation that matched.</param>
/// <param name="Arguments">The conversions' values in the English order (index 0 is %1).</param>
/// <param name="Index">Where the message starts in the text.</param>
/// <param name="Length">How long the message is (its last argument may still carry what a paste appended).</param>
internal sealed record MessageMatch(MessageTemplate Template, string Language, ImmutableArray<string> Arguments, int Index, int Length);

/// <summary>
/// Recognises the server messages of <see cref="MessageTemplates"/> in English and in every translation
/// given to it: each format becomes a pattern whose conversions capture the arguments. A bare argument at
/// the end of a message captures to the end of the text; the caller cuts what a paste appended.
/// </summary>
internal sealed partial class MessageCatalog
{
    private readonly ImmutableArray<Pattern> _patterns;
    private readonly SearchValues<string> _anchors;

    /// <summary>The catalog of English messages and the translations built into pgrant.</summary>
    public static MessageCatalog Default { get; } = new(MessageTranslations.BuiltIn);

    /// <summary>The languages with at least one translated template, "en" first.</summary>
    public ImmutableArray<string> Languages { get; }

    public MessageCatalog(IEnumerable<MessageTranslation> translations)
    {
        ArgumentNullException.ThrowIfNull(translations);
        var byId = MessageTemplates.All.ToDictionary(t => t.MsgId, StringComparer.Ordinal);
        var patterns = ImmutableArray.CreateBuilder<Pattern>();
        foreach (var t in MessageTemplates.All)
            if (Pattern.Of(t, "en", t.MsgId) is { } english) patterns.Add(english);
        var languages = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tr in translations)
        {
            if (!byId.TryGetValue(tr.MsgId, out var template) || tr.MsgStr.Length == 0) continue;
            var pattern = Pattern.Of(template, tr.Language, tr.MsgStr);
            if (pattern is null) continue;
            patterns.Add(pattern);
            languages.Add(tr.Language);
        }
        _patterns = patterns.ToImmutable();
        _anchors = SearchValues.Create([.. _patterns.Select(p => p.Anchor).Distinct(StringComparer.Ordinal)], StringComparison.Ordinal);
        Languages = ["en", .. languages];
    }

    /// <summary>The first template (in <see cref="MessageTemplates.All"/> order, English before translations) found in <paramref name="text"/>.</summary>
    public MessageMatch? Match(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny(_anchors) < 0) return null;
        MessageMatch? best = null;
        foreach (var p in _patterns)
        {
            if (text.IndexOf(p.Anchor, StringComparison.Ordinal) < 0) continue;
            var m = p.Regex.Match(text);
            if (!m.Success) continue;
            var args = ImmutableArray.CreateBuilder<string>(p.Count);
            for (var i = 1; i <= p.Count; i++) args.Add(m.Groups["a" + i.ToString(CultureInfo.InvariantCulture)].Value);
            var found = new MessageMatch(p.Template, p.Language, args.MoveToImmutable(), m.Index, m.Length);
            // Templates are ordered most specific first; among languages the earliest position wins.
            if (best is null || found.Index < best.Index) best = found;
            if (p.Language == "en") return best;
        }
        return best;
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
    private sealed record Pattern(MessageTemplate Template, string Language, Regex Regex, string Anchor, int Count)
    {
        /// <summary>
        /// The pattern of <paramref name="format"/>: literal text matched as is, each conversion (<c>%s</c>,
        /// <c>%u</c>, <c>%d</c>, or positional <c>%2$s</c>) captured; null when the format has a conversion
        /// pgrant does not read.
        /// </summary>
        public static Pattern? Of(MessageTemplate template, string language, string format)
        {
            var regex = new StringBuilder();
            var anchor = "";
            var literal = new StringBuilder();
            var next = 1;
            var count = 0;
            var conversions = Conversion().Matches(format);
            var at = 0;
            for (var c = 0; c < conversions.Count; c++)
            {
                var conversion = conversions[c];
                literal.Append(format, at, conversion.Index - at);
                FlushLiteral();
                if (conversion.Value == "%%") { regex.Append('%'); literal.Append('%'); at = conversion.Index + conversion.Length; continue; }
                var position = conversion.Groups["pos"].Success ? int.Parse(conversion.Groups["pos"].Value, CultureInfo.InvariantCulture) : next++;
                count = Math.Max(count, position);
                var last = conversion.Index + conversion.Length == format.Length;
                var name = "a" + position.ToString(CultureInfo.InvariantCulture);
                regex.Append(conversion.Groups["type"].Value switch
                {
                    "u" or "d" => $"(?<{name}>[0-9]+)",
                    _ => last ? $"(?<{name}>.+)" : $"(?<{name}>.+?)",
                });
                at = conversion.Index + conversion.Length;
            }
            literal.Append(format, at, format.Length - at);
            FlushLiteral();
            if (anchor.Length == 0) return null;
            return new Pattern(template, language, new Regex(regex.ToString(), RegexOptions.CultureInvariant), anchor, count);

            void FlushLiteral()
            {
                if (literal.Length == 0) return;
                var text = literal.ToString();
                regex.Append(Regex.Escape(text));
                if (text.Trim().Length > anchor.Length) anchor = text.Trim();
                literal.Clear();
            }
        }
    }

    [GeneratedRegex(@"%(?:(?<pos>[0-9]+)\$)?(?<type>[sud])|%%")]
    private static partial Regex Conversion();
}
