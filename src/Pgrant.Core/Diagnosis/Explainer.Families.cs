using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// The families of permission error that no object GRANT answers the usual way: role attributes, superuser-only
/// commands, predefined roles, parameters, extensions, role administration, other roles' objects, maintenance;
/// and the object privileges a command's statement decides (MAINTAIN, TRIGGER) or that live outside schemas
/// (large objects, foreign-data wrappers, foreign servers). Where no GRANT can do it, the diagnosis says so and
/// gives the real options.
/// </summary>
public sealed partial class Explainer
{
    private static readonly Regex DetailAttribute = new(@"\bthe (?<a>[A-Z]+) attribute\b", RegexOptions.CultureInvariant);
    private static readonly Regex DetailAdminOn = new(@"\bthe ADMIN option on role ""(?<r>(?:[^""]|"""")+)""", RegexOptions.CultureInvariant);
    private static readonly Regex DetailPrivilegesOf = new(@"privileges of role ""(?<r>(?:[^""]|"""")+)""", RegexOptions.CultureInvariant);
    private static readonly Regex PredefinedName = new(@"\b(?<r>pg_[a-z_]+)\b", RegexOptions.CultureInvariant);

    private Diagnosis ExplainFamily(PermissionError error, Role role, string? statement) => error.Kind switch
    {
        PermissionErrorKind.RoleAttribute => ExplainRoleAttribute(error, role, statement),
        PermissionErrorKind.Superuser => ExplainSuperuser(error, role),
        PermissionErrorKind.PredefinedRole => ExplainPredefined(error, role),
        PermissionErrorKind.Parameter => ExplainParameter(error, role, statement),
        PermissionErrorKind.Extension => ExplainExtension(error, role),
        PermissionErrorKind.RoleAdmin => ExplainRoleAdmin(error, role),
        PermissionErrorKind.RoleObjects => ExplainRoleObjects(error, role, statement),
        PermissionErrorKind.Maintenance => ExplainMaintenance(error, role),
        _ => Unsupported(error, role),
    };

    /// <summary>The msgid when the parser read a known form, else the message itself.</summary>
    private static string Form(PermissionError error) => error.MessageId ?? error.Message;

    // ---- "permission denied for <word> x" that the statement or the word decides ------------------------

    /// <summary>
    /// "permission denied for …" whose answer is not the relation path's: a maintenance command on 17+ (MAINTAIN),
    /// CREATE TRIGGER (TRIGGER), foreign-data wrappers, foreign servers and parameters. Null: not one of these.
    /// </summary>
    private Diagnosis? ExplainDeniedFamily(PermissionError error, Role role, string? statement)
    {
        var kind = error.ObjectKind;
        switch (kind)
        {
            case ObjectKind.ForeignDataWrapper or ObjectKind.ForeignServer:
                return ExplainOther(error, role, kind.Value, statement);
            case ObjectKind.Parameter:
                return ExplainParameter(error, role, statement);
            case ObjectKind.Table or ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable:
                var command = OwnerCommandClass.Of(statement);
                var trigger = OwnerCommandClass.IsCreateTrigger(statement);
                if (command is not { MaintainCovers: true } && !trigger) return null;
                var rel = _names.Relation(error.ObjectName, null, role.Name, KindsFor(kind.Value)).Object;
                if (rel is null) return null;
                if (trigger)
                    return Single(error, role, rel, Privilege.Trigger, $"create a trigger on {Display(rel)}",
                        "creating a trigger on a table needs TRIGGER on it (and EXECUTE on the trigger function)", []);
                return ExplainOwnerOnly(error, role, rel, Display(rel), command);
            default:
                return null;
        }
    }

