using Pgrant.Core.Acl;

namespace Pgrant.IntegrationTests.Access;

/// <summary>
/// A random but reproducible privilege world for the oracle test: roles with random attributes,
/// an acyclic membership graph (16+: random INHERIT/SET/ADMIN per grant), members of the
/// predefined roles, a database owned by a random role, and objects with random grants — grant
/// options, PUBLIC, column grants, owners that revoked their own rights, and untouched NULL ACLs —
/// on every kind the snapshot holds: tables, views, matviews, foreign and partitioned tables (and a
/// partition), sequences, columns, system columns (tableoid, ctid … carry column grants too), schemas,
/// databases, functions, procedures, aggregates, enum, composite, range (and 14+ multirange) types, domains,
/// tables' row types (they have ACLs of their own) and, implicitly, every type's array type, the trusted
/// languages sql and plpgsql, and large objects.
/// </summary>
internal sealed class OracleWorld
{
    public const string DatabaseName = "oracle";

    /// <summary>
    /// A role that is granted nothing, ever: it holds exactly what PUBLIC holds, so running a statement as it
    /// answers for PUBLIC where no has_*_privilege function exists (large objects before 18). It also receives
    /// the trial GRANTs of the grant-option probe, inside rolled-back subtransactions.
    /// </summary>
    public const string ProbeRole = "oracle probe";

    /// <summary>The large objects of the world, by OID (lo_create with a fixed OID).</summary>
    public static readonly uint[] LargeObjects = [70001, 70002, 70003, 70004];

    private readonly Random _rng;
    private readonly int _major;
    private readonly List<string> _roles = [];

    public OracleWorld(int seed, int major)
    {
        _rng = new Random(seed);
        _major = major;
        var count = _rng.Next(12, 21);
        for (var i = 0; i < count; i++) _roles.Add(i == 3 ? "App \"Rw\" " + i : $"r{i:00}");
    }

    /// <summary>Statements run as the bootstrap superuser in the maintenance database (roles are cluster-wide).</summary>
    public IEnumerable<string> ClusterSql()
    {
        var superuserMade = false;
        foreach (var role in _roles)
        {
            var attrs = new List<string> { Chance(0.5) ? "LOGIN" : "NOLOGIN", Chance(0.3) ? "NOINHERIT" : "INHERIT" };
            if (!superuserMade && Chance(0.06)) { attrs.Add("SUPERUSER"); superuserMade = true; }
            yield return $"CREATE ROLE {SqlNames.Ident(role)} {string.Join(' ', attrs)}";
        }
        // Edges only from later roles (members) to earlier ones (groups): the graph cannot have a cycle.
        for (var m = 1; m < _roles.Count; m++)
        {
            var groups = Enumerable.Range(0, m).OrderBy(_ => _rng.Next()).Take(_rng.Next(0, 4));
            foreach (var g in groups) yield return GrantRole(_roles[g], _roles[m]);
        }
        // pg_read_all_data and pg_write_all_data exist from 14 on.
        var predefined = _major >= 14 ? new List<string> { "pg_read_all_data", "pg_write_all_data" } : [];
        if (_major >= 17) predefined.Add("pg_maintain");
        foreach (var p in predefined)
            foreach (var member in Pick(_rng.Next(1, 3)))
                yield return GrantRole(p, member);
        yield return $"CREATE ROLE {SqlNames.Ident(ProbeRole)} NOLOGIN";
        yield return $"CREATE DATABASE {DatabaseName}";
        yield return $"ALTER DATABASE {DatabaseName} OWNER TO {SqlNames.Ident(RandomRole())}";
        foreach (var s in RandomGrants("DATABASE", DatabaseName, ["CREATE", "TEMPORARY", "CONNECT"]))
            yield return s;
    }

