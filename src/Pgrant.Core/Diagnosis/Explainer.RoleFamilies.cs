using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// The families about roles rather than objects: role attributes, superuser-only commands, predefined roles, role
/// administration and acting on another role's objects. Where no GRANT can do it, the diagnosis says so and gives
/// the real options (ALTER ROLE, membership in a predefined role, the ADMIN option).
/// </summary>
public sealed partial class Explainer
{
    // ---- role attributes ------------------------------------------------------------------------------------

    private Diagnosis ExplainRoleAttribute(PermissionError error, Role role, string? statement)
    {
        var form = Form(error);
        var v16 = snapshot.Version.Major >= 16;
        var d = new Diagnosis { KindWord = "role", Kind = ObjectKind.Role, Object = role.Name, Role = role.Name, Attempted = error.Message };
        if (form.Contains("copy database", StringComparison.Ordinal))
            return d with
            {
                Object = "",
                Cause = $"CREATE DATABASE … TEMPLATE {error.ObjectName} copies a database that is not marked as a template: only its owner (or a superuser) may copy it. This is not the CREATEDB attribute.",
                Notes = [Note.Advise($"Use a template the role may copy (template1, or a database marked ALTER DATABASE … IS_TEMPLATE true by its owner), or have the owner of {error.ObjectName} create the database.")],
            };
        if (form.StartsWith("must be superuser to", StringComparison.Ordinal))
            return SuperuserOnly(d, role, $"on PostgreSQL {snapshot.Version.Major} only a superuser may {form["must be superuser to ".Length..]} (no attribute or GRANT allows it).",
                [Note.Info("From PostgreSQL 16, a role with CREATEROLE and the attribute itself may give that attribute to roles it has the ADMIN option on.")]);

        // The attributes the server names (16+ DETAIL), else the one the message implies.
        var named = DetailAttribute.Matches(error.Detail ?? "").Select(m => m.Groups["a"].Value).Distinct().ToList();
        if (named.Count == 0)
        {
            // Most specific first: "must be superuser or replication role to use replication slots" is about REPLICATION,
            // not about creating roles.
            if (form.Contains("replication", StringComparison.OrdinalIgnoreCase) || form.Contains("WAL sender", StringComparison.Ordinal)) named.Add("REPLICATION");
            else if (form.Contains("bypassrls", StringComparison.OrdinalIgnoreCase)) named.Add("BYPASSRLS");
            else if (form.Contains("database", StringComparison.Ordinal)) named.Add("CREATEDB");
            else if (form.Contains("role", StringComparison.Ordinal) || form.Contains("CREATEROLE", StringComparison.Ordinal)) named.Add("CREATEROLE");
        }
        if (named.Contains("SUPERUSER"))
            return SuperuserOnly(d, role, $"the server says: {error.Detail ?? error.Message} Only a superuser may do this.", []);
        var adminOn = DetailAdminOn.Match(error.Detail ?? "") is { Success: true } m ? m.Groups["r"].Value.Replace("\"\"", "\"", StringComparison.Ordinal) : null;
        if (adminOn is null && v16 && role.CreateRole && named.SequenceEqual(["CREATEROLE"]) && TargetRoleOf(statement) is { } fromStatement)
            adminOn = fromStatement;   // 16+: CREATEROLE alone no longer reaches roles the role does not administer.

        var lacking = named.Where(a => !HasAttribute(role, a)).ToList();
        var attrs = new RoleAttributes(
            CreateDb: lacking.Contains("CREATEDB") ? true : null,
            CreateRole: lacking.Contains("CREATEROLE") ? true : null,
            Replication: lacking.Contains("REPLICATION") ? true : null,
            BypassRls: lacking.Contains("BYPASSRLS") ? true : null);
        var target = adminOn is null ? null : snapshot.RoleByName(adminOn);
        var needsAdmin = target is not null && !role.IsSuperuser && !snapshot.MembersOf(target.Oid).Any(x => x.Member == role.Oid && x.AdminOption);
        if (lacking.Count == 0 && !needsAdmin)
            return Allowed(d, $"{role.Name} has {string.Join(", ", named)} now{(target is null ? "" : $" and the ADMIN option on {target.Name}")}: it was given since the error, or the error came from another role.");

        var cause = lacking.Count == 0 ? "" :
            $"{role.Name} lacks the role attribute{(lacking.Count == 1 ? "" : "s")} {string.Join(", ", lacking)}: {string.Join("; ", lacking.Select(AttributeMeaning))}. Attributes are not privileges: no GRANT gives them, only ALTER ROLE (and they are never inherited through membership).";
        if (needsAdmin)
            cause += (cause.Length == 0 ? "" : " ") + $"From PostgreSQL 16, CREATEROLE reaches only the roles a role has the ADMIN option on; {role.Name} lacks it on {target!.Name}.";
        d = d with
        {
            Cause = cause,
            Missing = [.. lacking.Select(a => MissingAttribute(a, role)),
                .. needsAdmin ? [new MissingPrivilege(Requirement.AdminOption, Privilege.None, ObjectKind.Role, target!.Name, "from PostgreSQL 16 CREATEROLE reaches only roles held with the ADMIN option")] : Array.Empty<MissingPrivilege>()],
        };
        ImmutableArray<SqlStatement> alter = lacking.Count == 0 ? [] : [new AlterRoleAttributes(role.Name, attrs, $"lets {role.Name} {string.Join("; ", lacking.Select(AttributeMeaning))}")];
        var canAlter = AttributeGivers(role, lacking);
        // CREATEROLE before 16 lets a role grant itself membership in any non-superuser role; REPLICATION reads every
        // row through the WAL; BYPASSRLS switches off every policy: each hands over far more than one command.
        var broadWhy = new List<string>();
        if (lacking.Contains("CREATEROLE") && !v16)
            broadWhy.Add($"on {snapshot.Version.Major} CREATEROLE lets {role.Name} create, alter and drop any non-superuser role and grant itself membership in any of them (pg_read_server_files, pg_execute_server_program, the owners of every object): close to superuser");
        if (lacking.Contains("REPLICATION"))
            broadWhy.Add($"REPLICATION lets {role.Name} stream the write-ahead log and create replication slots: it can read every row of every database that way");
        if (lacking.Contains("BYPASSRLS"))
            broadWhy.Add($"BYPASSRLS switches off every row-level security policy for {role.Name}, on every table");
        if (lacking.Contains("CREATEDB"))
            d = d with { Notes = d.Notes.Add(Note.Info($"CREATEDB lets {role.Name} create databases (it owns them) and drop the ones it owns; it gives nothing on existing databases.")) };
        if (needsAdmin)
        {
            var why = $"from PostgreSQL 16 a CREATEROLE role may alter, rename or drop only roles it has the ADMIN option on";
            var withAdmin = WithMembership(d, target!, role, why, inherit: false, set: false, admin: true);
            if (withAdmin.Broad is { } b)
                return withAdmin with { Broad = b with { Statements = [.. alter, .. b.Statements], HandsOver = string.Join("; ", broadWhy.Append(b.HandsOver)) } };
            if (broadWhy.Count > 0)
                return withAdmin with { Fix = [], CanFix = [], Broad = new BroadFix([.. alter, .. withAdmin.Fix], string.Join("; ", broadWhy), canAlter) };
            return withAdmin with { Fix = [.. alter, .. withAdmin.Fix], CanFix = alter.IsEmpty ? withAdmin.CanFix : [.. canAlter.Intersect(withAdmin.CanFix)] };
        }
        if (broadWhy.Count > 0) return d with { Broad = new BroadFix(alter, string.Join("; ", broadWhy) + ".", canAlter) };
        return d with { Fix = alter, CanFix = canAlter };
    }