    private Diagnosis ExplainOther(PermissionError error, Role role, ObjectKind kind, string? statement)
    {
        var word = error.ObjectWord ?? KindWords.Singular(kind);
        var obj = snapshot.OtherObject(kind, error.ObjectName);
        if (obj is null)
            return Empty(error, role) with { Cause = $"no {word} named {error.ObjectName} exists (dropped since, or the error came from another database)." };
        return kind switch
        {
            ObjectKind.ForeignDataWrapper => Single(error, role, obj, Privilege.Usage, $"use foreign-data wrapper {Display(obj)} (CREATE SERVER … FOREIGN DATA WRAPPER)",
                "creating a foreign server for a wrapper needs USAGE on the wrapper", []),
            _ => Single(error, role, obj, Privilege.Usage, $"use foreign server {Display(obj)} (CREATE FOREIGN TABLE, CREATE USER MAPPING, IMPORT FOREIGN SCHEMA)",
                "creating foreign tables or user mappings on a foreign server needs USAGE on the server", []),
        };
    }

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
            if (form.Contains("database", StringComparison.Ordinal)) named.Add("CREATEDB");
            else if (form.Contains("role", StringComparison.Ordinal) || form.Contains("CREATEROLE", StringComparison.Ordinal)) named.Add("CREATEROLE");
            else if (form.Contains("replication", StringComparison.OrdinalIgnoreCase) || form.Contains("WAL sender", StringComparison.Ordinal)) named.Add("REPLICATION");
            else if (form.Contains("bypassrls", StringComparison.OrdinalIgnoreCase)) named.Add("BYPASSRLS");
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

    // ---- parameters --------------------------------------------------------------------------------------------

    private Diagnosis ExplainParameter(PermissionError error, Role role, string? statement)
    {
        var form = Form(error);
        var alterSystem = form.Contains("ALTER SYSTEM", StringComparison.Ordinal) ||
                          (statement ?? "").TrimStart().StartsWith("alter system", StringComparison.OrdinalIgnoreCase);
        var name = (error.ObjectName.Length > 0 ? error.ObjectName : ParameterOf(statement) ?? "").ToLowerInvariant();
        var d = new Diagnosis { KindWord = "parameter", Kind = ObjectKind.Parameter, Object = name, Role = role.Name, Attempted = alterSystem ? $"change {name} with ALTER SYSTEM" : $"set {name}" };
        if (form.Contains("alter setting", StringComparison.Ordinal) || form.Contains("settings globally", StringComparison.Ordinal) || form.Contains("RESET ALL", StringComparison.Ordinal))
            return SuperuserOnly(d with { Object = "" }, role, "only a superuser may change settings for every role or database at once (ALTER ROLE ALL … SET, ALTER SYSTEM RESET ALL).", []);
        if (name.Length == 0)
            return Unsupported(error, role);
        var privilege = alterSystem ? Privilege.AlterSystem : Privilege.Set;
        var word = alterSystem ? "ALTER SYSTEM" : "SET";
        if (snapshot.Version.Major < 15)
            return SuperuserOnly(d, role, $"{name} can be set only by a superuser on PostgreSQL {snapshot.Version.Major}; GRANT {word} ON PARAMETER exists from 15.",
            [
                Note.Advise($"A superuser can set it for the role's sessions instead (ALTER ROLE {SqlNames.Ident(role.Name)} SET {name} = …), or for the database (ALTER DATABASE … SET)."),
            ]);
        var obj = snapshot.OtherObject(ObjectKind.Parameter, name) ?? new SecurableObject(ObjectKind.Parameter, 0, name, 10, Privileges.Default(ObjectKind.Parameter, 10, snapshot.Version.Major));
        var why = alterSystem
            ? $"ALTER SYSTEM on {name} needs ALTER SYSTEM on the parameter (15+), or a superuser"
            : $"{name} is a superuser parameter: setting it (SET, set_config, ALTER ROLE/DATABASE/FUNCTION … SET) needs SET on it (15+), or a superuser";
        var decision = access.Decide(role.Oid, obj, privilege);
        if (decision.Allowed || role.IsSuperuser)
            return Allowed(d, $"{role.Name} holds {word} on parameter {name} now: it was granted since the error, or the error came from another role.");
        return d with
        {
            Missing = [MissingPrivilege.Of(privilege, ObjectKind.Parameter, name, why)],
            Cause = $"{role.Name} lacks {word} on parameter {name}: {why}.",
            Fix = [new GrantPrivileges(privilege, SqlObject.Bare(ObjectKind.Parameter, name), role.Name, why)],
            CanFix = obj.Oid == 0 ? Superusers() : WhoCanGrant(obj, privilege),
            Notes = alterSystem
                ? [Note.Caution($"ALTER SYSTEM changes {name} for the whole cluster (postgresql.auto.conf), for every role and database.")]
                : [Note.Info($"SET on {name} lets {role.Name} change it in its own sessions (and with ALTER ROLE/FUNCTION … SET); nothing else.")],
        };
    }

