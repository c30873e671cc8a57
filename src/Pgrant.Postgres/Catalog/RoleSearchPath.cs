using Npgsql;
using Pgrant.Core.Catalog;

namespace Pgrant.Postgres.Catalog;

/// <summary>
/// The search_path a session of another role would start with in the snapshot's database, so an
/// unqualified name in its error resolves the way the server resolved it for that role. The
/// server applies ALTER ROLE … IN DATABASE … SET first, then ALTER ROLE … SET, then ALTER DATABASE
/// … SET; without any of them the server-wide value holds, which the reading session also has
/// unless its own role or options changed it (then that is the best available answer).
/// </summary>
public static class RoleSearchPath
{
    private const string Query = """
        SELECT o.option_value
        FROM pg_catalog.pg_db_role_setting s
        CROSS JOIN LATERAL pg_catalog.pg_options_to_table(s.setconfig) o
        WHERE o.option_name = 'search_path'
          AND s.setrole IN (0, (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = @role))
          AND s.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()))
        ORDER BY (s.setrole <> 0 AND s.setdatabase <> 0) DESC, (s.setrole <> 0) DESC
        LIMIT 1
        """;

    public static async Task<string> ReadAsync(NpgsqlConnection openConnection, CatalogSnapshot snapshot, string role, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(openConnection);
        ArgumentNullException.ThrowIfNull(snapshot);
        // The reading session already started with this role's settings.
        if (role == snapshot.CurrentUser) return snapshot.SearchPath;
        await using var command = new NpgsqlCommand(Query, openConnection);
        command.Parameters.AddWithValue("role", role);
        var value = await command.ExecuteScalarAsync(ct);
        return value as string ?? snapshot.SearchPath;
    }
}
