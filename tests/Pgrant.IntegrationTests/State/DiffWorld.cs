namespace Pgrant.IntegrationTests.State;

/// <summary>
/// A random but reproducible grant world for the diff test, on roles named with one prefix: an owner and five
/// more (one with a name that needs quoting); schema w with two tables, a view, a sequence, a function, a
/// procedure, an enum type and a domain, all owned by the owner; and random statements on them and on the
/// database: grants with and without grant option, grants by non-owners through SET ROLE (the generator
/// favours roles it gave a grant option), column grants, revokes (of grant options too, sometimes CASCADE),
/// PUBLIC granted and revoked, the owner revoking its own privileges; default privileges of several creators,
/// global and in schema w; memberships (16+ with INHERIT, SET, ADMIN and GRANTED BY). Statements the server
/// refuses are skipped: what remains is whatever state the server ends in.
/// </summary>
internal sealed class DiffWorld
{
    private readonly Random _rng;
    private readonly int _major;
    private readonly HashSet<(string Object, string Role)> _options = [];

    public DiffWorld(int seed, int major, string prefix)
    {
        _rng = new Random(seed);
        _major = major;
        Prefix = prefix;
        Owner = prefix + "_owner";
        Roles = [Owner, prefix + "_a", prefix + "_b", prefix + "_c", prefix + "_Q \"d\"", prefix + "_e"];
    }

    public string Prefix { get; }
    public string Owner { get; }
    public string[] Roles { get; }

    private string O => SqlNames.Ident(Owner);

    public IEnumerable<string> CreateRoles() => Roles.Select(r => $"CREATE ROLE {SqlNames.Ident(r)} NOLOGIN");

    public IEnumerable<string> DropRoles() => [$"DROP ROLE {string.Join(", ", Roles.Select(SqlNames.Ident))}"];

    /// <summary>The objects, the same in every database; created by the owner (who owns schema w).</summary>
    public IEnumerable<string> CreateObjects() =>
    [
        $"CREATE SCHEMA w AUTHORIZATION {O}",
        $"SET ROLE {O}",
        "CREATE TABLE w.t1 (a int, b text, \"Col C\" int)",
        "CREATE TABLE w.t2 (x int, y int)",
        "CREATE VIEW w.v1 AS SELECT a, b FROM w.t1",
        "CREATE SEQUENCE w.s1",
        "CREATE FUNCTION w.f1(i integer) RETURNS integer LANGUAGE sql AS 'SELECT i'",
        "CREATE PROCEDURE w.p1() LANGUAGE sql AS 'SELECT 1'",
        "CREATE TYPE w.ty1 AS ENUM ('x', 'y')",
        "CREATE DOMAIN w.d1 AS integer",
        "RESET ROLE",
    ];

    // One DROP OWNED per role: with several roles at once, a default ACL of one role that names another is
    // dropped twice and the server fails with "could not find tuple for default ACL" (seen on 15 and 16).
    public IEnumerable<string> DropObjects() =>
        [.. Roles.Select(r => $"DROP OWNED BY {SqlNames.Ident(r)}"), "DROP SCHEMA IF EXISTS w CASCADE"];

    private sealed record Target(string Keyword, string Name, string[] Privileges, string[] Columns, bool OwnedByWorld);

    private Target[] Targets(string database)
    {
        string[] table = _major >= 17
            ? ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"]
            : ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
        return
        [
            new("TABLE", "w.t1", table, ["a", "b", "\"Col C\""], true),
            new("TABLE", "w.t2", table, ["x", "y"], true),
            new("TABLE", "w.v1", table, ["a", "b"], true),
            new("SEQUENCE", "w.s1", ["USAGE", "SELECT", "UPDATE"], [], true),
            new("FUNCTION", "w.f1(integer)", ["EXECUTE"], [], true),
            new("PROCEDURE", "w.p1()", ["EXECUTE"], [], true),
            new("TYPE", "w.ty1", ["USAGE"], [], true),
            new("DOMAIN", "w.d1", ["USAGE"], [], true),
            new("SCHEMA", "w", ["USAGE", "CREATE"], [], true),
            new("DATABASE", SqlNames.Ident(database), ["CREATE", "CONNECT", "TEMPORARY"], [], false),
        ];
    }