    private static MissingPrivilege MissingAttribute(string attribute, Role role) =>
        new(Requirement.Attribute, Privilege.None, ObjectKind.Role, role.Name, AttributeMeaning(attribute)) { Attribute = attribute };

    private static bool HasAttribute(Role role, string attribute) => role.IsSuperuser || attribute switch
    {
        "CREATEDB" => role.CreateDb,
        "CREATEROLE" => role.CreateRole,
        "BYPASSRLS" => role.BypassRls,
        _ => false,   // REPLICATION is not in the snapshot: the server's word that it is missing stands
    };

    private static string AttributeMeaning(string attribute) => attribute switch
    {
        "CREATEDB" => "CREATEDB allows creating databases",
        "CREATEROLE" => "CREATEROLE allows creating, altering and dropping roles",
        "REPLICATION" => "REPLICATION allows streaming replication and replication slots",
        "BYPASSRLS" => "BYPASSRLS makes row-level security policies not apply",
        _ => attribute,
    };

    /// <summary>
    /// Who may give <paramref name="attributes"/> to <paramref name="role"/>: superusers; before 16 also CREATEROLE
    /// roles for CREATEDB and CREATEROLE of a non-superuser; from 16 CREATEROLE roles that hold the attribute
    /// themselves and the ADMIN option on the role.
    /// </summary>
    private ImmutableArray<FixerRole> AttributeGivers(Role role, IReadOnlyCollection<string> attributes)
    {
        var v16 = snapshot.Version.Major >= 16;
        var list = new List<FixerRole>(Superusers());
        foreach (var r in snapshot.Roles)
        {
            if (r.IsPredefined || r.IsSuperuser || !r.CreateRole || r.Oid == role.Oid) continue;
            if (!v16 && attributes.All(a => a is "CREATEDB" or "CREATEROLE")) list.Add(new FixerRole(r.Name, "createrole"));
            else if (v16 && attributes.All(a => HasAttribute(r, a)) && snapshot.MembersOf(role.Oid).Any(m => m.Member == r.Oid && m.AdminOption))
                list.Add(new FixerRole(r.Name, "createrole and admin option"));
        }
        return [.. list];
    }

