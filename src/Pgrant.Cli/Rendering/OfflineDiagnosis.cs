using Pgrant.Core.Diagnosis;

namespace Pgrant.Cli.Rendering;

/// <summary>What can be said about a permission error without a server: the object, the likely privilege, and how to go further.</summary>
internal sealed record OfflineDiagnosis(string Kind, string Object, string Likely, string Next)
{
    public static OfflineDiagnosis Decode(PermissionError error, string? statement)
    {
        var likely = MessageDiagnosis.LikelyNeed(error);
        var stmt = statement is null ? "" : " --statement '…'";
        var next = $"Run against the database to get the exact fix: pgrant explain '{error.Message}' --role ROLE{stmt} -d postgres://USER@HOST:PORT/DB";
        return new OfflineDiagnosis(error.ObjectWord ?? error.Kind.ToString(), error.ObjectName, likely, next);
    }
}
