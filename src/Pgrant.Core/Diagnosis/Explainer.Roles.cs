using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Diagnosis;

/// <summary>Errors about ownership, role membership and row-level security: no object privilege fixes these.</summary>
public sealed partial class Explainer
{
    private Diagnosis ExplainOwner(PermissionError error, Role role, string? statement)
    {
        var owned = FindOwned(error, role);
        if (owned is null)
            return Empty(error, role) with { Cause = $"no {error.ObjectWord} named {error.ObjectName} was found in database {snapshot.CurrentDatabase}." };
        var (obj, display) = owned.Value;
        return ExplainOwnerOnly(error, role, obj, display, OwnerCommandClass.Of(statement));
    }

    /// <summary>
    /// An owner-only command on <paramref name="obj"/>: the narrowest the server version allows (MAINTAIN on 17+
    /// where it covers the command), a SECURITY DEFINER function for one maintenance command, running it as the
    /// owner, and — only as a labelled broad option — membership in the owner.
    /// </summary>
    private Diagnosis ExplainOwnerOnly(PermissionError error, Role role, ISecurable obj, string display, OwnerCommandClass? command)
    {
        var owner = snapshot.RoleByOid(obj.Owner);
        var ownerName = owner?.Name ?? obj.Owner.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var word = error.ObjectWord ?? KindWords.Singular(obj.Kind);
        var hasOwner = role.IsSuperuser || access.Roles.HasPrivilegesOf(role.Oid, obj.Owner);
        var attempted = command is null
            ? $"run an owner-only command (ALTER, DROP, CREATE INDEX, COMMENT, GRANT without grant option …) on {word} {display}"
            : $"run {command.Words} on {word} {display}, which only its owner may do";
        var d = new Diagnosis { KindWord = word, Kind = obj.Kind, Object = display, Role = role.Name, Attempted = attempted };
        var v17 = snapshot.Version.Major >= 17;
        if (v17 && command is { MaintainCovers: true } && obj is Relation rel)
        {
            // 17+: MAINTAIN on the relation covers exactly these commands; the owner keeps everything else.
            var why = $"{command.Words} needs MAINTAIN on the relation (17+), or ownership";
            var decision = access.Decide(role.Oid, rel, Privilege.Maintain);
            if (decision.Allowed || hasOwner)
                return Allowed(d, $"{role.Name} holds MAINTAIN on {display} now ({decision.Explanation()}): it was granted since the error, or the error came from another role.");
            return d with
            {
                Missing = [MissingPrivilege.Of(Privilege.Maintain, rel.Kind, display, why)],
                Cause = $"{display} is owned by {ownerName}; {role.Name} neither owns it nor holds MAINTAIN on it. {Capitalize(why)}.",
                Fix = [Grant(Privilege.Maintain, rel, role, why)],
                CanFix = WhoCanGrant(rel, Privilege.Maintain),
                Notes = [Note.Info("MAINTAIN allows VACUUM, ANALYZE, CLUSTER, REFRESH MATERIALIZED VIEW, REINDEX and LOCK TABLE on this relation, nothing else; pg_maintain would allow them on every relation.")],
            };
        }
        if (hasOwner)
            return Allowed(d, $"{role.Name} has the privileges of the owner {ownerName} now: it was granted since, or the error came from another role.");
        var missing = new MissingPrivilege(Requirement.Ownership, Privilege.None, obj.Kind, display,
            owner is { IsSuperuser: true } ? $"only the owner {ownerName} and superusers may do this" : $"only the owner {ownerName}, roles that inherit its privileges, and superusers may do this");
        var runAsOwner = Note.Advise($"Run {(command is null ? "such commands" : command.Words)} as the owner: connect as {ownerName} (or SET ROLE {SqlNames.Ident(ownerName)} from the one role that runs migrations), so the application role keeps only the privileges it needs.");
        if (owner is { IsSuperuser: true })
        {
            // Membership in a superuser role hands over everything (the system catalogs included, for the
            // bootstrap superuser): never offered, not even as a broad option.
            return d with
            {
                Missing = [missing],
                Cause = $"{display} is owned by the superuser {ownerName}; owner-only commands on it need a superuser. Membership in {ownerName} is not offered: it would hand {role.Name} everything {ownerName} owns, and SET ROLE to a superuser.",
                Notes = [runAsOwner, Note.Advise($"Give {display} a non-superuser owner (the role that runs migrations), and run owner-only commands as that role.")],
                CanFix = RoleAdmins(obj.Owner),
            };
        }
        var alternatives = ImmutableArray<FixOption>.Empty;
        if (command?.Function is { } fn && obj is Relation target && owner is not null && !v17)
            alternatives = [DefinerFunction(role, owner, target, fn, command.Words)];
        var notes = new List<Note> { runAsOwner };
        if (command is { MaintainCovers: true } && !v17)
            notes.Add(Note.Info($"From PostgreSQL 17, GRANT MAINTAIN ON TABLE {display} allows {command.Words} without ownership; this server is {snapshot.Version.Major}."));
        var cause = $"{display} is owned by {ownerName}; {role.Name} is not {ownerName} and does not inherit its privileges. No GRANT of a privilege allows {(command is null ? "owner-only commands" : command.Words)}.";
        d = d with { Missing = [missing], Cause = cause, Alternatives = alternatives, Notes = [.. notes] };
        if (owner is null) return d;
        d = WithMembership(d, owner, role, $"only {ownerName} and the roles that inherit its privileges may run owner-only commands on {display}", inherit: true, set: false);
        // CREATE INDEX also checks CREATE on the table's schema, as the role running it (not the owner): a member
        // that inherits the owner's CREATE there has it, otherwise it must be granted too.
        if (command?.Words == "CREATE INDEX" && obj is Relation table && snapshot.SchemaByOid(table.Schema) is { } schema)
        {
            var inheritsOwner = snapshot.Version.Major >= 16 || role.Inherit;
            var held = access.Decide(role.Oid, schema, Privilege.Create).Allowed || (inheritsOwner && access.Decide(owner.Oid, schema, Privilege.Create).Allowed);
            if (!held)
            {
                var why = "CREATE INDEX also needs CREATE on the table's schema, checked as the role that runs it";
                var grant = Grant(Privilege.Create, schema, role, why);
                d = d with { Missing = d.Missing.Add(MissingPrivilege.Of(Privilege.Create, ObjectKind.Schema, SqlNames.Ident(schema.Name), why)) };
                d = d.Broad is { } b ? d with { Broad = b with { Statements = b.Statements.Insert(0, grant) } } : d with { Fix = d.Fix.Insert(0, grant) };
            }
        }
        return d;
    }

