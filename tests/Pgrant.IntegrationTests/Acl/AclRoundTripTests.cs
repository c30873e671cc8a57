using System.Security.Cryptography;
using System.Text;
using Pgrant.Core.Acl;
using Xunit.Abstractions;

namespace Pgrant.IntegrationTests.Acl;

/// <summary>
/// Issue 2 §8: roles with hostile names hold privileges (some grantable, some granted on by a hostile
/// grantor) on a table, a sequence, a schema, a function and a database. Each ACL the server prints is
/// parsed with <see cref="AclItem.ParseArray"/> and must format back to the identical text, agree item
/// by item with the server's aclexplode, and, fed back to the server as aclitem[], equal the stored ACL.
/// </summary>
public sealed class AclRoundTripTests(ITestOutputHelper output)
{
    // Every ACL under test, as (kind, acl) rows of the test database.
    private const string Acls = """
        SELECT 'table' AS kind, relacl AS acl FROM pg_class WHERE oid = 'rt.t'::regclass
        UNION ALL SELECT 'sequence', relacl FROM pg_class WHERE oid = 'rt.q'::regclass
        UNION ALL SELECT 'schema', nspacl FROM pg_namespace WHERE nspname = 'rt'
        UNION ALL SELECT 'function', proacl FROM pg_proc WHERE oid = 'rt.f(integer)'::regprocedure
        UNION ALL SELECT 'database', datacl FROM pg_database WHERE datname = current_database()
        """;

    /// <summary>The hostile names; unique per run (roles are cluster-wide) except the reserved words and NULL, which must be exact.</summary>
    private static Dictionary<string, string> HostileNames()
    {
        var tag = RandomNumberGenerator.GetHexString(6, lowercase: true);
        var digits = RandomNumberGenerator.GetString("0123456789", 12);
        var longName = new StringBuilder("long_").Append(tag);
        while (Encoding.UTF8.GetByteCount(longName.ToString()) < 61) longName.Append('x');
        // 61 ASCII bytes + 'é' (2 bytes): exactly the 63 bytes the server keeps.
        longName.Append('é');
        return new Dictionary<string, string>
        {
            ["quote"] = $"a\"q{tag}",
            ["only_quotes"] = $"\"\"{tag}\"",
            ["space"] = $" with space {tag} ",
            ["equals"] = $"x=r/{tag}",
            ["slash"] = $"sl/ash{tag}",
            ["comma"] = $"com,ma{tag}",
            ["braces"] = $"{{brace}}{tag}",
            ["backslash"] = $"back\\slash\\\\{tag}",
            ["unicode"] = $"données{tag}",
            ["emoji"] = $"🐘 elephant{tag}",
            ["user"] = "user",
            ["table"] = "table",
            ["long"] = longName.ToString(),
            ["digits"] = digits,
            ["zero_digits"] = "007" + digits,
            ["null_word"] = "NULL",
        };
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Hostile_names_survive_parse_format_and_the_server(int major)
    {
        var n = HostileNames();
        string Q(string key) => SqlNames.Ident(n[key]);
        var db = await TestDatabase.CreateAsync(major);
        try
        {
            await db.Cluster.ExecuteAsync(string.Join('\n', n.Values.Select(name => $"CREATE ROLE {SqlNames.Ident(name)};")));
            await db.ExecuteAsync($"""
                CREATE SCHEMA rt;
                CREATE TABLE rt.t (id int);
                CREATE SEQUENCE rt.q;
                CREATE FUNCTION rt.f(integer) RETURNS integer LANGUAGE sql AS 'SELECT 1';
                ALTER TABLE rt.t OWNER TO {Q("quote")};
                ALTER FUNCTION rt.f(integer) OWNER TO {Q("braces")};

                GRANT USAGE ON SCHEMA rt TO PUBLIC;
                GRANT CREATE ON SCHEMA rt TO {Q("comma")} WITH GRANT OPTION;
                GRANT USAGE, CREATE ON SCHEMA rt TO {Q("table")};

                GRANT SELECT, INSERT ON rt.t TO {Q("space")} WITH GRANT OPTION;
                GRANT UPDATE ON rt.t TO {Q("space")};
                GRANT ALL ON rt.t TO {Q("user")};
                GRANT SELECT ON rt.t TO {Q("digits")}, {Q("zero_digits")};
                GRANT DELETE, TRUNCATE ON rt.t TO {Q("braces")} WITH GRANT OPTION;
                GRANT REFERENCES, TRIGGER ON rt.t TO {Q("backslash")};
                GRANT SELECT ON rt.t TO {Q("null_word")};
                SET ROLE {Q("space")};
                GRANT SELECT ON rt.t TO {Q("unicode")} WITH GRANT OPTION;
                GRANT INSERT ON rt.t TO {Q("emoji")};
                RESET ROLE;

                GRANT USAGE ON SEQUENCE rt.q TO {Q("equals")} WITH GRANT OPTION;
                GRANT SELECT, UPDATE ON SEQUENCE rt.q TO {Q("slash")};
                GRANT ALL ON SEQUENCE rt.q TO {Q("long")} WITH GRANT OPTION;
                SET ROLE {Q("long")};
                GRANT SELECT ON SEQUENCE rt.q TO {Q("only_quotes")};
                RESET ROLE;

                REVOKE EXECUTE ON FUNCTION rt.f(integer) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION rt.f(integer) TO {Q("emoji")} WITH GRANT OPTION;
                SET ROLE {Q("emoji")};
                GRANT EXECUTE ON FUNCTION rt.f(integer) TO {Q("user")};
                RESET ROLE;
                GRANT EXECUTE ON FUNCTION rt.f(integer) TO PUBLIC;

                GRANT CONNECT, TEMPORARY ON DATABASE {SqlNames.Ident(db.Name)} TO {Q("quote")} WITH GRANT OPTION;
                GRANT CREATE ON DATABASE {SqlNames.Ident(db.Name)} TO {Q("digits")};
                """);

            await using var conn = await db.OpenAsync();
            var acls = await ReadAclsAsync(conn);
            Assert.Equal(["database", "function", "schema", "sequence", "table"], acls.Keys.Order(StringComparer.Ordinal));

            var named = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (kind, text) in acls)
            {
                output.WriteLine($"{kind}: {text}");
                var items = AclItem.ParseArray(text);
                Assert.Equal(text, AclItem.FormatArray(items));
                Assert.Equal(await ExplodeAsync(conn, kind), Explode(items));
                Assert.Equal((true, text), await FeedBackAsync(conn, kind, AclItem.FormatArray(items)));
                foreach (var item in items)
                {
                    if (item.Grantee is not null) named.Add(item.Grantee);
                    named.Add(item.Grantor!);
                }
            }
            // Every hostile name made it into some ACL (as grantee or grantor), beside the bootstrap superuser.
            Assert.Equal(n.Values.Append(db.Cluster.SuperUser).Order(StringComparer.Ordinal), named.Order(StringComparer.Ordinal));
            Assert.Equal(
                [$"{Name(n["user"])}=X/{Name(n["emoji"])}", $"=X/{Name(n["braces"])}"],
                AclItem.ParseArray(acls["function"]).Where(i => i.Grantee is null || i.Grantee == "user").Select(i => i.ToString()));
        }
        finally
        {
            // Privileges live in the database (and its pg_database row): drop it first, then the roles.
            await db.DisposeAsync();
            await db.Cluster.ExecuteAsync(string.Join('\n', n.Values.Select(name => $"DROP ROLE IF EXISTS {SqlNames.Ident(name)};")));
        }
    }

