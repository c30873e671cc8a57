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
}
