namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>The translations of the server's messages that pgrant carries.</summary>
internal static class MessageTranslations
{
    /// <summary>The translations built into this assembly (none yet: English only).</summary>
    public static IReadOnlyList<MessageTranslation> BuiltIn { get; } = [];
}