    private static string Name(string role)
    {
        var sb = new StringBuilder();
        AclItem.AppendName(sb, role);
        return sb.ToString();
    }

    private static async Task<Dictionary<string, string>> ReadAclsAsync(NpgsqlConnection conn)
    {
        var acls = new Dictionary<string, string>();
        await using var cmd = new NpgsqlCommand($"SELECT kind, acl::text FROM ({Acls}) a", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) acls.Add(r.GetString(0), r.GetString(1));
        return acls;
    }

    // One row per privilege bit, in the server's order: grantor, grantee (null = PUBLIC), privilege, grantable.
    private static List<(string Grantor, string? Grantee, string Privilege, bool Grantable)> Explode(IEnumerable<AclItem> items) =>
        [.. items.SelectMany(i => Privileges.Split(i.Privileges).Select(p => (i.Grantor!, i.Grantee, Privileges.SqlName(p), (i.Grantable & p) != 0)))];

    private static async Task<List<(string Grantor, string? Grantee, string Privilege, bool Grantable)>> ExplodeAsync(NpgsqlConnection conn, string kind)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT pg_get_userbyid(e.grantor), CASE WHEN e.grantee = 0 THEN NULL ELSE pg_get_userbyid(e.grantee) END, e.privilege_type, e.is_grantable
            FROM ({Acls}) a, aclexplode(a.acl) WITH ORDINALITY e(grantor, grantee, privilege_type, is_grantable, n)
            WHERE a.kind = @kind ORDER BY e.n
            """, conn);
        cmd.Parameters.AddWithValue("kind", kind);
        var rows = new List<(string, string?, string, bool)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add((r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetBoolean(3)));
        return rows;
    }

    // Our text read by the server's aclitemin: equal to the stored ACL, and printed back unchanged.
    private static async Task<(bool Equal, string Printed)> FeedBackAsync(NpgsqlConnection conn, string kind, string ours)
    {
        await using var cmd = new NpgsqlCommand($"SELECT a.acl = @ours::aclitem[], (@ours::aclitem[])::text FROM ({Acls}) a WHERE a.kind = @kind", conn);
        cmd.Parameters.AddWithValue("ours", ours);
        cmd.Parameters.AddWithValue("kind", kind);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return (r.GetBoolean(0), r.GetString(1));
    }
}