    private static string? TargetRoleOf(string? statement)
    {
        if (string.IsNullOrWhiteSpace(statement)) return null;
        var t = SqlTokenizer.Tokenize(statement);
        var i = 0;
        if (t.Count > 2 && (t[0].IsWord("alter") || t[0].IsWord("drop")) && (t[1].IsWord("role") || t[1].IsWord("user") || t[1].IsWord("group"))) i = 2;
        else return null;
        if (i + 1 < t.Count && t[i].IsWord("if") && t[i + 1].IsWord("exists")) i += 2;
        return i < t.Count && t[i].IsIdentifier ? t[i].Text : null;
    }

    // ---- superuser only --------------------------------------------------------------------------------------

    private Diagnosis ExplainSuperuser(PermissionError error, Role role)
    {
        var form = Form(error);
        var d = new Diagnosis { KindWord = error.ObjectWord ?? "", Role = role.Name, Object = error.ObjectName, Attempted = error.Message };
        var notes = new List<Note>();
        if (form.Contains("session authorization", StringComparison.Ordinal))
            notes.Add(Note.Advise($"Use SET ROLE {SqlNames.Ident(error.ObjectName)} instead: it needs only membership in that role (with SET on 16+), not a superuser."));
        else if (form.Contains("event trigger", StringComparison.Ordinal))
            notes.Add(Note.Advise("Event triggers are created and owned by superusers only; have a superuser create it (its function may be owned by another role)."));
        else if (form.Contains("foreign-data wrapper", StringComparison.Ordinal))
            notes.Add(Note.Advise($"A superuser creates (or alters) the wrapper, usually with CREATE EXTENSION, then grants USAGE ON FOREIGN DATA WRAPPER to the role, which may then create servers with it."));
        else if (form.Contains("tablespace", StringComparison.Ordinal))
            notes.Add(Note.Advise("A superuser creates the tablespace, then grants CREATE ON TABLESPACE to the role that places tables in it."));
        else if (form.Contains("subscription", StringComparison.Ordinal))
            notes.Add(Note.Info("From PostgreSQL 16, membership in pg_create_subscription (with CREATE on the database) allows CREATE SUBSCRIPTION without a superuser."));
        else if (form.Contains("prepared transaction", StringComparison.Ordinal))
            notes.Add(Note.Advise("Only the role that prepared the transaction (or a superuser) may COMMIT PREPARED or ROLLBACK PREPARED it: finish it as that role."));
        else if (form.Contains("superusers", StringComparison.Ordinal) || form.Contains("superuser roles", StringComparison.Ordinal))
            notes.Add(Note.Info("Roles with SUPERUSER can be created, altered, renamed and dropped only by superusers."));
        notes.Add(Note.Advise("If the application must do this regularly, a superuser can wrap exactly that one action in a SECURITY DEFINER function it owns (search_path pinned, EXECUTE revoked from PUBLIC and granted to the one role); review it line by line: it runs as a superuser."));
        return SuperuserOnly(d, role, $"only a superuser may do this; no GRANT, attribute or membership short of SUPERUSER allows it (the server says: {error.Message}).", [.. notes]);
    }