    /// <summary>Statements run as the bootstrap superuser inside the oracle database.</summary>
    public IEnumerable<string> DatabaseSql()
    {
        var appOwner = SqlNames.Ident(RandomRole());
        yield return $"CREATE SCHEMA app AUTHORIZATION {appOwner}";
        yield return $"CREATE SCHEMA untouched AUTHORIZATION {SqlNames.Ident(RandomRole())}";
        yield return "CREATE TABLE app.t1 (id serial PRIMARY KEY, a int, b text, c int)";
        yield return "CREATE TABLE app.t2 (x int, y int)";
        yield return "CREATE TABLE public.t3 (k int, v text)";
        yield return "CREATE TABLE untouched.t4 (z int)";
        yield return "CREATE VIEW app.v1 AS SELECT id, a FROM app.t1";
        yield return "CREATE MATERIALIZED VIEW app.m1 AS SELECT x FROM app.t2";
        yield return "CREATE SEQUENCE app.s1";
        yield return "CREATE FUNCTION app.f1(i int) RETURNS int LANGUAGE sql AS 'SELECT i'";
        yield return "CREATE PROCEDURE app.p1() LANGUAGE sql AS 'SELECT 1'";
        yield return "CREATE AGGREGATE app.agg1(int) (SFUNC = int4pl, STYPE = int)";
        // A foreign-data wrapper without handler is enough for a foreign table's catalog entries.
        yield return "CREATE FOREIGN DATA WRAPPER oracle_fdw";
        yield return "CREATE SERVER oracle_srv FOREIGN DATA WRAPPER oracle_fdw";
        yield return "CREATE FOREIGN TABLE app.ft1 (f int, g text) SERVER oracle_srv";
        yield return "CREATE TABLE app.pt1 (k int, v text) PARTITION BY RANGE (k)";
        yield return "CREATE TABLE app.pt1_low PARTITION OF app.pt1 FOR VALUES FROM (0) TO (100)";
        yield return "CREATE TYPE app.e1 AS ENUM ('x', 'y')";
        yield return "CREATE TYPE app.c1 AS (u int, w text)";
        // 14+ also creates the multirange app.r1_multirange (17+: judged by the range's privileges).
        yield return "CREATE TYPE app.r1 AS RANGE (SUBTYPE = int4)";
        yield return "CREATE DOMAIN app.d1 AS int CHECK (VALUE > 0)";

        string[] tablePrivs = _major >= 17
            ? ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"]
            : ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
        foreach (var (alter, name) in new[]
                 {
                     ("TABLE", "app.t1"), ("TABLE", "app.t2"), ("TABLE", "public.t3"), ("VIEW", "app.v1"), ("MATERIALIZED VIEW", "app.m1"),
                     ("FOREIGN TABLE", "app.ft1"), ("TABLE", "app.pt1"), ("TABLE", "app.pt1_low"),
                 })
        {
            yield return $"ALTER {alter} {name} OWNER TO {SqlNames.Ident(RandomRole())}";
            foreach (var s in RandomGrants("TABLE", name, tablePrivs)) yield return s;
        }
        foreach (var (table, col, privs) in new[] { ("app.ft1", "g", "SELECT"), ("app.pt1", "v", "UPDATE"), ("app.m1", "x", "SELECT") })
            if (Chance(0.5))
                yield return $"GRANT {privs} ({col}) ON {table} TO {Grantee(allowPublic: true, out var pub)}{(pub || !Chance(0.3) ? "" : " WITH GRANT OPTION")}";
        foreach (var (col, privs) in new[] { ("a", "SELECT"), ("b", "UPDATE"), ("c", "INSERT"), ("a", "REFERENCES") })
            if (Chance(0.6))
                yield return $"GRANT {privs} ({col}) ON app.t1 TO {Grantee(allowPublic: true, out var pub)}{(pub || !Chance(0.3) ? "" : " WITH GRANT OPTION")}";
        yield return $"ALTER SEQUENCE app.s1 OWNER TO {SqlNames.Ident(RandomRole())}";
        foreach (var s in RandomGrants("SEQUENCE", "app.s1", ["USAGE", "SELECT", "UPDATE"])) yield return s;
        yield return $"ALTER FUNCTION app.f1(int) OWNER TO {SqlNames.Ident(RandomRole())}";
        foreach (var s in RandomGrants("FUNCTION", "app.f1(int)", ["EXECUTE"])) yield return s;
        foreach (var s in RandomGrants("PROCEDURE", "app.p1()", ["EXECUTE"])) yield return s;
        yield return $"ALTER AGGREGATE app.agg1(int) OWNER TO {SqlNames.Ident(RandomRole())}";
        foreach (var s in RandomGrants("FUNCTION", "app.agg1(int)", ["EXECUTE"])) yield return s;
        foreach (var (keyword, name) in new[] { ("TYPE", "app.e1"), ("TYPE", "app.c1"), ("TYPE", "app.r1"), ("DOMAIN", "app.d1") })
        {
            yield return $"ALTER {keyword} {name} OWNER TO {SqlNames.Ident(RandomRole())}";
            foreach (var s in RandomGrants(keyword, name, ["USAGE"])) yield return s;
        }
        // System columns take column grants of every column privilege; one is always there.
        yield return $"GRANT SELECT (tableoid) ON app.t1 TO {Grantee(allowPublic: true, out _)}";
        foreach (var (table, col, privs) in new[]
                 {
                     ("app.t1", "ctid", "UPDATE"), ("app.t1", "xmin", "REFERENCES"), ("app.t2", "cmax", "INSERT"), ("app.t2", "xmax", "SELECT"),
                     ("app.pt1", "cmin", "SELECT"), ("app.m1", "tableoid", "SELECT"), ("app.ft1", "ctid", "SELECT"), ("public.t3", "xmin", "SELECT, UPDATE"),
                 })
            if (Chance(0.6))
                yield return $"GRANT {privs} ({col}) ON {table} TO {Grantee(allowPublic: true, out var pub)}{(pub || !Chance(0.3) ? "" : " WITH GRANT OPTION")}";
        // A table's row type has its own ACL (its owner follows the table's); arrays have none (judged by the element).
        foreach (var rowType in new[] { "app.t1", "app.t2", "app.pt1", "app.v1" })
            foreach (var s in RandomGrants("TYPE", rowType, ["USAGE"])) yield return s;
        foreach (var oid in LargeObjects)
        {
            yield return $"SELECT lo_create({oid})";
            yield return $"ALTER LARGE OBJECT {oid} OWNER TO {SqlNames.Ident(RandomRole())}";
            foreach (var s in RandomGrants("LARGE OBJECT", oid.ToString(System.Globalization.CultureInfo.InvariantCulture), ["SELECT", "UPDATE"])) yield return s;
        }
        // 14–16: a multirange has its own ACL and owner (17+ refuses GRANT on it and uses the range's).
        if (_major is >= 14 and <= 16)
            foreach (var s in RandomGrants("TYPE", "app.r1_multirange", ["USAGE"])) yield return s;
        // Trusted languages only: USAGE on an untrusted one cannot be granted.
        yield return $"ALTER LANGUAGE plpgsql OWNER TO {SqlNames.Ident(RandomRole())}";
        foreach (var s in RandomGrants("LANGUAGE", "plpgsql", ["USAGE"])) yield return s;
        foreach (var s in RandomGrants("LANGUAGE", "sql", ["USAGE"])) yield return s;
        foreach (var s in RandomGrants("SCHEMA", "app", ["USAGE", "CREATE"])) yield return s;
        foreach (var s in RandomGrants("SCHEMA", "public", ["USAGE", "CREATE"])) yield return s;
    }