    /// <summary>
    /// A function that runs one maintenance command on one relation as its owner: created, given to the owner,
    /// EXECUTE taken from PUBLIC (functions get it by default) and granted to the role alone.
    /// </summary>
    private FixOption DefinerFunction(Role role, Role owner, Relation target, OwnerCommand command, string words)
    {
        var schema = snapshot.SchemaName(target.Schema);
        var name = FunctionName(command switch
        {
            OwnerCommand.RefreshMaterializedView => "refresh_",
            OwnerCommand.Analyze => "analyze_",
            OwnerCommand.Reindex => "reindex_",
            _ => "cluster_",
        }, target.Name);
        var fn = new SqlObject(ObjectKind.Function, schema, name, "");
        var why = $"lets {role.Name} run {words} on {Display(target)} and nothing else, as its owner {owner.Name}";
        return new FixOption($"a SECURITY DEFINER function that runs {words} on {Display(target)}",
        [
            new CreateCommandFunction(fn, command, Ref(target), why),
            new AlterOwner(fn, owner.Name, $"the function runs as {owner.Name}, the only role (besides superusers) that may run {words} on {Display(target)}"),
            new RevokePrivileges(Privilege.Execute, [fn], [Grantee.Public], "functions are executable by PUBLIC by default; only the one role may call this one"),
            new GrantPrivileges(Privilege.Execute, fn, role.Name, why),
        ], $"{role.Name} calls SELECT {SqlWriter.Name(fn)}; instead of running {words} itself; it gains nothing else of {owner.Name}'s. The search_path is pinned and the relation named with its schema, so callers cannot redirect it.");
    }

    /// <summary>prefix + name, cut to PostgreSQL's 63-byte identifier limit on a whole character.</summary>
    private static string FunctionName(string prefix, string name)
    {
        var full = prefix + name;
        while (System.Text.Encoding.UTF8.GetByteCount(full) > 63)
            full = full[..^(char.IsLowSurrogate(full[^1]) ? 2 : 1)];
        return full;
    }

    private (ISecurable Obj, string Display)? FindOwned(PermissionError error, Role role)
    {
        var kind = error.ObjectKind;
        switch (kind)
        {
            case ObjectKind.Table or ObjectKind.View or ObjectKind.MaterializedView or ObjectKind.ForeignTable or ObjectKind.Sequence:
                var r = _names.Relation(error.ObjectName, null, role.Name, KindsFor(kind.Value)).Object;
                return r is null ? null : (r, Display(r));
            case ObjectKind.Function or ObjectKind.Procedure or ObjectKind.Aggregate:
                var kinds = new HashSet<ObjectKind> { ObjectKind.Function, ObjectKind.Procedure, ObjectKind.Aggregate };
                var res = _names.Function(error.ObjectName, null, role.Name, kinds);
                var f = res.Object ?? (res.Candidates.Length > 0 && res.Candidates.All(c => c.Owner == res.Candidates[0].Owner) ? res.Candidates[0] : null);
                return f is null ? null : (f, Display(f));
            case ObjectKind.Schema:
                var s = snapshot.Schemas.FirstOrDefault(x => x.Name == error.ObjectName);
                return s is null ? null : (s, SqlNames.Ident(s.Name));
            case ObjectKind.Database:
                var d = snapshot.Databases.FirstOrDefault(x => x.Name == error.ObjectName);
                return d is null ? null : (d, SqlNames.Ident(d.Name));
            case ObjectKind.LargeObject:
                var lo = uint.TryParse(error.ObjectName, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var loid)
                    ? snapshot.LargeObjectByOid(loid) : null;
                return lo is null ? null : (lo, Display(lo));
            case ObjectKind.ForeignDataWrapper or ObjectKind.ForeignServer:
                var o = snapshot.OtherObject(kind.Value, error.ObjectName);
                return o is null ? null : (o, Display(o));
            case ObjectKind.Type or ObjectKind.Domain:
                var t = _names.Type(error.ObjectName, null, role.Name).Object;
                return t is null ? null : (t, Display(t));
            default:
                return null;
        }
    }

