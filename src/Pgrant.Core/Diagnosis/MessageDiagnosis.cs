using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// What a permission error says on its own, without a catalog: the privilege it most likely needs. The
/// CLI prints it when no server is named; a library falls back to it when the catalog cannot be read,
/// so a caller always gets an answer rather than a second exception.
/// </summary>
public static class MessageDiagnosis
{
    /// <summary>The privilege (or other requirement) the error most likely means, in plain words.</summary>
    public static string LikelyNeed(PermissionError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Kind switch
        {
            PermissionErrorKind.DatabaseConnect => "CONNECT on the database",
            PermissionErrorKind.TemporaryTables => "TEMPORARY on the database",
            PermissionErrorKind.SetRole or PermissionErrorKind.MemberOfRole => "membership in the role (with SET on 16+)",
            PermissionErrorKind.RowLevelSecurity => "a row-level security policy that admits the row (not a GRANT)",
            PermissionErrorKind.MustBeOwner => "ownership of the object (or the owner's privileges through membership)",
            PermissionErrorKind.RoleAttribute => "a role attribute (CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS), not a GRANT",
            PermissionErrorKind.Superuser => "a superuser: no GRANT allows it",
            PermissionErrorKind.PredefinedRole => "membership in a predefined role (pg_read_server_files, pg_signal_backend, pg_checkpoint …)",
            PermissionErrorKind.Parameter => "SET or ALTER SYSTEM on the parameter (GRANT … ON PARAMETER on 15+), or a superuser",
            PermissionErrorKind.Extension => "CREATE on the database for a trusted extension, or a superuser for an untrusted one",
            PermissionErrorKind.RoleAdmin => "the ADMIN option on the role (or the privileges of the grantor)",
            PermissionErrorKind.RoleObjects => "the privileges of the role whose objects or grants are changed",
            PermissionErrorKind.Maintenance => "ownership of the table or database (MAINTAIN or pg_maintain on 17+)",
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
    }

    /// <summary>
    /// The diagnosis of <paramref name="error"/> from its message alone, because the catalog could not be
    /// read (<paramref name="whyNotRead"/>, said in a note): no fix statement, since the object's schema,
    /// owner and grants are unknown.
    /// </summary>
    public static Diagnosis Of(PermissionError error, string role, string whyNotRead)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(whyNotRead);
        return new Diagnosis
        {
            KindWord = error.ObjectWord ?? "",
            Kind = error.ObjectKind,
            Role = role,
            Cause = $"from the message alone: it most likely needs {LikelyNeed(error)}" +
                    (error.ObjectName.Length == 0 ? "." : $" ({error.ObjectWord ?? "object"} {error.ObjectName})."),
            Notes = [Note.Info($"The catalog could not be read, so there is no exact fix: {whyNotRead}")],
        };
    }

    /// <summary>
    /// The diagnosis of a permission error whose message pgrant does not recognise (the server's words are
    /// repeated, nothing is guessed).
    /// </summary>
    public static Diagnosis Unrecognised(string message, string role)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(role);
        return new Diagnosis
        {
            KindWord = "",
            Role = role,
            Cause = $"pgrant does not recognise this permission error, so it cannot name the missing privilege; the server says: {message}",
        };
    }
}