    /// <summary>Random object grants and revokes in one database; each item is one batch (SET ROLE … RESET ROLE).</summary>
    public List<string> Acl(string database, int count)
    {
        _options.Clear();
        var targets = Targets(database);
        var result = new List<string>();
        // Seeds for chains: USAGE on the schema (a role acting as itself needs it to name the objects) and grant
        // options from the owner; later statements revoke some of them again.
        foreach (var role in Roles.Skip(1).Where(_ => Chance(0.6)))
            result.Add($"GRANT USAGE ON SCHEMA w TO {SqlNames.Ident(role)}{(Chance(0.3) ? " WITH GRANT OPTION" : "")}");
        foreach (var t in targets)
            foreach (var role in Roles.Skip(1).Where(_ => Chance(0.25)))
            {
                _options.Add((t.Name, SqlNames.Ident(role)));
                result.Add($"GRANT {string.Join(", ", Some(t.Privileges))} ON {t.Keyword} {t.Name} TO {SqlNames.Ident(role)} WITH GRANT OPTION");
            }
        for (var i = 0; i < count; i++)
        {
            var t = targets[_rng.Next(targets.Length)];
            var column = t.Columns.Length > 0 && Chance(0.3) ? t.Columns[_rng.Next(t.Columns.Length)] : null;
            string[] pool = column is null ? t.Privileges : t.Privileges.Where(p => p is "SELECT" or "INSERT" or "UPDATE" or "REFERENCES").ToArray();
            var privileges = string.Join(", ", Some(pool).Select(p => column is null ? p : $"{p} ({column})"));
            var on = $"{t.Keyword} {t.Name}";
            var actor = Actor(t);
            var roll = _rng.NextDouble();
            string statement;
            if (roll < 0.55)
            {
                var grantee = Grantee(out var isPublic);
                var option = !isPublic && Chance(0.35);
                if (option) _options.Add((t.Name, grantee));
                statement = $"GRANT {privileges} ON {on} TO {grantee}{(option ? " WITH GRANT OPTION" : "")}";
            }
            else if (roll < 0.85)
            {
                var grantee = Grantee(out var isPublic);
                var optionOnly = !isPublic && Chance(0.3);
                statement = $"REVOKE {(optionOnly ? "GRANT OPTION FOR " : "")}{privileges} ON {on} FROM {grantee}{(Chance(0.15) ? " CASCADE" : "")}";
            }
            else if (roll < 0.93 && t.OwnedByWorld)
            {
                // The owner revokes (part of) its own privileges.
                statement = $"REVOKE {privileges} ON {on} FROM {O}";
                actor = null;
            }
            else
            {
                statement = Chance(0.5) ? $"GRANT {privileges} ON {on} TO PUBLIC" : $"REVOKE {privileges} ON {on} FROM PUBLIC";
            }
            result.Add(actor is null ? statement : $"SET ROLE {SqlNames.Ident(actor)}; {statement}; RESET ROLE");
        }
        return result;
    }

    // Who runs a grant or revoke: the superuser (recorded as the owner) half of the time, else a role, mostly one
    // the generator gave a grant option on the object.
    private string? Actor(Target t)
    {
        if (Chance(0.35)) return null;
        var holders = _options.Where(o => o.Object == t.Name).Select(o => o.Role).ToList();
        if (holders.Count > 0 && Chance(0.85)) return Unquote(holders[_rng.Next(holders.Count)]);
        return t.OwnedByWorld && Chance(0.2) ? Owner : Roles[1 + _rng.Next(Roles.Length - 1)];
    }

