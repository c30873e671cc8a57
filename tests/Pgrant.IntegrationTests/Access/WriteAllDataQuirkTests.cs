using Npgsql;
using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Planning;
using Pgrant.Postgres.Catalog;

namespace Pgrant.IntegrationTests.Access;

/// <summary>
/// The pg_write_all_data quirk, proven where it shows: a statement needing INSERT and UPDATE at once
/// (INSERT … ON CONFLICT DO UPDATE) fails for a member that holds INSERT through the ACL, because the
/// executor asks for both bits together and pg_write_all_data then adds nothing; the same member
/// without the ACL's INSERT succeeds. <see cref="AccessEvaluator.Mask"/> must say the same.
/// </summary>
[Collection(OracleCluster.Collection)]
public sealed class WriteAllDataQuirkTests
{
    [Theory]
    [InlineData(15)]
    [InlineData(18)]
    public async Task UpsertFailsOnlyWhenTheAclAlreadyGaveAWriteBit(int major)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var cluster = await OracleCluster.StartAsync(major, ct);
        await using (var setup = new NpgsqlConnection(cluster.ConnectionString("postgres")))
        {
            await setup.OpenAsync(ct);
            foreach (var sql in new[]
            {
                "CREATE ROLE with_insert LOGIN", "CREATE ROLE select_only LOGIN",
                "GRANT pg_write_all_data TO with_insert, select_only",
                "CREATE TABLE t (id int PRIMARY KEY, x int)",
                "GRANT SELECT, INSERT ON t TO with_insert", "GRANT SELECT ON t TO select_only",
            })
            {
                await using var cmd = new NpgsqlCommand(sql, setup);
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }

        await using var conn = new NpgsqlConnection(cluster.ConnectionString("postgres"));
        await conn.OpenAsync(ct);
        var snapshot = await CatalogReader.ReadAsync(conn, ct);
        var eval = new AccessEvaluator(snapshot);
        var t = snapshot.Relations.Single(r => r.Name == "t" && snapshot.SchemaName(r.Schema) == "public");
        const Privilege upsert = Privilege.Insert | Privilege.Update | Privilege.Select;

        Assert.Equal(Privilege.Insert | Privilege.Select, eval.Mask(snapshot.RoleByName("with_insert")!.Oid, t, upsert));
        Assert.Equal(upsert, eval.Mask(snapshot.RoleByName("select_only")!.Oid, t, upsert));
        Assert.True(eval.Decide(snapshot.RoleByName("with_insert")!.Oid, t, Privilege.Update).Allowed); // each bit alone: yes

        var denied = await Assert.ThrowsAsync<PostgresException>(() => UpsertAsAsync(conn, "with_insert", 1, ct));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        await UpsertAsAsync(conn, "select_only", 2, ct);
    }

    private static async Task UpsertAsAsync(NpgsqlConnection conn, string role, int id, CancellationToken ct)
    {
        await using var reset = new NpgsqlCommand("RESET ROLE", conn);
        await reset.ExecuteNonQueryAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"SET ROLE {Sql.Ident(role)}; INSERT INTO t VALUES ({id}, 1) ON CONFLICT (id) DO UPDATE SET x = 2", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
