using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;
using Pgrant.Core.Sql;

namespace Pgrant.Core.Diagnosis;

/// <summary>
/// The families of permission error that no object GRANT answers the usual way, dispatched here (the role families
/// are in Explainer.RoleFamilies.cs): parameters, extensions, maintenance; and the object privileges a command's
/// statement decides (MAINTAIN, TRIGGER) or that live outside schemas (foreign-data wrappers, foreign servers).
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
