using System.Collections.Immutable;
using Pgrant.Core.Acl;
using Pgrant.Core.State;
using Pgrant.Postgres;
using Xunit.Abstractions;

namespace Pgrant.IntegrationTests.State;

/// <summary>
/// Two databases of one server and the proof that a diff works there: a world's roles and objects are created in
/// both, state A built in the first and state B in the second (memberships are cluster-wide: B's are built and
/// B read, then they are replaced by A's and A read), diff(A, B) applied to the first database by
/// <see cref="PgrantSession.ApplyAsync"/>, and the result compared with B — by <see cref="GrantState"/>
/// equality and by the server's own aclexplode() of every object, pg_default_acl and pg_auth_members, mapped to
/// names, as sorted text so a failure shows the difference — and a second diff must be empty.
/// </summary>
internal sealed class DiffHarness : IAsyncDisposable
{
    private readonly TestDatabase _dbA;
    private readonly TestDatabase _dbB;
    private readonly PgrantSession _sessionA;
    private readonly PgrantSession _sessionB;
    private readonly NpgsqlConnection _a;
    private readonly NpgsqlConnection _b;
    private readonly ITestOutputHelper _output;

    private DiffHarness(TestDatabase dbA, TestDatabase dbB, NpgsqlConnection a, NpgsqlConnection b, ITestOutputHelper output)
    {
        _dbA = dbA;
        _dbB = dbB;
        _a = a;
        _b = b;
        _output = output;
        _sessionA = PgrantSession.Create(NpgsqlDataSource.Create(dbA.ConnectionString()), ownsDataSource: true);
        _sessionB = PgrantSession.Create(NpgsqlDataSource.Create(dbB.ConnectionString()), ownsDataSource: true);
    }

    public static async Task<DiffHarness> CreateAsync(int major, ITestOutputHelper output)
    {
        var dbA = await TestDatabase.CreateAsync(major, "diff_a");
        var dbB = await TestDatabase.CreateAsync(major, "diff_b");
        return new DiffHarness(dbA, dbB, await OpenAsync(dbA), await OpenAsync(dbB), output);
    }

    /// <summary>The name of the database A is built in (and the diff applied to).</summary>
    public string DatabaseA => _dbA.Name;

    /// <summary>The name of the database B is built in.</summary>
    public string DatabaseB => _dbB.Name;

    /// <summary>
    /// Builds the world's roles and objects, then A and B (statements the server refuses are skipped), proves
    /// diff(A, B) on the server, removes the world again, and returns the diff. <paramref name="context"/> heads
    /// every failure message (the seed that reproduces it).
    /// </summary>
    public async Task<ImmutableArray<SqlStatement>> ProveAsync(DiffWorld world, string context,
        IEnumerable<string> buildA, IEnumerable<string> membershipsA, IEnumerable<string> buildB, IEnumerable<string> membershipsB)
    {
        await RunAllAsync(_a, world.CreateRoles(), ignoreErrors: false);
        try
        {
            var diff = await ProveWorldAsync(world, context, buildA, membershipsA, buildB, membershipsB);
            await CleanUpAsync(world, ignoreErrors: false);
            return diff;
        }
        catch
        {
            await CleanUpAsync(world, ignoreErrors: true);
            throw;
        }
    }

    private async Task<ImmutableArray<SqlStatement>> ProveWorldAsync(DiffWorld world, string context,
        IEnumerable<string> buildA, IEnumerable<string> membershipsA, IEnumerable<string> buildB, IEnumerable<string> membershipsB)
    {
        var (a, b) = (_a, _b);
        await RunAllAsync(a, world.CreateObjects(), ignoreErrors: false);
        await RunAllAsync(b, world.CreateObjects(), ignoreErrors: false);
        // Object and default privileges of each world, before any membership exists.
        await RunAllAsync(a, buildA, ignoreErrors: true);
        await RunAllAsync(b, buildB, ignoreErrors: true);

        var filter = new GrantStateFilter(
            Roles: r => r.StartsWith(world.Prefix, StringComparison.Ordinal),
            Objects: o => o.Schema == "w" || o is { Kind: ObjectKind.Schema, Name: "w" } || o.IsCurrentDatabase);

        await RunAllAsync(b, membershipsB, ignoreErrors: true);
        var stateB = GrantState.Of(await _sessionB.ReadCatalogAsync(), filter);
        var serverB = await ServerTextAsync(b, world.Prefix);
        await ClearMembershipsAsync(a, world);
        await RunAllAsync(a, membershipsA, ignoreErrors: true);
        var stateA = GrantState.Of(await _sessionA.ReadCatalogAsync(), filter);

        var diff = StateDiff.Diff(stateA, stateB);
        context = $"{context}, PostgreSQL {a.PostgreSqlVersion}\n-- diff:\n{string.Join("\n", diff.Select(SqlWriter.Text))}";
        try
        {
            await _sessionA.ApplyAsync(diff);
        }
        catch (Exception e)
        {
            _output.WriteLine(context);
            _output.WriteLine("-- A:\n" + stateA + "\n-- B:\n" + stateB);
            throw new Xunit.Sdk.XunitException($"{context}\n-- failed: {e.Message}");
        }

        var after = GrantState.Of(await _sessionA.ReadCatalogAsync(), filter);
        var serverAfter = await ServerTextAsync(a, world.Prefix);
        if (after != stateB || serverAfter != serverB) _output.WriteLine(context);
        Assert.Equal(stateB.ToString(), after.ToString());
        Assert.Equal(serverB, serverAfter);
        Assert.True(after == stateB, "the states print alike but differ");
        Assert.Empty(StateDiff.Diff(after, stateB));
        return diff;
    }