    private Diagnosis SuperuserOnly(Diagnosis d, Role role, string cause, ImmutableArray<Note> notes)
    {
        if (role.IsSuperuser) return Allowed(d, $"{role.Name} is a superuser now: it was made one since the error, or the error came from another role.");
        return d with
        {
            SuperuserOnly = true,
            Missing = [new MissingPrivilege(Requirement.Superuser, Privilege.None, ObjectKind.Role, role.Name, "no GRANT, attribute or membership short of SUPERUSER allows it")],
            Cause = cause,
            Notes = [.. d.Notes, .. notes, Note.Caution($"Making {role.Name} a superuser is not a fix: it bypasses every privilege check in the cluster, and can run programs as the server's operating-system user.")],
            CanFix = Superusers(),
        };
    }

    // ---- predefined roles ------------------------------------------------------------------------------------

    private Diagnosis ExplainPredefined(PermissionError error, Role role)
    {
        var form = Form(error);
        var name = PredefinedName.Match((error.Detail ?? "") + " " + error.Message) is { Success: true } m ? m.Groups["r"].Value : PredefinedFor(form);
        var d = new Diagnosis { KindWord = "role", Kind = ObjectKind.Role, Role = role.Name, Attempted = error.Message };
        var predefined = name is null ? null : snapshot.RoleByName(name);
        if (predefined is null)
            return SuperuserOnly(d, role, $"on PostgreSQL {snapshot.Version.Major} only a superuser may do this{(name is null ? "" : $" ({name} does not exist before a later major)")}.",
                form.Contains("CHECKPOINT", StringComparison.Ordinal) ? [Note.Info("From PostgreSQL 15, membership in pg_checkpoint allows CHECKPOINT.")] : []);
        d = d with { Object = predefined.Name };
        if (role.IsSuperuser || access.Roles.HasPrivilegesOf(role.Oid, predefined.Oid))
            return Allowed(d, $"{role.Name} has the privileges of {predefined.Name} now: it was granted since the error, or the error came from another role.");
        var (scope, broad) = PredefinedScope(predefined.Name, role.Name);
        var why = $"this needs the privileges of the predefined role {predefined.Name}";
        var v16 = snapshot.Version.Major >= 16;
        var grant = new GrantRole(predefined.Name, role.Name, why, v16 ? new MembershipOptions(Inherit: true, Set: false) : null);
        d = d with
        {
            Missing = [new MissingPrivilege(Requirement.Membership, Privilege.None, ObjectKind.Role, predefined.Name, $"{predefined.Name} {scope}")],
            Cause = $"{role.Name} does not have the privileges of {predefined.Name}: {why}. No object GRANT allows it; membership in the predefined role does. {predefined.Name} {scope}.",
        };
        var notes = new List<Note>();
        if (predefined.Name is "pg_read_server_files" or "pg_write_server_files" or "pg_execute_server_program")
            notes.Add(Note.Advise("Load or unload through the client instead: COPY … FROM STDIN / TO STDOUT (psql's \\copy) needs only INSERT or SELECT on the table, no predefined role."));
        if (predefined.Name == "pg_signal_backend")
            notes.Add(Note.Info(v16
                ? "A role may always signal sessions of roles whose privileges it has; sessions of superusers can be signalled only by superusers."
                : "A role may always signal sessions of roles it is a member of; sessions of superusers can be signalled only by superusers."));
        if (predefined.Name == "pg_create_subscription")
            notes.Add(Note.Info("CREATE SUBSCRIPTION also needs CREATE on the database; a non-superuser's subscription must connect with a password."));
        if (!v16 && !role.Inherit && snapshot.Version.Major >= 15)
            notes.Add(Note.Caution($"{role.Name} is NOINHERIT: on 13–15 it then gets a predefined role's privileges only after SET ROLE {predefined.Name}."));
        d = d with { Notes = [.. notes] };
        // CREATE SUBSCRIPTION checks CREATE on the database next: the fix carries it when the role lacks it.
        if (predefined.Name == "pg_create_subscription" && snapshot.CurrentDatabaseInfo is { } db && !access.Decide(role.Oid, db, Privilege.Create).Allowed)
        {
            var dbWhy = "CREATE SUBSCRIPTION also needs CREATE on the database";
            return d with
            {
                Missing = d.Missing.Add(MissingPrivilege.Of(Privilege.Create, ObjectKind.Database, SqlNames.Ident(db.Name), dbWhy)),
                Fix = [grant, Grant(Privilege.Create, db, role, dbWhy)],
                CanFix = [.. RoleAdmins(predefined.Oid).Intersect(WhoCanGrant(db, Privilege.Create))],
            };
        }
        return broad
            ? d with { Broad = new BroadFix([grant], $"membership in {predefined.Name} hands {role.Name} what the role allows everywhere: it {scope}.", RoleAdmins(predefined.Oid)) }
            : d with { Fix = [grant], CanFix = RoleAdmins(predefined.Oid) };
    }

