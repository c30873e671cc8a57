using Pgrant.Core.Diagnosis;

namespace Pgrant.Cli.Rendering;

/// <summary>What can be said about a permission error without a server: the object, the likely privilege, and how to go further.</summary>
internal sealed record OfflineDiagnosis(string Kind, string Object, string Likely, string Next)
{
    public static OfflineDiagnosis Decode(PermissionError error, string? statement)
    {
        var likely = error.Kind switch
        {
            PermissionErrorKind.DatabaseConnect => "CONNECT on the database",
            PermissionErrorKind.TemporaryTables => "TEMPORARY on the database",
            PermissionErrorKind.SetRole or PermissionErrorKind.MemberOfRole => "membership in the role (with SET on 16+)",
            PermissionErrorKind.RowLevelSecurity => "a row-level security policy that admits the row (not a GRANT)",
            PermissionErrorKind.MustBeOwner => "ownership of the object (or the owner's privileges through membership)",
            _ => error.ObjectWord switch
            {
                "sequence" => "USAGE on the sequence (nextval(), e.g. a serial column's default, needs USAGE or UPDATE; table grants never reach sequences)",
                "schema" => "USAGE on the schema (or CREATE, to create objects in it)",
                "database" => "CREATE on the database",
                "function" or "procedure" or "routine" or "aggregate" => "EXECUTE on the routine",
                "type" or "domain" or "language" => "USAGE on the " + error.ObjectWord,
                _ => "a privilege on the " + error.ObjectWord + " (which one depends on the statement: SELECT for WHERE/RETURNING, INSERT, UPDATE, DELETE; a missing column privilege is reported as the table)",
            },
        };
        var stmt = statement is null ? "" : " --statement '…'";
        var next = $"Run against the database to get the exact fix: pgrant explain '{error.Message}' --role ROLE{stmt} -d postgres://USER@HOST:PORT/DB";
        return new OfflineDiagnosis(error.ObjectWord ?? error.Kind.ToString(), error.ObjectName, likely, next);
    }
}
