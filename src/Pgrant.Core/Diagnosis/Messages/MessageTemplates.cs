using System.Collections.Immutable;

namespace Pgrant.Core.Diagnosis.Messages;

/// <summary>
/// The server messages pgrant recognises, in the server's own English (msgids of PostgreSQL 13–18's
/// backend). Listed once here; their translations come from PostgreSQL's message catalogs
/// (<see cref="MessageCatalog"/>), never written by hand.
/// </summary>
internal static class MessageTemplates
{
    /// <summary>Object words of "permission denied for &lt;word&gt; %s" (aclcheck_error, every major).</summary>
    private static readonly string[] DeniedWords =
    [
        "aggregate", "collation", "column", "conversion", "database", "domain", "event trigger", "extension",
        "foreign server", "foreign table", "foreign-data wrapper", "function", "index", "language", "large object",
        "materialized view", "operator", "operator class", "operator family", "parameter", "policy", "procedure",
        "publication", "routine", "schema", "sequence", "statistics object", "subscription", "table", "tablespace",
        "text search configuration", "text search dictionary", "type", "view",
    ];

    /// <summary>Every template, most specific first (a quoted database form before the bare word form).</summary>
    public static readonly ImmutableArray<MessageTemplate> All = Build();

    private static ImmutableArray<MessageTemplate> Build()
    {
        var all = ImmutableArray.CreateBuilder<MessageTemplate>();
        void Add(string msgId, PermissionErrorKind kind, string? word, int name, (int, int)? majors = null) =>
            all.Add(new MessageTemplate(msgId, kind, word, name, majors ?? MessageTemplate.All));

        // Database CONNECT is FATAL at login and quotes the name; TEMPORARY has its own form.
        Add("permission denied for database \"%s\"", PermissionErrorKind.DatabaseConnect, "database", 1);
        Add("permission denied to create temporary tables in database \"%s\"", PermissionErrorKind.TemporaryTables, "database", 1);
        Add("permission denied to set role \"%s\"", PermissionErrorKind.SetRole, "role", 1);
        Add("must be able to SET ROLE \"%s\"", PermissionErrorKind.SetRole, "role", 1, (16, 18));
        Add("must be member of role \"%s\"", PermissionErrorKind.MemberOfRole, "role", 1, (13, 15));
        Add("new row violates row-level security policy for table \"%s\"", PermissionErrorKind.RowLevelSecurity, "table", 1);
        Add("new row violates row-level security policy \"%s\" for table \"%s\"", PermissionErrorKind.RowLevelSecurity, "table", 2);
        // A column privilege check that fails on one named column (e.g. GRANT with grant option).
        Add("permission denied for column \"%s\" of relation \"%s\"", PermissionErrorKind.PermissionDenied, "table", 2);
        Add("must be owner of type %s or type %s", PermissionErrorKind.MustBeOwner, "type", 1);
        // aclcheck_error: the name is printed bare (unquoted), so it runs to the end of the message.
        foreach (var word in DeniedWords)
            Add($"permission denied for {word} %s", PermissionErrorKind.PermissionDenied, word, 1);
        foreach (var word in DeniedWords)
            Add($"must be owner of {word} %s", PermissionErrorKind.MustBeOwner, word, 1);
        Add("must be owner of relation %s", PermissionErrorKind.MustBeOwner, "relation", 1);
        // Servers before 11 said "relation" for every table-like object; old pastes still carry it.
        Add("permission denied for relation %s", PermissionErrorKind.PermissionDenied, "relation", 1, (9, 10));

        // Role attributes: CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS.
        Add("permission denied to create database", PermissionErrorKind.RoleAttribute, null, 0);
        Add("permission denied to copy database \"%s\"", PermissionErrorKind.RoleAttribute, "database", 1);
        Add("permission denied to rename database", PermissionErrorKind.RoleAttribute, "database", 0);
        Add("permission denied to change owner of database", PermissionErrorKind.RoleAttribute, "database", 0);
        Add("permission denied to create role", PermissionErrorKind.RoleAttribute, null, 0);
        Add("permission denied to alter role", PermissionErrorKind.RoleAttribute, null, 0, (16, 18));
        Add("permission denied to drop role", PermissionErrorKind.RoleAttribute, null, 0);
        Add("permission denied to rename role", PermissionErrorKind.RoleAttribute, null, 0);
        Add("must have CREATEROLE privilege", PermissionErrorKind.RoleAttribute, null, 0, (13, 15));
        Add("must be superuser or replication role to use replication slots", PermissionErrorKind.RoleAttribute, null, 0, (13, 15));
        Add("must be superuser or replication role to start walsender", PermissionErrorKind.RoleAttribute, null, 0, (13, 15));
        Add("permission denied to use replication slots", PermissionErrorKind.RoleAttribute, null, 0, (16, 18));
        Add("permission denied to start WAL sender", PermissionErrorKind.RoleAttribute, null, 0, (16, 18));
        Add("must be superuser to change bypassrls attribute", PermissionErrorKind.RoleAttribute, null, 0, (13, 15));

        // Predefined roles.
        // Servers before 11 allowed COPY with a file to superusers only; old pastes still carry it.
        Add("must be superuser to COPY to or from a file", PermissionErrorKind.PredefinedRole, null, 0, (9, 10));
        Add("must be superuser or a member of the pg_read_server_files role to COPY from a file", PermissionErrorKind.PredefinedRole, null, 0, (13, 14));
        Add("must be superuser or a member of the pg_write_server_files role to COPY to a file", PermissionErrorKind.PredefinedRole, null, 0, (13, 14));
        Add("must be superuser or a member of the pg_execute_server_program role to COPY to or from an external program", PermissionErrorKind.PredefinedRole, null, 0, (13, 14));
        Add("must be superuser or have privileges of the pg_read_server_files role to COPY from a file", PermissionErrorKind.PredefinedRole, null, 0, (15, 15));
        Add("must be superuser or have privileges of the pg_write_server_files role to COPY to a file", PermissionErrorKind.PredefinedRole, null, 0, (15, 15));
        Add("must be superuser or have privileges of the pg_execute_server_program role to COPY to or from an external program", PermissionErrorKind.PredefinedRole, null, 0, (15, 15));
        Add("permission denied to COPY from a file", PermissionErrorKind.PredefinedRole, null, 0, (16, 18));
        Add("permission denied to COPY to a file", PermissionErrorKind.PredefinedRole, null, 0, (16, 18));
        Add("permission denied to COPY to or from an external program", PermissionErrorKind.PredefinedRole, null, 0, (16, 18));
        Add("must be a member of the role whose query is being canceled or member of pg_signal_backend", PermissionErrorKind.PredefinedRole, null, 0, (13, 15));
        Add("must be a member of the role whose process is being terminated or member of pg_signal_backend", PermissionErrorKind.PredefinedRole, null, 0, (13, 15));
        Add("permission denied to cancel query", PermissionErrorKind.PredefinedRole, null, 0, (16, 18));
        Add("permission denied to terminate process", PermissionErrorKind.PredefinedRole, null, 0, (16, 18));
        Add("must be superuser to do CHECKPOINT", PermissionErrorKind.PredefinedRole, null, 0, (13, 14));
        Add("must be superuser or have privileges of pg_checkpoint to do CHECKPOINT", PermissionErrorKind.PredefinedRole, null, 0, (15, 15));
        Add("permission denied to execute %s command", PermissionErrorKind.PredefinedRole, null, 0, (16, 18));
        Add("must be superuser or a member of pg_read_all_settings to examine \"%s\"", PermissionErrorKind.PredefinedRole, "parameter", 1, (13, 14));
        Add("must be superuser or have privileges of pg_read_all_settings to examine \"%s\"", PermissionErrorKind.PredefinedRole, "parameter", 1, (15, 15));
        Add("permission denied to examine \"%s\"", PermissionErrorKind.PredefinedRole, "parameter", 1, (16, 18));
        Add("must be superuser to create subscriptions", PermissionErrorKind.Superuser, null, 0, (13, 15));
        Add("permission denied to create subscription", PermissionErrorKind.PredefinedRole, null, 0, (16, 18));
        Add("must be superuser or a role with privileges of the pg_write_server_files role to create backup stored on server", PermissionErrorKind.PredefinedRole, null, 0, (15, 15));
        Add("permission denied to create backup stored on server", PermissionErrorKind.PredefinedRole, null, 0, (16, 18));

        // Parameters.
        Add("permission denied to set parameter \"%s\"", PermissionErrorKind.Parameter, "parameter", 1);
        Add("permission denied to perform ALTER SYSTEM RESET ALL", PermissionErrorKind.Parameter, null, 0, (15, 18));
        Add("permission denied to alter setting", PermissionErrorKind.Parameter, null, 0, (16, 18));
        Add("must be superuser to alter settings globally", PermissionErrorKind.Parameter, null, 0, (13, 15));
        Add("must be superuser to execute ALTER SYSTEM command", PermissionErrorKind.Parameter, null, 0, (13, 14));

        // Extensions.
        Add("permission denied to create extension \"%s\"", PermissionErrorKind.Extension, "extension", 1);
        Add("permission denied to update extension \"%s\"", PermissionErrorKind.Extension, "extension", 1);

        // Membership administration and grantors.
        Add("must have admin option on role \"%s\"", PermissionErrorKind.RoleAdmin, "role", 1, (13, 15));
        Add("permission denied to grant role \"%s\"", PermissionErrorKind.RoleAdmin, "role", 1, (16, 18));
        Add("permission denied to revoke role \"%s\"", PermissionErrorKind.RoleAdmin, "role", 1, (16, 18));
        Add("permission denied to grant privileges as role \"%s\"", PermissionErrorKind.RoleAdmin, "role", 1, (16, 18));
        Add("permission denied to revoke privileges granted by role \"%s\"", PermissionErrorKind.RoleAdmin, "role", 1, (16, 18));
        Add("must be superuser to set grantor", PermissionErrorKind.RoleAdmin, null, 0, (13, 15));

        // What another role owns or grants.
        Add("permission denied to drop objects", PermissionErrorKind.RoleObjects, null, 0);
        Add("permission denied to reassign objects", PermissionErrorKind.RoleObjects, null, 0);
        Add("permission denied to change default privileges", PermissionErrorKind.RoleObjects, null, 0, (16, 18));

        // Maintenance commands that skip what the role may not maintain (warnings).
        Add("permission denied to vacuum \"%s\", skipping it", PermissionErrorKind.Maintenance, "table", 1, (16, 18));
        Add("permission denied to analyze \"%s\", skipping it", PermissionErrorKind.Maintenance, "table", 1, (16, 18));
        Add("permission denied to cluster \"%s\", skipping it", PermissionErrorKind.Maintenance, "table", 1, (17, 18));
        Add("skipping \"%s\" --- only superuser or database owner can vacuum it", PermissionErrorKind.Maintenance, "table", 1, (13, 15));
        Add("skipping \"%s\" --- only superuser or database owner can analyze it", PermissionErrorKind.Maintenance, "table", 1, (13, 15));
        Add("skipping \"%s\" --- only superuser can vacuum it", PermissionErrorKind.Maintenance, "table", 1, (13, 15));
        Add("skipping \"%s\" --- only superuser can analyze it", PermissionErrorKind.Maintenance, "table", 1, (13, 15));
        Add("skipping \"%s\" --- only table or database owner can vacuum it", PermissionErrorKind.Maintenance, "table", 1, (13, 15));
        Add("skipping \"%s\" --- only table or database owner can analyze it", PermissionErrorKind.Maintenance, "table", 1, (13, 15));

        // Superuser only.
        Add("permission denied to set session authorization \"%s\"", PermissionErrorKind.Superuser, "role", 1);
        Add("permission denied to create event trigger \"%s\"", PermissionErrorKind.Superuser, "event trigger", 1);
        Add("permission denied to change owner of event trigger \"%s\"", PermissionErrorKind.Superuser, "event trigger", 1);
        Add("permission denied to create foreign-data wrapper \"%s\"", PermissionErrorKind.Superuser, "foreign-data wrapper", 1);
        Add("permission denied to alter foreign-data wrapper \"%s\"", PermissionErrorKind.Superuser, "foreign-data wrapper", 1);
        Add("permission denied to change owner of foreign-data wrapper \"%s\"", PermissionErrorKind.Superuser, "foreign-data wrapper", 1);
        Add("permission denied to change owner of publication \"%s\"", PermissionErrorKind.Superuser, "publication", 1);
        Add("permission denied to change owner of subscription \"%s\"", PermissionErrorKind.Superuser, "subscription", 1, (13, 15));
        Add("permission denied to create tablespace \"%s\"", PermissionErrorKind.Superuser, "tablespace", 1);
        Add("permission denied to create access method \"%s\"", PermissionErrorKind.Superuser, "access method", 1);
        Add("permission denied to create \"%s.%s\"", PermissionErrorKind.Superuser, null, 0);
        Add("permission denied to finish prepared transaction", PermissionErrorKind.Superuser, null, 0);
        Add("must be superuser to create superusers", PermissionErrorKind.Superuser, null, 0, (13, 15));
        Add("must be superuser to alter superusers", PermissionErrorKind.Superuser, null, 0, (13, 15));
        Add("must be superuser to drop superusers", PermissionErrorKind.Superuser, null, 0, (13, 15));
        Add("must be superuser to rename superusers", PermissionErrorKind.Superuser, null, 0, (13, 15));
        Add("must be superuser to create replication users", PermissionErrorKind.RoleAttribute, null, 0, (13, 15));
        Add("must be superuser to create bypassrls users", PermissionErrorKind.RoleAttribute, null, 0, (14, 15));
        Add("must be superuser to alter replication users", PermissionErrorKind.RoleAttribute, null, 0, (13, 13));
        Add("must be superuser to alter replication roles or change replication attribute", PermissionErrorKind.RoleAttribute, null, 0, (14, 15));
        Add("must be superuser to alter superuser roles or change superuser attribute", PermissionErrorKind.Superuser, null, 0, (14, 15));
        Add("must be superuser to call %s()", PermissionErrorKind.Superuser, "function", 1, (15, 18));
        Add("must be superuser to rename %s", PermissionErrorKind.Superuser, null, 0);
        Add("must be superuser to set schema of %s", PermissionErrorKind.Superuser, null, 0);
        // Any other "must be superuser to …" and the bare form, last (the specific forms above win).
        Add("must be superuser to %s", PermissionErrorKind.Superuser, null, 0);
        Add("must be superuser", PermissionErrorKind.Superuser, null, 0);
        return all.ToImmutable();
    }
}