    private static string Unquote(string ident) =>
        ident.StartsWith('"') ? ident[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : ident;

    /// <summary>Random ALTER DEFAULT PRIVILEGES in one database: several creators, global and in schema w.</summary>
    public List<string> Defaults(int count)
    {
        var types = new List<(string Keyword, string[] Privileges, bool GlobalOnly)>
        {
            ("TABLES", _major >= 17 ? ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"] : ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"], false),
            ("SEQUENCES", ["USAGE", "SELECT", "UPDATE"], false),
            ("FUNCTIONS", ["EXECUTE"], false),
            ("TYPES", ["USAGE"], false),
            ("SCHEMAS", ["USAGE", "CREATE"], true),
        };
        if (_major >= 18) types.Add(("LARGE OBJECTS", ["SELECT", "UPDATE"], true));
        var creators = Roles.OrderBy(_ => _rng.Next()).Take(3).ToArray();
        var result = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var (keyword, privileges, globalOnly) = types[_rng.Next(types.Count)];
            var creator = creators[_rng.Next(creators.Length)];
            var inSchema = !globalOnly && Chance(0.5) ? " IN SCHEMA w" : "";
            var grantee = Chance(0.2) ? SqlNames.Ident(creator) : Grantee(out _);
            var isPublic = grantee == "PUBLIC";
            var list = string.Join(", ", Some(privileges));
            var prefix = $"ALTER DEFAULT PRIVILEGES FOR ROLE {SqlNames.Ident(creator)}{inSchema}";
            result.Add(Chance(0.6)
                ? $"{prefix} GRANT {list} ON {keyword} TO {grantee}{(!isPublic && Chance(0.3) ? " WITH GRANT OPTION" : "")}"
                : $"{prefix} REVOKE {(!isPublic && Chance(0.25) ? "GRANT OPTION FOR " : "")}{list} ON {keyword} FROM {grantee}");
        }
        return result;
    }

    /// <summary>Random membership statements among the roles (run by the superuser; the cluster starts with none of them).</summary>
    public List<string> Memberships(int count)
    {
        var result = new List<string>();
        var admins = new List<(string Role, string Member)>();
        for (var i = 0; i < count; i++)
        {
            var role = SqlNames.Ident(Roles[_rng.Next(Roles.Length)]);
            var member = SqlNames.Ident(Roles[_rng.Next(Roles.Length)]);
            var grantor = "";
            // A grant by a role the generator gave ADMIN on that role (16+ needs it), or by any role (13–15 record any).
            var granting = admins.Where(x => x.Role == role).ToList();
            if (granting.Count > 0 && Chance(0.6)) grantor = $" GRANTED BY {granting[_rng.Next(granting.Count)].Member}";
            else if (Chance(0.2)) grantor = $" GRANTED BY {SqlNames.Ident(Roles[_rng.Next(Roles.Length)])}";
            var roll = _rng.NextDouble();
            if (roll < 0.7)
            {
                var options = new List<string>();
                if (Chance(0.4))
                {
                    options.Add(_major >= 16 ? "ADMIN TRUE" : "ADMIN OPTION");
                    admins.Add((role, member));
                }
                if (_major >= 16)
                {
                    if (Chance(0.35)) options.Add(Chance(0.6) ? "INHERIT FALSE" : "INHERIT TRUE");
                    if (Chance(0.3)) options.Add(Chance(0.6) ? "SET FALSE" : "SET TRUE");
                }
                result.Add($"GRANT {role} TO {member}{(options.Count == 0 ? "" : " WITH " + string.Join(", ", options))}{grantor}");
            }
            else
            {
                string[] which = _major >= 16 ? ["", "ADMIN OPTION FOR ", "INHERIT OPTION FOR ", "SET OPTION FOR "] : ["", "ADMIN OPTION FOR "];
                result.Add($"REVOKE {which[_rng.Next(which.Length)]}{role} FROM {member}{grantor}{(Chance(0.2) ? " CASCADE" : "")}");
            }
        }
        return result;
    }

    private string Grantee(out bool isPublic)
    {
        isPublic = Chance(0.15);
        return isPublic ? "PUBLIC" : SqlNames.Ident(Roles[_rng.Next(Roles.Length)]);
    }

    private IEnumerable<string> Some(string[] pool)
    {
        var chosen = pool.Where(_ => Chance(0.35)).ToList();
        if (chosen.Count == 0) chosen.Add(pool[_rng.Next(pool.Length)]);
        return chosen;
    }

    private bool Chance(double p) => _rng.NextDouble() < p;
}