    private static async Task<NpgsqlConnection> OpenAsync(TestDatabase db)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString()) { IncludeErrorDetail = true }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    // Memberships go first: DROP OWNED revokes only the owner's grants to a role (with CASCADE), and a role that
    // still inherits a grant option through a membership would keep the grants it made with it on the database.
    private async Task CleanUpAsync(DiffWorld world, bool ignoreErrors)
    {
        await ClearMembershipsAsync(_a, world);
        await RunAllAsync(_a, world.DropObjects(), ignoreErrors);
        await RunAllAsync(_b, world.DropObjects(), ignoreErrors);
        await RunAllAsync(_a, world.DropRoles(), ignoreErrors);
    }

    public async ValueTask DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _sessionA.DisposeAsync();
        await _sessionB.DisposeAsync();
        await _dbA.DisposeAsync();
        await _dbB.DisposeAsync();
    }

    // Runs each item as one command; with ignoreErrors a refused statement is skipped (the session's role reset).
    private static async Task RunAllAsync(NpgsqlConnection connection, IEnumerable<string> items, bool ignoreErrors)
    {
        foreach (var sql in items)
        {
            try
            {
                await using var cmd = new NpgsqlCommand(sql, connection);
                await cmd.ExecuteNonQueryAsync();
            }
            catch (PostgresException) when (ignoreErrors)
            {
                await using var reset = new NpgsqlCommand("RESET ROLE", connection);
                await reset.ExecuteNonQueryAsync();
            }
        }
    }

    // Revokes every membership among the world's roles (as the test's setup, CASCADE is fine here).
    private static async Task ClearMembershipsAsync(NpgsqlConnection connection, DiffWorld world)
    {
        var v16 = connection.PostgreSqlVersion.Major >= 16;
        for (var round = 0; round < 10; round++)
        {
            var revokes = new List<string>();
            await using (var cmd = new NpgsqlCommand(
                "SELECT pg_get_userbyid(roleid), pg_get_userbyid(member), pg_get_userbyid(grantor) FROM pg_auth_members " +
                "WHERE starts_with(pg_get_userbyid(roleid), $1) AND starts_with(pg_get_userbyid(member), $1)", connection))
            {
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = world.Prefix });
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    revokes.Add($"REVOKE {SqlNames.Ident(reader.GetString(0))} FROM {SqlNames.Ident(reader.GetString(1))}" +
                        (v16 ? $" GRANTED BY {SqlNames.Ident(reader.GetString(2))} CASCADE" : ""));
            }
            if (revokes.Count == 0) return;
            await RunAllAsync(connection, revokes, ignoreErrors: true);
        }
        throw new InvalidOperationException("memberships of the world remain after 10 rounds of revokes");
    }

    /// <summary>
    /// The server's own account of the world, as sorted text: aclexplode() of every ACL (NULL as acldefault) of
    /// the database and of schema w and its objects and columns, of pg_default_acl, and pg_auth_members; roles by
    /// name, only the world's roles and PUBLIC.
    /// </summary>
    private static async Task<string> ServerTextAsync(NpgsqlConnection connection, string prefix)
    {
        var v16 = connection.PostgreSqlVersion.Major >= 16;
        var sql = $$"""
            WITH objs(obj, acl) AS (
                SELECT 'database', coalesce(d.datacl, acldefault('d', d.datdba)) FROM pg_database d WHERE d.datname = current_database()
              UNION ALL
                SELECT 'schema ' || n.nspname, coalesce(n.nspacl, acldefault('n', n.nspowner)) FROM pg_namespace n WHERE n.nspname = 'w'
              UNION ALL
                SELECT 'relation ' || c.relname, coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))
                FROM pg_class c WHERE c.relnamespace = 'w'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'S', 'f', 'p')
              UNION ALL
                SELECT 'column ' || c.relname || '.' || a.attname, a.attacl
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                WHERE c.relnamespace = 'w'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
              UNION ALL
                SELECT 'routine ' || p.oid::regprocedure::text, coalesce(p.proacl, acldefault('f', p.proowner)) FROM pg_proc p WHERE p.pronamespace = 'w'::regnamespace
              UNION ALL
                SELECT 'type ' || t.typname, coalesce(t.typacl, acldefault('T', t.typowner))
                FROM pg_type t WHERE t.typnamespace = 'w'::regnamespace AND t.typtype IN ('d', 'e')
              UNION ALL
                SELECT 'default ' || pg_get_userbyid(da.defaclrole) || ' ' || coalesce(n.nspname, '(global)') || ' ' || da.defaclobjtype::text, da.defaclacl
                FROM pg_default_acl da LEFT JOIN pg_namespace n ON n.oid = da.defaclnamespace
                WHERE starts_with(pg_get_userbyid(da.defaclrole), $1)
            ), lines(line) AS (
            SELECT o.obj || ': ' || CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END || ' ' || x.privilege_type
                   || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END || ' by ' || pg_get_userbyid(x.grantor)
            FROM objs o, LATERAL aclexplode(o.acl) x
            WHERE x.grantee = 0 OR starts_with(pg_get_userbyid(x.grantee), $1)
            UNION ALL
            SELECT 'membership ' || pg_get_userbyid(m.roleid) || ' to ' || pg_get_userbyid(m.member) || ' by ' || pg_get_userbyid(m.grantor)
                   || ' admin ' || m.admin_option{{(v16 ? " || ' inherit ' || m.inherit_option || ' set ' || m.set_option" : "")}}
            FROM pg_auth_members m
            WHERE starts_with(pg_get_userbyid(m.roleid), $1) AND starts_with(pg_get_userbyid(m.member), $1)
            )
            SELECT line FROM lines ORDER BY line COLLATE "C"
            """;
        await using var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefix });
        var lines = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return string.Join("\n", lines);
    }
}
