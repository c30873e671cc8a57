using System.Diagnostics;
using Pgrant.Core.Catalog;
using Pgrant.Postgres.Catalog;

namespace Pgrant.IntegrationTests.Catalog;

/// <summary>
/// What the reader does at its limits: a plain non-superuser, more sequences than the lock budget
/// allows reading last_value for, and the SQL texts replayed by psql (as a benchmark will).
/// </summary>
[Collection(CatalogClusters.Collection)]
public sealed class CatalogReaderLimitsTests(CatalogClusters clusters)
{

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_plain_role_reads_everything_and_reports_the_sequences_it_cannot_read(int major)
    {
        CatalogSnapshot asSuper, asPlain;
        await using (var conn = await clusters.OpenAsync(major, CatalogWorld.Database)) asSuper = await CatalogReader.ReadAsync(conn);
        await using (var conn = await clusters.OpenAsync(major, CatalogWorld.Database, "plain_reader")) asPlain = await CatalogReader.ReadAsync(conn);

        Assert.Equal("plain_reader", asPlain.CurrentUser);
        Assert.False(asPlain.RoleByName("plain_reader")!.IsSuperuser);
        Assert.Equal(asSuper.Roles.OrderBy(r => r.Oid), asPlain.Roles.OrderBy(r => r.Oid));
        Assert.Equal(asSuper.Relations.Select(r => r.Oid).Order(), asPlain.Relations.Select(r => r.Oid).Order());
        Assert.Equal(asSuper.Functions.Select(r => r.Oid).Order(), asPlain.Functions.Select(r => r.Oid).Order());

        // The server decides which sequences plain_reader may read: USAGE on descriptions_id_seq directly, and
        // on 13–15 everything app_owner owns through app_rw (inheriting); 16+'s INHERIT FALSE grant stops that.
        var allowed = new List<uint>();
        await using (var conn = await clusters.OpenAsync(major, CatalogWorld.Database))
        await using (var r = await new NpgsqlCommand(
            "SELECT seqrelid FROM pg_sequence WHERE has_sequence_privilege('plain_reader', seqrelid, 'SELECT,USAGE') ORDER BY 1", conn).ExecuteReaderAsync())
            while (await r.ReadAsync()) allowed.Add(r.GetFieldValue<uint>(0));
        Assert.Equal(allowed, asPlain.Sequences.Where(q => q.LastValueRead).Select(q => q.Oid).Order());
        Assert.Equal(major >= 16 ? 1 : 5, allowed.Count);
        Assert.All(asPlain.Sequences.Where(q => q.LastValueRead), q =>
            Assert.Equal((asSuper.SequenceByOid(q.Oid)!.LastValue, asSuper.SequenceByOid(q.Oid)!.IsCalled), (q.LastValue, q.IsCalled)));
        var unread = asPlain.Sequences.Where(q => !q.LastValueRead).Select(q => q.Oid).Order().ToList();
        Assert.All(asPlain.Sequences.Where(q => !q.LastValueRead), q => Assert.Equal(((long?)null, false), (q.LastValue, q.IsCalled)));
        var names = unread.Take(5).Select(o => SqlNames.Qualified(asPlain.SchemaName(asPlain.RelationByOid(o)!.Schema), asPlain.RelationByOid(o)!.Name));
        var more = unread.Count > 5 ? $", and {unread.Count - 5} more" : "";
        Assert.Equal([$"last_value of {unread.Count} {(unread.Count == 1 ? "sequence" : "sequences")} (no SELECT or USAGE): {string.Join(", ", names)}{more}"], asPlain.Unreadable.AsEnumerable());
        Assert.Equal(asSuper.Sequences.Length - allowed.Count, unread.Count);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Cancelling_a_read_cancels_it_on_the_server_and_leaves_the_connection_usable(int major)
    {
        // Another session renames (and so locks exclusively) a sequence whose last_value the read locks to read: it waits
        // on the server until its token is cancelled (as Ctrl+C does), then fails as cancelled.
        await using var locker = await clusters.OpenAsync(major, CatalogWorld.Database);
        await using var tx = await locker.BeginTransactionAsync();
        await new NpgsqlCommand("ALTER SEQUENCE app.never_called RENAME TO never_called_renamed", locker, tx).ExecuteNonQueryAsync();
        await using var conn = await clusters.OpenAsync(major, CatalogWorld.Database);
        // Should cancelling not work, the wait ends with a lock timeout instead (not a cancellation: the assertion fails).
        await new NpgsqlCommand("SET lock_timeout = '60s'", conn).ExecuteNonQueryAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CatalogReader.ReadAsync(conn, cts.Token));

        await using var check = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND relation = 'app.never_called'::regclass", conn);
        Assert.Equal(0L, await check.ExecuteScalarAsync());
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task More_sequences_than_the_lock_budget_are_listed_instead_of_locked(int major)
    {
        {
            var budget = await CatalogClusters.LockBudgetAsync(await clusters.GetAsync(major));
            await using var conn = await clusters.OpenAsync(major, CatalogClusters.ManySequencesDatabase);
            var s = await CatalogReader.ReadAsync(conn);
            Assert.Equal(budget + 8, s.Sequences.Length);
            Assert.All(s.Sequences, q => Assert.False(q.LastValueRead));
            Assert.Equal(
                [$"last_value of {budget + 8} sequences (more than {budget} readable sequences, half of max_locks_per_transaction; reading last_value locks each sequence until the end of the transaction): public.s001, public.s002, public.s003, public.s004, public.s005, and {budget + 3} more"],
                s.Unreadable.AsEnumerable());
            // The read committed and left no lock behind.
            await using var locks = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation IN (SELECT seqrelid FROM pg_sequence)", conn);
            Assert.Equal(0L, (long)(await locks.ExecuteScalarAsync())!);
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task The_published_script_replays_with_psql_and_returns_what_the_reader_read(int major)
    {
        await using var conn = await clusters.OpenAsync(major, CatalogWorld.Database);
        var s = await CatalogReader.ReadAsync(conn);
        var script = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(script, CatalogQueries.Script(s.Version));
            var cluster = await clusters.GetAsync(major);
            var psi = new ProcessStartInfo(cluster.Binaries.Psql ?? "psql") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["PGPASSWORD"] = cluster.SuperPassword;
            foreach (var a in new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-A", "-t", "-h", "127.0.0.1", "-p", cluster.Port.ToString(), "-U", "postgres", "-d", CatalogWorld.Database, "-f", script })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, error);
            var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var rows = s.Roles.Length + s.Memberships.Length + s.Databases.Length + s.Schemas.Length + s.Relations.Length
                + s.Relations.Sum(r => r.Columns.Length) + s.Sequences.Length + s.Sequences.Sum(q => q.UsedByDefaults.Length)
                + s.Relations.Sum(r => r.ViewReferences.Length + r.Policies.Length)
                + s.Functions.Length + s.Types.Length + s.Languages.Length + s.DefaultAcls.Length + s.Footprints.Length + s.OtherObjects.Length
                // psql -A prints a body's lines as they are: a trigger function's row spans as many lines as its source.
                + s.Triggers.Length + s.RoutineBodies.Sum(b => b.Source.Split('\n').Length) + 1;
            Assert.Equal(rows, lines.Length);
        }
        finally { File.Delete(script); }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task The_batch_is_one_repeatable_read_read_only_transaction(int major)
    {
        var statements = CatalogQueries.Statements(new PgVersion(major * 10000));
        Assert.Equal("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", statements[0]);
        Assert.Equal("COMMIT", statements[^1]);
        Assert.Equal(19, CatalogQueries.For(new PgVersion(major * 10000)).Length);
        await using var conn = await clusters.OpenAsync(major);
        await CatalogReader.ReadAsync(conn);
        // Committed: the connection is usable for a new transaction with its own settings.
        await using var cmd = new NpgsqlCommand("SELECT current_setting('transaction_read_only'), current_setting('search_path')", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.Equal(("off", "\"$user\", public"), (r.GetString(0), r.GetString(1)));
    }
}