    private Diagnosis ExplainSetRole(PermissionError error, Role role)
    {
        var target = snapshot.RoleByName(error.ObjectName);
        if (target is null)
            return Empty(error, role) with { KindWord = "role", Kind = ObjectKind.Role, Cause = $"no role named {error.ObjectName} exists." };
        var v16 = snapshot.Version.Major >= 16;
        var attempted = $"act as role {target.Name} (SET ROLE, or a command such as ALTER … OWNER TO {target.Name})";
        var d = new Diagnosis { KindWord = "role", Kind = ObjectKind.Role, Object = target.Name, Role = role.Name, Attempted = attempted };
        if (role.IsSuperuser || CanSetRole(role.Oid, target.Oid))
            return Allowed(d, $"{role.Name} may SET ROLE {target.Name} now: it was granted since, or the error came from another role.");
        var why = v16
            ? "SET ROLE needs a chain of memberships whose grants all have the SET option"
            : "SET ROLE needs membership in the role, directly or through other roles";
        d = d with
        {
            Missing = [new MissingPrivilege(Requirement.SetRole, Privilege.None, ObjectKind.Role, target.Name, why)],
            Cause = $"{role.Name} is not allowed to become {target.Name}: {why}. No GRANT of a privilege allows it; only membership does, and it carries whatever {target.Name} may do.",
            Notes = v16
                ? [Note.Info("INHERIT FALSE keeps the grant to what SET ROLE needs: the member does not silently gain the role's privileges.")]
                : role.Inherit
                    ? [Note.Info($"On 13–15 the membership also passes {target.Name}'s privileges to {role.Name} without SET ROLE, because {role.Name} is INHERIT; ALTER ROLE {SqlNames.Ident(role.Name)} NOINHERIT would limit it to SET ROLE (for all of its memberships).")]
                    : [],
        };
        return WithMembership(d, target, role, why, inherit: false, set: true);
    }

    /// <summary>
    /// SET ROLE is allowed through any chain of memberships; on 16+ every grant in the chain must
    /// carry the SET option (on 13–15 the column does not exist and every membership counts).
    /// </summary>
    private bool CanSetRole(uint member, uint target)
    {
        var seen = new HashSet<uint> { member };
        var queue = new Queue<uint>([member]);
        while (queue.TryDequeue(out var current))
        {
            if (current == target) return true;
            foreach (var m in snapshot.MembershipsOf(current))
                if (m.SetOption ?? true)
                    if (seen.Add(m.Group)) queue.Enqueue(m.Group);
        }
        return false;
    }

    /// <summary>Who may grant membership in a role: superusers and roles holding ADMIN OPTION on it (≤15 also CREATEROLE).</summary>
    private ImmutableArray<FixerRole> RoleAdmins(uint group)
    {
        var names = new List<FixerRole>();
        foreach (var r in snapshot.Roles)
        {
            if (r.IsPredefined) continue;
            if (r.IsSuperuser) names.Add(new FixerRole(r.Name, "superuser"));
            else if (snapshot.MembersOf(group).Any(m => m.Member == r.Oid && m.AdminOption)) names.Add(new FixerRole(r.Name, "admin option"));
            else if (snapshot.Version.Major < 16 && r.CreateRole && !(snapshot.RoleByOid(group)?.IsSuperuser ?? false)) names.Add(new FixerRole(r.Name, "createrole"));
        }
        return [.. names];
    }

    private Diagnosis ExplainRowSecurity(PermissionError error, Role role)
    {
        var rel = _names.Relation(error.ObjectName, null, role.Name, KindsFor(ObjectKind.Table)).Object;
        var display = rel is null ? error.ObjectName : Display(rel);
        return new Diagnosis
        {
            KindWord = "table", Kind = ObjectKind.Table, Object = display, Role = role.Name, Attempted = $"write a row into {display}",
            Cause = $"row-level security is enabled on {display} and the new row fails the WITH CHECK expression of every policy that applies to {role.Name} " +
                "(with RLS enabled and no policy for the command, every row is refused). This is not a missing GRANT: a policy decides it.",
            Notes = rel is null ? [] :
            [
                Note.Advise($"allow the rows {role.Name} should write with a policy (its WITH CHECK expression is the table owner's decision), e.g.:",
                    new CreatePolicy($"{role.Name}_insert", Ref(rel), PolicyCommand.Insert, [role.Name], null,
                        "true /* replace with the rows it may insert */", $"lets {role.Name} insert the rows the policy admits")),
            ],
            CanFix = rel is null ? [] : [new FixerRole(snapshot.RoleName(rel.Owner), "owner")],
        };
    }
}