    private static string? ParameterOf(string? statement)
    {
        if (string.IsNullOrWhiteSpace(statement)) return null;
        var t = SqlTokenizer.Tokenize(statement);
        var i = t.FindIndex(x => x.IsWord("set"));
        if (i < 0 || i + 1 >= t.Count) return null;
        if (t[i + 1].IsWord("session") || t[i + 1].IsWord("local")) i++;
        return i + 1 < t.Count && t[i + 1].IsIdentifier ? t[i + 1].Text : null;
    }

    // ---- extensions -----------------------------------------------------------------------------------------

    private Diagnosis ExplainExtension(PermissionError error, Role role)
    {
        var db = snapshot.CurrentDatabaseInfo;
        var name = error.ObjectName;
        var d = new Diagnosis { KindWord = "extension", Kind = null, Object = name, Role = role.Name, Attempted = $"{(Form(error).Contains("update", StringComparison.Ordinal) ? "update" : "create")} extension {name}" };
        var hint = error.Hint ?? "";
        var createOnDb = db is not null && access.Decide(role.Oid, db, Privilege.Create).Allowed;
        var trusted = hint.Contains("CREATE privilege", StringComparison.Ordinal) ? true
            : hint.Contains("superuser", StringComparison.OrdinalIgnoreCase) ? false
            : createOnDb ? false : (bool?)null;
        if (trusted == false)
            return SuperuserOnly(d, role, $"{name} is not a trusted extension: only a superuser may create or update it (its scripts run as a superuser).",
            [
                Note.Advise($"A superuser runs CREATE EXTENSION {SqlNames.Ident(name)} once in database {snapshot.CurrentDatabase}; then grant {role.Name} what it uses of it (USAGE on its schema, EXECUTE on its functions)."),
                Note.Caution("Do not mark an untrusted extension trusted: its scripts would run as a superuser on behalf of any role with CREATE on the database."),
            ]);
        if (db is null) return Unsupported(error, role);
        var why = $"a trusted extension may be created by any role with CREATE on the database";
        var single = Single(error with { ObjectWord = "database" }, role, db, Privilege.Create, d.Attempted, why, []);
        return single with
        {
            KindWord = "database",
            Notes =
            [
                .. single.Notes,
                Note.Caution($"CREATE on database {db.Name} also lets {role.Name} create schemas (and publications) in it."),
                .. trusted is null ? [Note.Info($"The message carried no HINT: if {name} is not a trusted extension, CREATE on the database is not enough and only a superuser may create it.")] : Array.Empty<Note>(),
            ],
        };
    }

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

    // ---- VACUUM / ANALYZE / CLUSTER that skipped a table ----------------------------------------------------

