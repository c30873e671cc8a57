namespace Pgrant.Core.Diagnosis;

/// <summary>The shapes of permission error the server reports, independent of the words used.</summary>
public enum PermissionErrorKind
{
    /// <summary>"permission denied for &lt;object word&gt; &lt;name&gt;" (SQLSTATE 42501).</summary>
    PermissionDenied,
    /// <summary>"must be owner of &lt;object word&gt; &lt;name&gt;".</summary>
    MustBeOwner,
    /// <summary>FATAL "permission denied for database "x"" with DETAIL "User does not have CONNECT privilege."</summary>
    DatabaseConnect,
    /// <summary>"permission denied to create temporary tables in database "x"".</summary>
    TemporaryTables,
    /// <summary>"permission denied to set role "x"" (SET ROLE) or 16+ "must be able to SET ROLE "x"".</summary>
    SetRole,
    /// <summary>≤15 "must be member of role "x"".</summary>
    MemberOfRole,
    /// <summary>"new row violates row-level security policy for table "t"".</summary>
    RowLevelSecurity,
    /// <summary>
    /// The command needs a role attribute no GRANT gives: CREATEDB ("permission denied to create database"),
    /// CREATEROLE (create, alter, drop, rename a role; on 16+ with the ADMIN option on it), REPLICATION, BYPASSRLS.
    /// </summary>
    RoleAttribute,
    /// <summary>Only a superuser may do it ("must be superuser to …", "permission denied to create event trigger …").</summary>
    Superuser,
    /// <summary>
    /// The command needs the privileges of a predefined role: COPY to or from a server file or program
    /// (pg_read_server_files, pg_write_server_files, pg_execute_server_program), signalling other sessions
    /// (pg_signal_backend), CHECKPOINT (pg_checkpoint, 15+), reading settings (pg_read_all_settings),
    /// CREATE SUBSCRIPTION (pg_create_subscription, 16+).
    /// </summary>
    PredefinedRole,
    /// <summary>Setting a parameter or ALTER SYSTEM: superuser, or on 15+ GRANT SET / ALTER SYSTEM ON PARAMETER.</summary>
    Parameter,
    /// <summary>CREATE or ALTER EXTENSION … UPDATE: trusted extensions need CREATE on the database; others a superuser.</summary>
    Extension,
    /// <summary>Granting or revoking membership in a role, or granting as another role: the ADMIN option (or privileges of the grantor on 16+).</summary>
    RoleAdmin,
    /// <summary>Acting on what another role owns or grants (DROP OWNED, REASSIGN OWNED, ALTER DEFAULT PRIVILEGES FOR ROLE): the privileges of that role.</summary>
    RoleObjects,
    /// <summary>VACUUM, ANALYZE or CLUSTER skipped a table (a warning on 16+): the owner, the database owner, or MAINTAIN / pg_maintain on 17+.</summary>
    Maintenance,
}