    private static string? PredefinedFor(string form) =>
        form.Contains("COPY from a file", StringComparison.Ordinal) ? "pg_read_server_files"
        : form.Contains("COPY to a file", StringComparison.Ordinal) || form.Contains("backup stored on server", StringComparison.Ordinal) ? "pg_write_server_files"
        : form.Contains("external program", StringComparison.Ordinal) ? "pg_execute_server_program"
        : form.Contains("cancel", StringComparison.Ordinal) || form.Contains("terminate", StringComparison.Ordinal) ? "pg_signal_backend"
        : form.Contains("CHECKPOINT", StringComparison.Ordinal) || form.Contains("execute %s command", StringComparison.Ordinal) ? "pg_checkpoint"
        : form.Contains("examine", StringComparison.Ordinal) ? "pg_read_all_settings"
        : form.Contains("subscription", StringComparison.Ordinal) ? "pg_create_subscription"
        : null;

    /// <summary>What a predefined role allows (its scope), and whether that is broad (as good as superuser, or every file).</summary>
    private static (string Scope, bool Broad) PredefinedScope(string name, string role) => name switch
    {
        "pg_read_server_files" => ("allows reading any file the server's operating-system user can read (COPY FROM a file, pg_read_file …): configuration, keys and every database's data files", true),
        "pg_write_server_files" => ("allows writing any file the server's operating-system user can write (COPY TO a file …): as good as superuser", true),
        "pg_execute_server_program" => ("allows running any program as the server's operating-system user (COPY … PROGRAM): as good as superuser", true),
        "pg_signal_backend" => ($"allows {role} to cancel queries and terminate sessions of every non-superuser role, not only its own", false),
        "pg_checkpoint" => ("allows CHECKPOINT and nothing else", false),
        "pg_read_all_settings" => ("allows reading every configuration setting, superuser-only ones included", false),
        "pg_create_subscription" => ("allows CREATE SUBSCRIPTION (with CREATE on the database)", false),
        "pg_maintain" => ("allows VACUUM, ANALYZE, CLUSTER, REFRESH MATERIALIZED VIEW, REINDEX and LOCK TABLE on every relation", false),
        "pg_use_reserved_connections" => ("allows using the connection slots reserved by reserved_connections", false),
        _ => ($"allows what {name} is documented to allow", false),
    };

    // ---- role administration --------------------------------------------------------------------------------