    private Diagnosis ExplainMaintenance(PermissionError error, Role role)
    {
        var form = Form(error);
        var rel = _names.Relation(error.ObjectName, null, role.Name, new HashSet<ObjectKind>
            { ObjectKind.Table, ObjectKind.PartitionedTable, ObjectKind.MaterializedView }).Object;
        if (rel is null)
            return Empty(error, role) with { KindWord = "table", Cause = $"no table named {error.ObjectName} was found in database {snapshot.CurrentDatabase}." };
        var command = form.Contains("analyze", StringComparison.Ordinal) ? OwnerCommandClass.AnalyzeCommand
            : form.Contains("cluster", StringComparison.Ordinal) ? OwnerCommandClass.ClusterCommand
            : OwnerCommandClass.VacuumCommand;
        var d = ExplainOwnerOnly(error with { ObjectWord = KindWords.Singular(rel.Kind) }, role, rel, Display(rel), command);
        if (snapshot.Version.Major >= 17) return d;
        var dbOwner = snapshot.CurrentDatabaseInfo is { } db ? snapshot.RoleName(db.Owner) : null;
        return dbOwner is null ? d : d with
        {
            Notes = d.Notes.Add(Note.Info($"Before 17, VACUUM and ANALYZE also run on every table for the owner of the database ({dbOwner}), except shared catalogs; a database-wide VACUUM run as {dbOwner} covers {Display(rel)}.")),
        };
    }
}

/// <summary>
/// The class of an owner-only command, from the statement's first words: how it is worded, whether MAINTAIN (17+)
/// covers it, and which one-command SECURITY DEFINER function could run it.
/// </summary>
internal sealed record OwnerCommandClass(string Words, bool MaintainCovers, OwnerCommand? Function)
{
    public static readonly OwnerCommandClass VacuumCommand = new("VACUUM", true, null);
    public static readonly OwnerCommandClass AnalyzeCommand = new("ANALYZE", true, OwnerCommand.Analyze);
    public static readonly OwnerCommandClass ClusterCommand = new("CLUSTER", true, OwnerCommand.Cluster);

    /// <summary>The class of <paramref name="statement"/>, or null when there is none or it is not recognised.</summary>
    public static OwnerCommandClass? Of(string? statement)
    {
        if (string.IsNullOrWhiteSpace(statement)) return null;
        var t = SqlTokenizer.Tokenize(statement);
        bool At(int i, string w) => i < t.Count && t[i].IsWord(w);
        if (At(0, "refresh")) return new("REFRESH MATERIALIZED VIEW", true, OwnerCommand.RefreshMaterializedView);
        if (At(0, "vacuum")) return VacuumCommand;
        if (At(0, "analyze") || At(0, "analyse")) return AnalyzeCommand;
        if (At(0, "cluster")) return ClusterCommand;
        if (At(0, "reindex")) return new("REINDEX", true, At(1, "table") ? OwnerCommand.Reindex : null);
        if (At(0, "create") && (At(1, "index") || (At(1, "unique") && At(2, "index")))) return new("CREATE INDEX", false, null);
        if (At(0, "create") && At(1, "policy")) return new("CREATE POLICY", false, null);
        if (At(0, "create") && (At(1, "rule") || (At(1, "or") && At(3, "rule")))) return new("CREATE RULE", false, null);
        if (At(0, "comment")) return new("COMMENT", false, null);
        if (At(0, "security") && At(1, "label")) return new("SECURITY LABEL", false, null);
        if (At(0, "alter")) return new(Enumerable.Range(1, Math.Max(0, t.Count - 2)).Any(i => At(i, "owner") && At(i + 1, "to")) ? "ALTER … OWNER TO" : "ALTER", false, null);
        if (At(0, "drop")) return new("DROP", false, null);
        if (At(0, "grant") || At(0, "revoke")) return new($"{t[0].Text.ToUpperInvariant()} (without the grant option, only the owner grants)", false, null);
        return null;
    }

    /// <summary>True for CREATE [OR REPLACE] [CONSTRAINT] TRIGGER.</summary>
    public static bool IsCreateTrigger(string? statement)
    {
        if (string.IsNullOrWhiteSpace(statement)) return false;
        var t = SqlTokenizer.Tokenize(statement);
        return t.Count > 1 && t[0].IsWord("create") && t.Take(5).Any(x => x.IsWord("trigger"));
    }
}