    // Leaves the ACL NULL a third of the time; otherwise grants at random and sometimes revokes the owner's own rights.
    private IEnumerable<string> RandomGrants(string kind, string name, string[] privileges)
    {
        if (Chance(0.33)) yield break;
        for (var i = _rng.Next(1, 5); i > 0; i--)
        {
            var chosen = privileges.Where(_ => Chance(0.45)).ToList();
            if (chosen.Count == 0) chosen.Add(privileges[_rng.Next(privileges.Length)]);
            var grantee = Grantee(allowPublic: true, out var isPublic);
            var option = !isPublic && Chance(0.3) ? " WITH GRANT OPTION" : "";
            yield return $"GRANT {string.Join(", ", chosen)} ON {kind} {name} TO {grantee}{option}";
        }
        if (Chance(0.15)) yield return RevokeFromOwner(kind, name);
        else if (Chance(0.15)) yield return $"REVOKE ALL ON {kind} {name} FROM PUBLIC";
    }

    // REVOKE ALL … FROM the object's current owner, resolved on the server so the world needs no bookkeeping.
    private static string RevokeFromOwner(string kind, string name) =>
        $"DO $$ BEGIN EXECUTE format('REVOKE ALL ON {kind} {name} FROM %I', {OwnerQuery(kind, name)}); END $$";

    private static string OwnerQuery(string kind, string name) => kind switch
    {
        "DATABASE" => $"(SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = {SqlNames.Literal(name)})",
        "SCHEMA" => $"(SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = {SqlNames.Literal(name)})",
        "FUNCTION" or "PROCEDURE" => $"(SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE oid = {SqlNames.Literal(name)}::regprocedure)",
        "TYPE" or "DOMAIN" => $"(SELECT pg_get_userbyid(typowner) FROM pg_type WHERE oid = {SqlNames.Literal(name)}::regtype)",
        "LANGUAGE" => $"(SELECT pg_get_userbyid(lanowner) FROM pg_language WHERE lanname = {SqlNames.Literal(name)})",
        "LARGE OBJECT" => $"(SELECT pg_get_userbyid(lomowner) FROM pg_largeobject_metadata WHERE oid = {name})",
        _ => $"(SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = {SqlNames.Literal(name)}::regclass)",
    };

    private string GrantRole(string group, string member)
    {
        var options = new List<string>();
        if (Chance(0.2)) options.Add(_major >= 16 ? "ADMIN TRUE" : "ADMIN OPTION");
        if (_major >= 16)
        {
            if (Chance(0.35)) options.Add(Chance(0.7) ? "INHERIT FALSE" : "INHERIT TRUE");
            if (Chance(0.25)) options.Add("SET FALSE");
        }
        var with = options.Count == 0 ? "" : " WITH " + string.Join(", ", options);
        return $"GRANT {SqlNames.Ident(group)} TO {SqlNames.Ident(member)}{with}";
    }

    private string Grantee(bool allowPublic, out bool isPublic)
    {
        isPublic = allowPublic && Chance(0.15);
        return isPublic ? "PUBLIC" : SqlNames.Ident(RandomRole());
    }

    private string RandomRole() => _roles[_rng.Next(_roles.Count)];
    private IEnumerable<string> Pick(int n) => _roles.OrderBy(_ => _rng.Next()).Take(n).ToList();
    private bool Chance(double p) => _rng.NextDouble() < p;
}
