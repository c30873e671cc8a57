namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>
/// One server message pgrant recognises, as the server's source writes it (its gettext msgid, e.g.
/// <c>permission denied for table %s</c>): the kind of error it reports, the object word it carries
/// (for the aclcheck forms), and which of its <c>%</c> arguments is the name it is about (1-based; 0 when
/// it names nothing). Translations are looked up by <see cref="MsgId"/>, so one template reads the
/// message in every language the server ships.
/// </summary>
/// <param name="MsgId">The English message format, exactly as in PostgreSQL's source (printf conversions).</param>
/// <param name="Kind">The kind of permission error it reports.</param>
/// <param name="ObjectWord">The server's word for the object's kind, or null when the form has none.</param>
/// <param name="NameArgument">Which conversion (1-based) is the name the error is about; 0 for none.</param>
/// <param name="Majors">The first and last server major that prints it (13 and 18 when every supported one does).</param>
internal sealed record MessageTemplate(string MsgId, PermissionErrorKind Kind, string? ObjectWord, int NameArgument, (int First, int Last) Majors)
{
    /// <summary>Every supported major.</summary>
    public static readonly (int, int) All = (13, 18);
}
