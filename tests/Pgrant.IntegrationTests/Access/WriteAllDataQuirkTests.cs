using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Postgres.Catalog;

namespace Pgrant.IntegrationTests.Access;

/// <summary>
/// The pg_write_all_data quirk, proven where it shows: a statement needing INSERT and UPDATE at once
/// (INSERT … ON CONFLICT DO UPDATE) fails for a member that holds INSERT through the ACL, because the
/// executor asks for both bits together and pg_write_all_data then adds nothing; the same member
/// without the ACL's INSERT succeeds. <see cref="AccessEvaluator.Mask"/> must say the same.
/// </summary>
public sealed class WriteAllDataQuirkTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task UpsertFailsOnlyWhenTheAclAlreadyGaveAWriteBit(int major)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        // Roles are cluster-wide on the shared cluster: unique names; the reader's snapshot is one transaction.
        string withInsert = TestDatabase.UniqueName("with_insert"), selectOnly = TestDatabase.UniqueName("select_only");
        await using var db = await TestDatabase.CreateAsync(major, cancellationToken: ct);
        if (major < 14)
        {
            // pg_write_all_data arrived in 14: on 13 there is no quirk to reproduce, and no such role.
            await using var probe = await db.OpenAsync(cancellationToken: ct);
            await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_roles WHERE rolname = 'pg_write_all_data'", probe);
            Assert.Equal(0L, (long)(await exists.ExecuteScalarAsync(ct))!);
            return;
        }
        await db.ExecuteAsync($"""
            CREATE ROLE {SqlNames.Ident(withInsert)} LOGIN; CREATE ROLE {SqlNames.Ident(selectOnly)} LOGIN;
            GRANT pg_write_all_data TO {SqlNames.Ident(withInsert)}, {SqlNames.Ident(selectOnly)};
            CREATE TABLE t (id int PRIMARY KEY, x int);
            GRANT SELECT, INSERT ON t TO {SqlNames.Ident(withInsert)}; GRANT SELECT ON t TO {SqlNames.Ident(selectOnly)};
            """, ct);

        await using var conn = await db.OpenAsync(cancellationToken: ct);
        var snapshot = await CatalogReader.ReadAsync(conn, ct);
        var eval = new AccessEvaluator(snapshot);
        var t = snapshot.Relations.Single(r => r.Name == "t" && snapshot.SchemaName(r.Schema) == "public");
        const Privilege upsert = Privilege.Insert | Privilege.Update | Privilege.Select;

        Assert.Equal(Privilege.Insert | Privilege.Select, eval.Mask(snapshot.RoleByName(withInsert)!.Oid, t, upsert));
        Assert.Equal(upsert, eval.Mask(snapshot.RoleByName(selectOnly)!.Oid, t, upsert));
        Assert.True(eval.Decide(snapshot.RoleByName(withInsert)!.Oid, t, Privilege.Update).Allowed); // each bit alone: yes

        var denied = await Assert.ThrowsAsync<PostgresException>(() => UpsertAsAsync(conn, withInsert, 1, ct));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        await UpsertAsAsync(conn, selectOnly, 2, ct);
    }

    private static async Task UpsertAsAsync(NpgsqlConnection conn, string role, int id, CancellationToken ct)
    {
        await using var reset = new NpgsqlCommand("RESET ROLE", conn);
        await reset.ExecuteNonQueryAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"SET ROLE {SqlNames.Ident(role)}; INSERT INTO t VALUES ({id}, 1) ON CONFLICT (id) DO UPDATE SET x = 2", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
