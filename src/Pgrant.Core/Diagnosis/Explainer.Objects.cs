using Pgrant.Core.Sql;
using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.Core.Diagnosis;

/// <summary>Schemas, databases, functions, types and languages: one privilege each, granted on the object itself.</summary>
public sealed partial class Explainer
{
    private Diagnosis ExplainSchema(PermissionError error, Role role, StatementShape? shape, string? statement)
    {
        var schema = snapshot.Schemas.FirstOrDefault(s => s.Name == error.ObjectName);
        if (schema is null) return NotFound(error, role, new Resolution<Schema>(null, [], false), s => s.Name);
        // CREATE … in a schema needs CREATE; every other use of a name in it needs USAGE.
        var creating = shape is { Command: StatementCommand.Other } && (statement ?? "").TrimStart().StartsWith("create", StringComparison.OrdinalIgnoreCase);
        var privilege = creating ? Privilege.Create : Privilege.Usage;
        var why = creating
            ? "creating an object in a schema needs CREATE on it"
            : "every use of an object in a schema (by qualified name or through search_path) needs USAGE on the schema; without it objects are unreachable whatever their own grants";
        ImmutableArray<SqlStatement> durable = privilege == Privilege.Usage ? [.. DefaultPrivilegeFix(schema.Owner, 0, 'n', Privilege.Usage, role)] : [];
        return Single(error, role, schema, privilege, $"use schema {SqlNames.Ident(schema.Name)}", why, durable);
    }

    private Diagnosis ExplainDatabase(PermissionError error, Role role, Privilege privilege, string verb)
    {
        var db = snapshot.Databases.FirstOrDefault(d => d.Name == error.ObjectName);
        if (db is null) return NotFound(error, role, new Resolution<Database>(null, [], false), d => d.Name);
        var why = privilege switch
        {
            Privilege.Connect => "logging in to a database needs CONNECT on it (PUBLIC has it by default, so it was revoked from PUBLIC and not granted to this role)",
            Privilege.Temporary => "creating temporary tables needs TEMPORARY on the database",
            _ => "creating schemas (or trusted extensions) in a database needs CREATE on it",
        };
        return Single(error, role, db, privilege, $"{verb} database {SqlNames.Ident(db.Name)}", why, []);
    }

    private Diagnosis ExplainFunction(PermissionError error, Role role)
    {
        var kinds = new HashSet<ObjectKind> { ObjectKind.Function, ObjectKind.Procedure, ObjectKind.Aggregate };
        var resolution = _names.Function(error.ObjectName, null, role.Name, kinds);
        if (resolution.Object is not { } f) return NotFound(error, role, resolution, Display);
        var word = f.Kind == ObjectKind.Procedure ? "procedure" : "function";
        var durable = DefaultPrivilegeFix(f.Owner, f.Schema, 'f', Privilege.Execute, role).ToImmutableArray();
        return Single(error, role, f, Privilege.Execute, $"call {word} {Display(f)}",
            $"calling a {word} needs EXECUTE on it (PUBLIC has it by default, so it was revoked)", durable);
    }

    private Diagnosis ExplainType(PermissionError error, Role role)
    {
        var resolution = _names.Type(error.ObjectName, null, role.Name);
        if (resolution.Object is not { } t) return NotFound(error, role, resolution, Display);
        return Single(error, role, t, Privilege.Usage, $"use {error.ObjectWord} {Display(t)}",
            "using a type or domain (in a column, a cast or a function signature) needs USAGE on it", []);
    }

    private Diagnosis ExplainLanguage(PermissionError error, Role role)
    {
        var lang = snapshot.Languages.FirstOrDefault(l => l.Name == error.ObjectName);
        if (lang is null) return NotFound(error, role, new Resolution<Language>(null, [], false), l => l.Name);
        return Single(error, role, lang, Privilege.Usage, $"create a function in language {lang.Name}",
            "creating a function in a language needs USAGE on the language (only trusted languages can be granted)", []);
    }

    /// <summary>A diagnosis for "one privilege on one object" errors.</summary>
    private Diagnosis Single(PermissionError error, Role role, ISecurable obj, Privilege privilege, string attempted, string why, ImmutableArray<SqlStatement> durable)
    {
        var q = Display(obj);
        var d = new Diagnosis { KindWord = error.ObjectWord ?? "object", Kind = obj.Kind, Object = q, Role = role.Name, Attempted = attempted };
        var decision = access.Decide(role.Oid, obj, privilege);
        var name = Privileges.SqlName(privilege);
        if (decision.Allowed)
            return Allowed(d, $"{role.Name} holds {name} on {q} now ({decision.Explanation()}): it was granted since the error, or the error came from another role.");
        return d with
        {
            Missing = [MissingPrivilege.Of(privilege, obj.Kind, q, why)],
            Cause = $"{role.Name} lacks {name} on {q}: {decision.Explanation()} {Capitalize(why)}.",
            Fix = [Grant(privilege, obj, role, why)],
            DurableFix = durable,
            CanFix = WhoCanGrant(obj, privilege),
        };
    }
}