    private Diagnosis ExplainRoleAdmin(PermissionError error, Role role)
    {
        var form = Form(error);
        var d = new Diagnosis { KindWord = "role", Kind = ObjectKind.Role, Role = role.Name, Object = error.ObjectName, Attempted = error.Message };
        if (form.Contains("set grantor", StringComparison.Ordinal))
            return SuperuserOnly(d with { Object = "" }, role, "on 13–15 only a superuser may name another grantor (GRANTED BY).",
                [Note.Advise("Leave out GRANTED BY: the grant is then recorded as the role that runs it.")]);
        if (DetailAttribute.Match(error.Detail ?? "") is { Success: true } a && a.Groups["a"].Value == "SUPERUSER")
            return SuperuserOnly(d, role, $"the server says: {error.Detail} Only a superuser may do this.", []);
        var target = snapshot.RoleByName(error.ObjectName);
        if (target is null) return Empty(error, role) with { KindWord = "role", Kind = ObjectKind.Role, Cause = $"no role named {error.ObjectName} exists." };
        var v16 = snapshot.Version.Major >= 16;
        if (form.Contains("privileges as role", StringComparison.Ordinal) || form.Contains("granted by role", StringComparison.Ordinal))
        {
            // GRANTED BY x (16+): the current role must have the privileges of x.
            if (role.IsSuperuser || access.Roles.HasPrivilegesOf(role.Oid, target.Oid))
                return Allowed(d, $"{role.Name} has the privileges of {target.Name} now.");
            var why = $"GRANTED BY {target.Name} needs the privileges of {target.Name}";
            d = d with
            {
                Missing = [new MissingPrivilege(Requirement.Membership, Privilege.None, ObjectKind.Role, target.Name, why)],
                Cause = $"{role.Name} named {target.Name} as the grantor but does not have {target.Name}'s privileges: {why}.",
                Notes = [Note.Advise($"Leave out GRANTED BY {target.Name}, or run the statement as {target.Name}: either needs nothing new.")],
            };
            return WithMembership(d, target, role, why, inherit: true, set: false);
        }
        var hasAdmin = role.IsSuperuser || snapshot.MembersOf(target.Oid).Any(m => m.Member == role.Oid && m.AdminOption)
                       || (!v16 && role.CreateRole && !target.IsSuperuser);
        if (hasAdmin)
            return Allowed(d, $"{role.Name} may grant {target.Name} now: it was given the ADMIN option since the error, or the error came from another role.");
        var need = $"granting or revoking membership in {target.Name} needs the ADMIN option on it{(v16 ? "" : " (or CREATEROLE, before 16)")}";
        d = d with
        {
            Missing = [new MissingPrivilege(Requirement.AdminOption, Privilege.None, ObjectKind.Role, target.Name, need)],
            Cause = $"{role.Name} lacks the ADMIN option on {target.Name}: {need}.",
        };
        return WithMembership(d, target, role, need, inherit: false, set: false, admin: true);
    }

    // ---- what another role owns or grants -------------------------------------------------------------------

    private Diagnosis ExplainRoleObjects(PermissionError error, Role role, string? statement)
    {
        var named = DetailPrivilegesOf.Match(error.Detail ?? "") is { Success: true } m ? m.Groups["r"].Value.Replace("\"\"", "\"", StringComparison.Ordinal) : OwnedByOf(statement);
        var d = new Diagnosis { KindWord = "role", Kind = ObjectKind.Role, Role = role.Name, Object = named ?? "", Attempted = error.Message };
        var target = named is null ? null : snapshot.RoleByName(named);
        if (target is null)
            return d with
            {
                Cause = "DROP OWNED, REASSIGN OWNED and ALTER DEFAULT PRIVILEGES FOR ROLE need the privileges of the roles they name; the message does not say which role: pass the statement.",
                Hints = [DiagnosisHint.Statement],
            };
        if (role.IsSuperuser || access.Roles.HasPrivilegesOf(role.Oid, target.Oid))
            return Allowed(d, $"{role.Name} has the privileges of {target.Name} now.");
        var why = $"acting on what {target.Name} owns or grants needs the privileges of {target.Name}";
        d = d with
        {
            Missing = [new MissingPrivilege(Requirement.Membership, Privilege.None, ObjectKind.Role, target.Name, why)],
            Cause = $"{role.Name} does not have the privileges of {target.Name}: {why}.",
            Notes = [Note.Advise($"Run it as {target.Name} (or as a superuser): DROP OWNED / REASSIGN OWNED / ALTER DEFAULT PRIVILEGES FOR ROLE are administration, not something the application role should hold.")],
        };
        return WithMembership(d, target, role, why, inherit: true, set: false);
    }

    private static string? OwnedByOf(string? statement)
    {
        if (string.IsNullOrWhiteSpace(statement)) return null;
        var t = SqlTokenizer.Tokenize(statement);
        for (var i = 0; i + 2 < t.Count; i++)
            if ((t[i].IsWord("owned") && t[i + 1].IsWord("by")) || (t[i].IsWord("for") && (t[i + 1].IsWord("role") || t[i + 1].IsWord("user"))))
                return t[i + 2].IsIdentifier ? t[i + 2].Text : null;
        return null;
    }
}
