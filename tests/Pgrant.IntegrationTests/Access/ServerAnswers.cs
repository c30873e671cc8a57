using NpgsqlTypes;

namespace Pgrant.IntegrationTests.Access;

/// <summary>One has_*_privilege answer: role name ('public' for PUBLIC), object, column (0 if none), privilege text.</summary>
internal readonly record struct ServerAnswer(string Role, uint Object, short Column, string Privilege, bool Allowed);

/// <summary>
/// Asks the server every (role, object, privilege) question of one kind in a single query: a cross
/// join of roles × objects × privileges fed with arrays, never one query per triple.
/// </summary>
internal static class ServerAnswers
{
    /// <summary>For has_table/sequence/schema/database/function_privilege(name, oid, text).</summary>
    public static async Task<List<ServerAnswer>> ForObjectsAsync(NpgsqlConnection conn, string function,
        string[] roles, uint[] objects, string[] privileges, CancellationToken ct)
    {
        // The function name is one of a fixed set chosen by the test, never user input.
        var sql = $"""
            SELECT r.name, o.oid, p.priv, {function}(r.name, o.oid, p.priv)
            FROM unnest(@roles) AS r(name), unnest(@objects) AS o(oid), unnest(@privs) AS p(priv)
            """;
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter("roles", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = roles });
        cmd.Parameters.Add(new NpgsqlParameter("objects", NpgsqlDbType.Array | NpgsqlDbType.Oid) { Value = objects });
        cmd.Parameters.Add(new NpgsqlParameter("privs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = privileges });
        var answers = new List<ServerAnswer>(roles.Length * objects.Length * privileges.Length);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            answers.Add(new ServerAnswer(r.GetString(0), r.GetFieldValue<uint>(1), 0, r.GetString(2), r.GetBoolean(3)));
        return answers;
    }

    /// <summary>has_column_privilege(name, table oid, attnum, text) over every role × column × privilege.</summary>
    public static async Task<List<ServerAnswer>> ForColumnsAsync(NpgsqlConnection conn,
        string[] roles, (uint Table, short Column)[] columns, string[] privileges, CancellationToken ct)
    {
        const string sql = """
            SELECT r.name, c.rel, c.att, p.priv, has_column_privilege(r.name, c.rel, c.att, p.priv)
            FROM unnest(@roles) AS r(name), unnest(@rels, @atts) AS c(rel, att), unnest(@privs) AS p(priv)
            """;
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter("roles", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = roles });
        cmd.Parameters.Add(new NpgsqlParameter("rels", NpgsqlDbType.Array | NpgsqlDbType.Oid) { Value = columns.Select(c => c.Table).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("atts", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { Value = columns.Select(c => c.Column).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("privs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = privileges });
        var answers = new List<ServerAnswer>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            answers.Add(new ServerAnswer(r.GetString(0), r.GetFieldValue<uint>(1), r.GetInt16(2), r.GetString(3), r.GetBoolean(4)));
        return answers;
    }

    /// <summary>
    /// Large objects judged by what the server does, not by a has_*_privilege function (before 18 there is
    /// none): for each role × large object × privilege, in a subtransaction that is always rolled back, as the
    /// role (SET LOCAL ROLE; PUBLIC as <paramref name="probeRole"/>, which holds only what PUBLIC holds):
    /// SELECT — lo_get(oid, 0, 0) opens the object for reading, which checks SELECT; UPDATE — lo_put(oid, 0, '')
    /// opens it for writing, which checks SELECT and then UPDATE (inv_open), so SELECT is first granted to PUBLIC
    /// inside the subtransaction and only UPDATE decides; WITH GRANT OPTION — GRANT … ON LARGE OBJECT TO the
    /// probe role, then whether the probe role's entry appeared in lomacl (without the option the server grants
    /// nothing, with a warning, or raises when the role holds no privilege on it at all).
    /// "permission denied" (42501) means no; any other error fails the test.
    /// </summary>
    public static async Task<List<ServerAnswer>> ForLargeObjectsByBehaviourAsync(NpgsqlConnection conn,
        string[] roles, uint[] largeObjects, string[] privileges, string probeRole, CancellationToken ct)
    {
        const string probe = """
            CREATE FUNCTION pg_temp.lo_probe(roles text[], los oid[], privs text[], probe text)
            RETURNS TABLE(role text, lo oid, priv text, allowed bool) LANGUAGE plpgsql AS $f$
            DECLARE
                r text; l oid; p text; ok bool; base text; grant_option bool;
            BEGIN
                FOREACH r IN ARRAY roles LOOP
                    FOREACH l IN ARRAY los LOOP
                        FOREACH p IN ARRAY privs LOOP
                            grant_option := p LIKE '% WITH GRANT OPTION';
                            base := split_part(p, ' ', 1);
                            ok := NULL;
                            BEGIN
                                IF base = 'UPDATE' AND NOT grant_option THEN
                                    EXECUTE format('GRANT SELECT ON LARGE OBJECT %s TO PUBLIC', l);
                                END IF;
                                EXECUTE format('SET LOCAL ROLE %I', CASE WHEN r = 'public' THEN probe ELSE r END);
                                IF grant_option THEN
                                    EXECUTE format('GRANT %s ON LARGE OBJECT %s TO %I', base, l, probe);
                                    RESET ROLE;
                                    ok := EXISTS (SELECT FROM pg_largeobject_metadata m, aclexplode(m.lomacl) a
                                                  WHERE m.oid = l AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = probe) AND a.privilege_type = base);
                                ELSIF base = 'SELECT' THEN
                                    PERFORM lo_get(l, 0, 0);
                                    ok := true;
                                ELSE
                                    PERFORM lo_put(l, 0, ''::bytea);
                                    ok := true;
                                END IF;
                                RAISE EXCEPTION USING ERRCODE = 'PGR01';
                            EXCEPTION
                                WHEN insufficient_privilege THEN ok := false;
                                WHEN SQLSTATE 'PGR01' THEN NULL;
                            END;
                            role := r; lo := l; priv := p; allowed := ok;
                            RETURN NEXT;
                        END LOOP;
                    END LOOP;
                END LOOP;
            END $f$
            """;
        await using (var create = new NpgsqlCommand("DROP FUNCTION IF EXISTS pg_temp.lo_probe(text[], oid[], text[], text); " + probe, conn))
            await create.ExecuteNonQueryAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT role, lo, priv, allowed FROM pg_temp.lo_probe(@roles, @los, @privs, @probe)", conn);
        cmd.Parameters.Add(new NpgsqlParameter("roles", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = roles });
        cmd.Parameters.Add(new NpgsqlParameter("los", NpgsqlDbType.Array | NpgsqlDbType.Oid) { Value = largeObjects });
        cmd.Parameters.Add(new NpgsqlParameter("privs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = privileges });
        cmd.Parameters.Add(new NpgsqlParameter("probe", NpgsqlDbType.Text) { Value = probeRole });
        var answers = new List<ServerAnswer>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            answers.Add(new ServerAnswer(r.GetString(0), r.GetFieldValue<uint>(1), 0, r.GetString(2), r.GetBoolean(3)));
        return answers;
    }
}
