using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Pgrant.Core.Acl;
using Pgrant.Core.Sql;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pgrant.Spec;

/// <summary>
/// Reads a spec from YAML. Strict: an unknown key, a value of the wrong type, an unknown privilege for a kind,
/// a profile that does not exist or a role declared twice is a <see cref="SpecException"/> naming the file,
/// line and column and what was expected. Scalars are typed as YAML 1.2's core schema types them (what the
/// JSON Schema sees): <c>true</c> is a boolean, <c>12</c> a number, <c>~</c> null; quote a name that would read
/// otherwise (<c>"123"</c>, <c>"true"</c>).
/// </summary>
public static partial class SpecLoader
{
    /// <summary>The JSON Schema (draft 2020-12) of the spec, as shipped in <c>schemas/pgrant-spec.schema.json</c>.</summary>
    public static string JsonSchema()
    {
        using var stream = typeof(SpecLoader).Assembly.GetManifestResourceStream("pgrant-spec.schema.json")
            ?? throw new InvalidOperationException("the spec's JSON Schema is not embedded in Pgrant.Spec");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Reads and parses a spec file; its name (as given) is in every error.</summary>
    public static AccessSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses spec text; <paramref name="fileName"/> is what errors call it.</summary>
    public static AccessSpec Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new SpecException(new SpecLocation(fileName, (int)e.Start.Line, (int)e.Start.Column), SyntaxProblem(e, e.Message, text));
        }
        if (stream.Documents.Count > 1)
            throw new SpecException(new SpecLocation(fileName, (int)stream.Documents[1].RootNode.Start.Line, (int)stream.Documents[1].RootNode.Start.Column),
                "a spec is one YAML document (expected no second ---)");
        return new Reader(fileName).Spec(stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode);
    }

    private static string SyntaxProblem(YamlException e, string message, string text)
    {
        if (message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase) || e.InnerException is ArgumentException)
        {
            // A role, schema or profile declared twice is a key twice in one mapping.
            var key = ScalarAt(text, e.Start);
            return key is not null ? $"{Quote(key)} appears twice in one mapping (expected each name and key once)"
                : "a key appears twice in one mapping (expected each name and key once)";
        }
        // YamlDotNet's messages start with the location again: "(Line: 3, Col: 5, Idx: …) - (…): text".
        var problem = LocationPrefix().Replace(message, "").Trim();
        return problem.Length == 0 ? "YAML syntax error" : $"YAML syntax: {char.ToLowerInvariant(problem[0])}{problem[1..]}";
    }

    /// <summary>A name in a message, in double quotes with inner quotes doubled (as PostgreSQL quotes identifiers).</summary>
    internal static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex LocationPrefix();

    // The scalar that starts at a mark (the key YamlDotNet reports twice), read with the event parser.
    private static string? ScalarAt(string text, Mark at)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
                if (parser.Current is YamlDotNet.Core.Events.Scalar scalar && scalar.Start.Line == at.Line && scalar.Start.Column == at.Column)
                    return scalar.Value;
        }
        catch (YamlException)
        {
            // The key is only for the message; without it the message is still right.
        }
        return null;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    internal static partial Regex IntegerPattern();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    internal static partial Regex FloatPattern();

    /// <summary>The type YAML 1.2's core schema gives a scalar: "null", "boolean", "integer", "number" or "string".</summary>
    internal static string TypeOf(YamlScalarNode scalar)
    {
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded) return "string";
        var v = scalar.Value ?? "";
        if (v is "" or "~" or "null" or "Null" or "NULL") return "null";
        if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE") return "boolean";
        if (IntegerPattern().IsMatch(v)) return "integer";
        if (FloatPattern().IsMatch(v)) return "number";
        return "string";
    }

    private sealed class Reader(string file)
    {
        private SpecLocation At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

        private SpecException Error(YamlNode node, string problem, string? hint = null) => new(At(node), problem, hint);

        private static string Describe(YamlNode node) => node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            YamlScalarNode s => TypeOf(s) switch
            {
                "null" => "nothing",
                "boolean" => $"the boolean {s.Value}",
                "integer" or "number" => $"the number {s.Value}",
                _ => $"\"{s.Value}\"",
            },
            _ => "something else",
        };

        public AccessSpec Spec(YamlNode? root)
        {
            var roles = ImmutableArray.CreateBuilder<RoleSpec>();
            var memberships = ImmutableArray.CreateBuilder<MembershipSpec>();
            var databases = ImmutableArray.CreateBuilder<DatabaseSpec>();
            var schemas = ImmutableArray.CreateBuilder<SchemaSpec>();
            var profiles = ImmutableArray.CreateBuilder<ProfileSpec>();
            var access = ImmutableArray.CreateBuilder<ProfileUse>();
            var grants = ImmutableArray.CreateBuilder<GrantSpec>();
            var defaults = ImmutableArray.CreateBuilder<DefaultPrivilegeSpec>();
            if (root is null || root is YamlScalarNode { Value: "" or "~" or "null" } && TypeOf((YamlScalarNode)root) == "null")
                return new AccessSpec(file, [], [], [], [], [], [], [], []);
            var map = Mapping(root, "the spec");
            var accessNodes = new List<YamlNode>();
            foreach (var (key, value) in Entries(map, "version", "roles", "memberships", "databases", "schemas", "profiles", "access", "grants", "default_privileges"))
            {
                switch (key)
                {
                    case "version":
                        if (value is not YamlScalarNode { Value: "1" } v || TypeOf(v) != "integer")
                            throw Error(value, $"unknown spec version {Describe(value)} (expected 1)");
                        break;
                    case "roles":
                        foreach (var (name, node) in NamedEntries(value, "roles")) roles.Add(Role(name, node, memberships));
                        break;
                    case "memberships":
                        foreach (var item in Items(value, "memberships")) memberships.AddRange(Membership(item));
                        break;
                    case "databases":
                        foreach (var (name, node) in NamedEntries(value, "databases"))
                        {
                            var (owner, acl) = Owned(node, ObjectKind.Database);
                            databases.Add(new DatabaseSpec(name, owner, acl, At(node)));
                        }
                        break;
                    case "schemas":
                        foreach (var (name, node) in NamedEntries(value, "schemas"))
                        {
                            var (owner, acl) = Owned(node, ObjectKind.Schema);
                            schemas.Add(new SchemaSpec(name, owner, acl, At(node)));
                        }
                        break;
                    case "profiles":
                        foreach (var (name, node) in NamedEntries(value, "profiles"))
                        {
                            if (ProfileSpec.BuiltIn.Any(p => p.Name == name))
                                throw Error(node, $"profile \"{name}\" is built in (expected another name for a profile of your own)");
                            profiles.Add(Profile(name, node));
                        }
                        break;
                    case "access":
                        accessNodes.AddRange(Items(value, "access"));
                        break;
                    case "grants":
                        foreach (var item in Items(value, "grants")) grants.Add(Grant(item));
                        break;
                    case "default_privileges":
                        foreach (var item in Items(value, "default_privileges")) defaults.Add(DefaultPrivilege(item));
                        break;
                }
            }
            // Profiles may be defined after they are used: read the uses once all are known.
            foreach (var item in accessNodes) access.Add(Use(item, profiles));
            return new AccessSpec(file, roles.ToImmutable(), memberships.ToImmutable(), databases.ToImmutable(), schemas.ToImmutable(),
                profiles.ToImmutable(), access.ToImmutable(), grants.ToImmutable(), defaults.ToImmutable());
        }

        private RoleSpec Role(string name, YamlNode node, ImmutableArray<MembershipSpec>.Builder memberships)
        {
            var role = new RoleSpec(name, At(node));
            if (IsNull(node)) return role;
            foreach (var (key, value) in Entries(Mapping(node, $"role \"{name}\""), "login", "superuser", "createdb", "createrole", "replication",
                "bypassrls", "inherit", "connection_limit", "valid_until", "comment", "password", "config", "database_config", "member_of"))
            {
                role = key switch
                {
                    "login" => role with { Login = Bool(value, key) },
                    "superuser" => role with { Superuser = Bool(value, key) },
                    "createdb" => role with { CreateDb = Bool(value, key) },
                    "createrole" => role with { CreateRole = Bool(value, key) },
                    "replication" => role with { Replication = Bool(value, key) },
                    "bypassrls" => role with { BypassRls = Bool(value, key) },
                    "inherit" => role with { Inherit = Bool(value, key) },
                    "connection_limit" => role with { ConnectionLimit = ConnectionLimit(value) },
                    "valid_until" => role with { ValidUntil = String(value, key) },
                    "comment" => role with { Comment = String(value, key) },
                    "password" => role with { Password = Password(value) },
                    "config" => role with { Config = Config(value, key) },
                    "database_config" => role with { DatabaseConfig = DatabaseConfig(value) },
                    "member_of" => MemberOf(role, value, memberships),
                    _ => role,
                };
            }
            return role;
        }

        private RoleSpec MemberOf(RoleSpec role, YamlNode value, ImmutableArray<MembershipSpec>.Builder memberships)
        {
            foreach (var (group, node) in Strings(value, "member_of"))
                memberships.Add(new MembershipSpec(group, role.Name, false, null, null, null, At(node)));
            return role;
        }

        private int ConnectionLimit(YamlNode value)
        {
            if (value is YamlScalarNode s && TypeOf(s) == "integer" && int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= -1)
                return n;
            throw Error(value, $"connection_limit is {Describe(value)} (expected a whole number, -1 for no limit)");
        }

        private PasswordReference Password(YamlNode value)
        {
            if (value is not YamlMappingNode map)
                throw Error(value, "password is not {env: NAME} (expected the name of an environment variable that holds it; a password is never written in a spec)");
            string? env = null;
            foreach (var (key, v) in Entries(map, "env")) env = String(v, key);
            if (string.IsNullOrEmpty(env)) throw Error(value, "password needs env (expected {env: NAME})");
            return new PasswordReference(env);
        }

        private ImmutableSortedDictionary<string, string> Config(YamlNode value, string what)
        {
            var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            foreach (var (name, node) in NamedEntries(value, what))
            {
                if (node is not YamlScalarNode s || TypeOf(s) == "null")
                    throw Error(node, $"setting {name} is {Describe(node)} (expected a value: a string, number or boolean)");
                result[name] = s.Value ?? "";
            }
            return result.ToImmutable();
        }

        private ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, string>> DatabaseConfig(YamlNode value)
        {
            var result = ImmutableSortedDictionary.CreateBuilder<string, ImmutableSortedDictionary<string, string>>(StringComparer.Ordinal);
            foreach (var (database, node) in NamedEntries(value, "database_config")) result[database] = Config(node, $"database_config of {database}");
            return result.ToImmutable();
        }

        private IEnumerable<MembershipSpec> Membership(YamlNode item)
        {
            string? role = null, grantor = null;
            var members = new List<(string, YamlNode)>();
            bool admin = false;
            bool? inherit = null, set = null;
            var map = Mapping(item, "a membership");
            foreach (var (key, value) in Entries(map, "role", "member", "admin", "inherit", "set", "grantor"))
            {
                switch (key)
                {
                    case "role": role = String(value, key); break;
                    case "member": members.AddRange(Strings(value, key)); break;
                    case "admin": admin = Bool(value, key); break;
                    case "inherit": inherit = Bool(value, key); break;
                    case "set": set = Bool(value, key); break;
                    case "grantor": grantor = String(value, key); break;
                }
            }
            Require(map, role, "role", "a membership");
            if (members.Count == 0) throw Error(map, "a membership needs member (expected a role name or a list of them)");
            return members.Select(m => new MembershipSpec(role!, m.Item1, admin, inherit, set, grantor, At(m.Item2)));
        }

        private (string? Owner, ImmutableArray<AclGrantSpec> Grants) Owned(YamlNode node, ObjectKind kind)
        {
            if (IsNull(node)) return (null, []);
            string? owner = null;
            var grants = ImmutableArray.CreateBuilder<AclGrantSpec>();
            foreach (var (key, value) in Entries(Mapping(node, kind == ObjectKind.Schema ? "a schema" : "a database"), "owner", "grants"))
            {
                if (key == "owner") owner = String(value, key);
                else
                    foreach (var item in Items(value, key))
                    {
                        ImmutableArray<string?> to = [];
                        SpecPrivileges? privileges = null;
                        var withGrantOption = false;
                        var map = Mapping(item, "a grant");
                        foreach (var (k, v) in Entries(map, "to", "privileges", "with_grant_option"))
                        {
                            if (k == "to") to = Grantees(v);
                            else if (k == "privileges") privileges = PrivilegesOf(v, kind);
                            else withGrantOption = Bool(v, k);
                        }
                        if (to.IsEmpty) throw Error(map, "a grant needs to (expected a role name, a list of them, or PUBLIC)");
                        if (privileges is null) throw Error(map, $"a grant needs privileges (expected {SpecVocabulary.Expected(kind)})");
                        grants.Add(new AclGrantSpec(to, privileges.Value, withGrantOption, At(map)));
                    }
            }
            return (owner, grants.ToImmutable());
        }

        private ProfileSpec Profile(string name, YamlNode node)
        {
            var result = ImmutableSortedDictionary.CreateBuilder<ProfileTarget, SpecPrivileges>();
            foreach (var (key, value) in Entries(Mapping(node, $"profile \"{name}\""), [.. SpecVocabulary.ProfileTargets.Keys]))
            {
                var target = SpecVocabulary.ProfileTargets[key];
                result[target] = PrivilegesOf(value, SpecVocabulary.Kind(target));
            }
            return new ProfileSpec(name, result.ToImmutable(), At(node));
        }

        private ProfileUse Use(YamlNode item, ImmutableArray<ProfileSpec>.Builder profiles)
        {
            var map = Mapping(item, "an access entry");
            ImmutableArray<string> to = [], schemas = [], except = [], exceptObjects = [], creators = [];
            string? profile = null;
            YamlNode? profileNode = null;
            var future = true;
            foreach (var (key, value) in Entries(map, "to", "profile", "schemas", "except", "except_objects", "creators", "future_objects"))
            {
                switch (key)
                {
                    case "to": to = [.. Strings(value, key).Select(s => s.Value)]; break;
                    case "profile": profile = String(value, key); profileNode = value; break;
                    case "schemas": schemas = [.. Strings(value, key).Select(s => s.Value)]; break;
                    case "except": except = [.. Strings(value, key).Select(s => s.Value)]; break;
                    case "except_objects": exceptObjects = [.. Strings(value, key).Select(s => s.Value)]; break;
                    case "creators": creators = [.. Strings(value, key).Select(s => s.Value)]; break;
                    case "future_objects": future = Bool(value, key); break;
                }
            }
            if (to.IsEmpty) throw Error(map, "an access entry needs to (expected a role name or a list of them)");
            Require(map, profile, "profile", "an access entry");
            if (schemas.IsEmpty) throw Error(map, "an access entry needs schemas (expected schema names or globs such as app_* or *)");
            if (!profiles.Any(p => p.Name == profile) && !ProfileSpec.BuiltIn.Any(p => p.Name == profile))
            {
                var known = ProfileSpec.BuiltIn.Select(p => p.Name).Concat(profiles.Select(p => p.Name));
                throw Error(profileNode!, $"profile \"{profile}\" does not exist (expected {string.Join(", ", known)}, or one defined under profiles:)");
            }
            return new ProfileUse(to, profile!, schemas, except, exceptObjects, creators, future, At(map));
        }

        private GrantSpec Grant(YamlNode item)
        {
            var map = Mapping(item, "a grant");
            SpecObjectKind? on = null;
            string? schema = null, arguments = null;
            ImmutableArray<string> names = [], columns = [];
            ImmutableArray<uint> oids = [];
            ImmutableArray<string?> to = [];
            YamlNode? privilegesNode = null;
            var withGrantOption = false;
            var present = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (key, value) in Entries(map, "to", "on", "schema", "names", "columns", "arguments", "oids", "privileges", "with_grant_option"))
            {
                present[key] = value;
                switch (key)
                {
                    case "to": to = Grantees(value); break;
                    case "on":
                        var word = String(value, key);
                        on = SpecVocabulary.ObjectKinds.TryGetValue(word, out var k) ? k
                            : throw Error(value, $"unknown kind of object \"{word}\" (expected {string.Join(", ", SpecVocabulary.ObjectKinds.Keys)})");
                        break;
                    case "schema": schema = String(value, key); break;
                    case "names": names = [.. Strings(value, key).Select(s => s.Value)]; break;
                    case "columns": columns = [.. Strings(value, key).Select(s => s.Value)]; break;
                    case "arguments": arguments = String(value, key); break;
                    case "oids": oids = Oids(value); break;
                    case "privileges": privilegesNode = value; break;
                    case "with_grant_option": withGrantOption = Bool(value, key); break;
                }
            }
            if (on is not { } kind) throw Error(map, $"a grant needs on (expected {string.Join(", ", SpecVocabulary.ObjectKinds.Keys)})");
            var onWord = SpecVocabulary.ObjectKinds.First(p => p.Value == kind).Key;
            if (to.IsEmpty) throw Error(map, "a grant needs to (expected a role name, a list of them, or PUBLIC)");
            void Forbid(string key, string why)
            {
                if (present.TryGetValue(key, out var node)) throw Error(node, $"{key} does not apply to {onWord} ({why})");
            }
            if (SpecVocabulary.InSchema(kind))
            {
                if (schema is null) throw Error(map, $"a grant on {onWord} needs schema (expected a schema name or glob)");
            }
            else Forbid("schema", $"{onWord} are not in a schema");
            if (kind == SpecObjectKind.LargeObjects)
            {
                Forbid("names", "large objects have OIDs: expected oids");
                if (oids.IsEmpty) throw Error(map, "a grant on large_objects needs oids (expected a list of OIDs)");
            }
            else
            {
                Forbid("oids", "only large objects are named by OID");
                if (names.IsEmpty) throw Error(map, $"a grant on {onWord} needs names (expected names or globs; * for all)");
            }
            if (!SpecVocabulary.IsRelation(kind)) Forbid("columns", "only tables, views, materialized views, partitioned and foreign tables have column grants");
            if (!SpecVocabulary.IsRoutine(kind)) Forbid("arguments", "only functions, procedures and aggregates have arguments");
            var objectKind = columns.IsEmpty ? SpecVocabulary.Kind(kind) : ObjectKind.Column;
            if (privilegesNode is null) throw Error(map, $"a grant needs privileges (expected {SpecVocabulary.Expected(objectKind)})");
            var privileges = PrivilegesOf(privilegesNode, objectKind);
            return new GrantSpec(kind, schema, names, columns, arguments, oids, to, privileges, withGrantOption, At(map));
        }

        private DefaultPrivilegeSpec DefaultPrivilege(YamlNode item)
        {
            var map = Mapping(item, "a default privilege");
            ImmutableArray<string> creators = [];
            string? schema = null;
            DefaultObjectType? on = null;
            ImmutableArray<string?> to = [];
            YamlNode? privilegesNode = null, schemaNode = null;
            var withGrantOption = false;
            foreach (var (key, value) in Entries(map, "for_role", "schema", "on", "to", "privileges", "with_grant_option"))
            {
                switch (key)
                {
                    case "for_role": creators = [.. Strings(value, key).Select(s => s.Value)]; break;
                    case "schema": schema = String(value, key); schemaNode = value; break;
                    case "on":
                        var word = String(value, key);
                        on = SpecVocabulary.DefaultTypes.TryGetValue(word, out var t) ? t
                            : throw Error(value, $"unknown kind of default privilege \"{word}\" (expected {string.Join(", ", SpecVocabulary.DefaultTypes.Keys)})");
                        break;
                    case "to": to = Grantees(value); break;
                    case "privileges": privilegesNode = value; break;
                    case "with_grant_option": withGrantOption = Bool(value, key); break;
                }
            }
            if (creators.IsEmpty) throw Error(map, "a default privilege needs for_role (expected the role, or roles, whose new objects get it)");
            if (on is not { } type) throw Error(map, $"a default privilege needs on (expected {string.Join(", ", SpecVocabulary.DefaultTypes.Keys)})");
            if (schemaNode is not null && type is DefaultObjectType.Schemas or DefaultObjectType.LargeObjects)
                throw Error(schemaNode, $"default privileges on {SpecVocabulary.DefaultTypes.First(p => p.Value == type).Key} are global only (expected no schema)");
            if (to.IsEmpty) throw Error(map, "a default privilege needs to (expected a role name, a list of them, or PUBLIC)");
            var kind = Pgrant.Core.State.GrantState.DefaultKind(type);
            if (privilegesNode is null) throw Error(map, $"a default privilege needs privileges (expected {SpecVocabulary.Expected(kind)})");
            return new DefaultPrivilegeSpec(creators, schema, type, to, PrivilegesOf(privilegesNode, kind), withGrantOption, At(map));
        }

        private SpecPrivileges PrivilegesOf(YamlNode node, ObjectKind kind)
        {
            var bits = Privilege.None;
            var all = false;
            var allowed = SpecVocabulary.Allowed(kind);
            foreach (var (word, at) in Strings(node, "privileges"))
            {
                if (word == "ALL") { all = true; continue; }
                var p = SpecVocabulary.Parse(word);
                if (p is not { } privilege || (allowed & privilege) == 0)
                {
                    var hint = p is null && SpecVocabulary.Parse(word.ToUpperInvariant()) is not null ? "; privileges are written in capitals" : "";
                    throw Error(at, $"unknown privilege \"{word}\" for {SpecVocabulary.Article(kind)} (expected {SpecVocabulary.Expected(kind)}{hint})");
                }
                bits |= privilege;
            }
            if (all && bits != Privilege.None) throw Error(node, "privileges name ALL and others (expected ALL alone, or a list without ALL)");
            return new SpecPrivileges(bits, all);
        }

        private ImmutableArray<string?> Grantees(YamlNode node) =>
            [.. Strings(node, "to").Select(s => s.Value is "PUBLIC" ? null : s.Value)];

        private ImmutableArray<uint> Oids(YamlNode node)
        {
            var result = ImmutableArray.CreateBuilder<uint>();
            foreach (var item in node is YamlSequenceNode seq ? seq.Children : (IEnumerable<YamlNode>)[node])
            {
                if (item is YamlScalarNode s && TypeOf(s) == "integer" && uint.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var oid) && oid > 0)
                    result.Add(oid);
                else throw Error(item, $"oid is {Describe(item)} (expected a large object's OID, a positive whole number)");
            }
            return result.ToImmutable();
        }

        private static bool IsNull(YamlNode node) => node is YamlScalarNode s && TypeOf(s) == "null";

        private YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} is {Describe(node)} (expected a mapping of keys to values)");

        private IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode map, params string[] allowed)
        {
            foreach (var (k, v) in map.Children)
            {
                if (k is not YamlScalarNode key) throw Error(k, "a key is not a plain name (expected a name)");
                var name = key.Value ?? "";
                if (!allowed.Contains(name))
                    throw Error(k, $"unknown key \"{name}\" (expected {Or(allowed)})");
                yield return (name, v);
            }
        }

        private IEnumerable<(string Name, YamlNode Value)> NamedEntries(YamlNode node, string what)
        {
            if (IsNull(node)) yield break;
            foreach (var (k, v) in Mapping(node, what).Children)
            {
                if (k is not YamlScalarNode key || string.IsNullOrEmpty(key.Value)) throw Error(k, $"a name under {what} is empty (expected a name)");
                yield return (key.Value, v);
            }
        }

        private IEnumerable<YamlNode> Items(YamlNode node, string what)
        {
            if (IsNull(node)) return [];
            return node is YamlSequenceNode seq ? seq.Children : throw Error(node, $"{what} is {Describe(node)} (expected a list)");
        }

        private string String(YamlNode node, string key) =>
            node is YamlScalarNode s && TypeOf(s) == "string" && s.Value is { Length: > 0 } v ? v
                : throw Error(node, $"{key} is {Describe(node)} (expected a string; quote a value that reads as a number or boolean)");

        private bool Bool(YamlNode node, string key) =>
            node is YamlScalarNode s && TypeOf(s) == "boolean" ? s.Value![0] is 't' or 'T'
                : throw Error(node, $"{key} is {Describe(node)} (expected true or false)");

        private List<(string Value, YamlNode Node)> Strings(YamlNode node, string key)
        {
            if (node is YamlSequenceNode seq)
            {
                if (seq.Children.Count == 0) throw Error(node, $"{key} is an empty list (expected at least one name)");
                return [.. seq.Children.Select(c => (String(c, key), c))];
            }
            return [(String(node, key), node)];
        }

        private void Require(YamlMappingNode map, string? value, string key, string what)
        {
            if (value is null) throw Error(map, $"{what} needs {key}");
        }

        private static string Or(string[] words) =>
            words.Length == 1 ? words[0] : string.Join(", ", words[..^1]) + " or " + words[^1];
    }
}
