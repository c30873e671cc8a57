using NpgsqlTypes;
using Pgrant.Core.Acl;
using Pgrant.Core.Catalog;

namespace Pgrant.IntegrationTests.Catalog;

/// <summary>
/// The server's own expansion of every ACL in a snapshot: aclexplode(coalesce(acl, acldefault(kind, owner)))
/// per object (columns: NULL means no entries; default ACLs are never expanded), compared with the
/// snapshot's resolved entries as "object grantor grantee privilege grantable" lines, plus the set of objects whose ACL was NULL.
/// </summary>
internal static class AclOracle
{
    public static async Task<(SortedSet<string> Expected, SortedSet<string> Actual, SortedSet<string> ExpectedNull, SortedSet<string> ActualNull)>
        CompareAsync(NpgsqlConnection conn, CatalogSnapshot s)
    {
        var actual = new SortedSet<string>(StringComparer.Ordinal);
        var actualNull = new SortedSet<string>(StringComparer.Ordinal);
        void Add(string key, AclList acl)
        {
            if (acl.IsDefault) actualNull.Add(key);
            foreach (var e in acl.Entries)
                foreach (var p in Privileges.Split(e.Privileges))
                    actual.Add($"{key} {e.Grantor} {e.Grantee} {Privileges.SqlName(p)} {(e.Grantable & p) != 0}");
        }
        foreach (var d in s.Databases) Add($"d{d.Oid}", d.Acl);
        foreach (var n in s.Schemas) Add($"n{n.Oid}", n.Acl);
        foreach (var r in s.Relations)
        {
            Add($"r{r.Oid}", r.Acl);
            foreach (var c in r.Columns) Add($"c{r.Oid}.{c.Number}", c.Acl);
        }
        foreach (var f in s.Functions) Add($"f{f.Oid}", f.Acl);
        foreach (var t in s.Types) Add($"T{t.Oid}", t.Acl);
        foreach (var l in s.Languages) Add($"l{l.Oid}", l.Acl);
        foreach (var a in s.DefaultAcls) Add($"D{a.Role}.{a.Schema}.{a.ObjectType}", a.Acl);

        const string sql = """
            SELECT 'd' || o.oid, o.datacl IS NULL, e.grantor, e.grantee, e.privilege_type, e.is_grantable
            FROM pg_database o LEFT JOIN LATERAL aclexplode(coalesce(o.datacl, acldefault('d', o.datdba))) e ON true
            WHERE o.oid = ANY(@d)
            UNION ALL
            SELECT 'n' || o.oid, o.nspacl IS NULL, e.grantor, e.grantee, e.privilege_type, e.is_grantable
            FROM pg_namespace o LEFT JOIN LATERAL aclexplode(coalesce(o.nspacl, acldefault('n', o.nspowner))) e ON true
            WHERE o.oid = ANY(@n)
            UNION ALL
            SELECT 'r' || o.oid, o.relacl IS NULL, e.grantor, e.grantee, e.privilege_type, e.is_grantable
            FROM pg_class o LEFT JOIN LATERAL aclexplode(coalesce(o.relacl,
                 acldefault(CASE WHEN o.relkind = 'S' THEN 's' ELSE 'r' END::"char", o.relowner))) e ON true
            WHERE o.oid = ANY(@r)
            UNION ALL
            SELECT 'c' || a.attrelid || '.' || a.attnum, a.attacl IS NULL, e.grantor, e.grantee, e.privilege_type, e.is_grantable
            FROM pg_attribute a LEFT JOIN LATERAL aclexplode(a.attacl) e ON true
            WHERE a.attrelid = ANY(@r) AND a.attnum > 0 AND NOT a.attisdropped AND a.attrelid NOT IN (SELECT seqrelid FROM pg_sequence)
            UNION ALL
            SELECT 'f' || o.oid, o.proacl IS NULL, e.grantor, e.grantee, e.privilege_type, e.is_grantable
            FROM pg_proc o LEFT JOIN LATERAL aclexplode(coalesce(o.proacl, acldefault('f', o.proowner))) e ON true
            WHERE o.oid = ANY(@f)
            UNION ALL
            SELECT 'T' || o.oid, o.typacl IS NULL, e.grantor, e.grantee, e.privilege_type, e.is_grantable
            FROM pg_type o LEFT JOIN LATERAL aclexplode(coalesce(o.typacl, acldefault('T', o.typowner))) e ON true
            WHERE o.oid = ANY(@T)
            UNION ALL
            SELECT 'l' || o.oid, o.lanacl IS NULL, e.grantor, e.grantee, e.privilege_type, e.is_grantable
            FROM pg_language o LEFT JOIN LATERAL aclexplode(coalesce(o.lanacl, acldefault('l', o.lanowner))) e ON true
            WHERE o.oid = ANY(@l)
            UNION ALL
            SELECT 'D' || o.defaclrole || '.' || o.defaclnamespace || '.' || o.defaclobjtype::text, false,
                   e.grantor, e.grantee, e.privilege_type, e.is_grantable
            FROM pg_default_acl o LEFT JOIN LATERAL aclexplode(o.defaclacl) e ON true
            """;
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Array | NpgsqlDbType.Oid) { Value = s.Databases.Select(x => x.Oid).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Array | NpgsqlDbType.Oid) { Value = s.Schemas.Select(x => x.Oid).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("r", NpgsqlDbType.Array | NpgsqlDbType.Oid) { Value = s.Relations.Select(x => x.Oid).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("f", NpgsqlDbType.Array | NpgsqlDbType.Oid) { Value = s.Functions.Select(x => x.Oid).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("T", NpgsqlDbType.Array | NpgsqlDbType.Oid) { Value = s.Types.Select(x => x.Oid).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("l", NpgsqlDbType.Array | NpgsqlDbType.Oid) { Value = s.Languages.Select(x => x.Oid).ToArray() });
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        var expectedNull = new SortedSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var key = reader.GetString(0);
            if (reader.GetBoolean(1)) expectedNull.Add(key);
            if (reader.IsDBNull(2)) continue;
            expected.Add($"{key} {reader.GetFieldValue<uint>(2)} {reader.GetFieldValue<uint>(3)} {reader.GetString(4)} {reader.GetBoolean(5)}");
        }
        return (expected, actual, expectedNull, actualNull);
    }
}
