using System.Collections.Immutable;
using System.Text;
using Pgrant.Core.Diagnosis;
using Pgrant.IntegrationTests.Explain;
using Pgrant.Postgres;
using Xunit.Abstractions;

namespace Pgrant.IntegrationTests.Statements;

/// <summary>
/// The statement matrix: for every statement of <see cref="StatementCases"/>, on a real server, as the role —
/// before: the server's real permission error; explain's diagnosis of that error with the statement (its needs
/// from the server's analysis); the fix applied: the statement really runs (in a transaction rolled back
/// afterwards, so every run starts from the same state); with any one statement of the fix left out it still
/// fails with a permission error; and the server's own verdict on the fix (verified). Counts per major are printed.
/// </summary>
public sealed class StatementMatrixTests(ITestOutputHelper output)
{
    // Every major shows the server's analysis of a statement (13 and 14 when the prepared statement is revalidated).
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task EveryFixMakesTheStatementPassAndEveryStatementOfItIsNeeded(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        await w.SqlAsync(StatementCases.World);
        var failures = new List<string>();
        int statements = 0, fixes = 0, fixStatements = 0, leaveOneOut = 0;
        var index = 0;
        foreach (var c in StatementCases.All)
        {
            index++;
            if (major < c.MinMajor) continue;
            statements++;
            try
            {
                var (fixCount, runs) = await ProveAsync(w, c, index);
                fixes++;
                fixStatements += fixCount;
                leaveOneOut += runs;
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException or PostgresException or PgrantException)
            {
                failures.Add($"[{c.Name}] {c.Sql}\n    {e.Message.Replace("\n", "\n    ", StringComparison.Ordinal)}");
            }
        }
        output.WriteLine($"PostgreSQL {major}: {statements} statements, {fixes} fixes proved ({fixStatements} fix statements), {leaveOneOut} leave-one-out runs, {failures.Count} failures");
        Console.WriteLine($"statement matrix on PostgreSQL {major}: {statements} statements, {fixes} fixes proved ({fixStatements} fix statements), {leaveOneOut} leave-one-out runs");
        Assert.True(failures.Count == 0, $"{failures.Count} of {statements} statements failed on {major}:\n" + string.Join("\n", failures));
        Assert.True(statements >= 60, $"only {statements} statements on {major}");
    }

    private async Task<(int Fix, int Runs)> ProveAsync(ExplainWorld w, StatementCase c, int index)
    {
        var app = await w.RoleAsync($"m{index}");
        var vown = await w.RoleAsync($"v{index}", "NOLOGIN");
        var suffix = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string Fill(string s) => s.Replace("{app}", SqlNames.Ident(app), StringComparison.Ordinal)
            .Replace("{vown}", SqlNames.Ident(vown), StringComparison.Ordinal).Replace("{s}", suffix, StringComparison.Ordinal);
        if (c.Setup.Length > 0) await w.SqlAsync(Fill(c.Setup));
        var sql = Fill(c.Sql);

        var before = await RunAsync(w, app, sql, c.CopyData, []);
        if (before is null) throw new InvalidOperationException("the statement did not fail before the fix");
        if (before.SqlState != PostgresErrorCodes.InsufficientPrivilege)
            throw new InvalidOperationException($"before the fix it failed with {before.SqlState}, not 42501: {before.MessageText}");

        var error = PermissionErrorParser.Parse(before.MessageText) with
        {
            Context = before.Where is { Length: > 0 } where ? [.. where.Split('\n')] : [],
        };
        await using var session = PgrantSession.Create(NpgsqlDataSource.Create(w.Db.ConnectionString()), ownsDataSource: true);
        var d = (await session.ExplainAsync(error, app, sql)).Diagnosis;
        var report = DiagnosisReport.Text(error, d, h => h.ToString());
        output.WriteLine($"--- {c.Name}: {sql}\n{report}");
        if (d.Fix.IsEmpty) throw new InvalidOperationException("no fix\n" + report);
        if (d.Verification?.Status != VerificationStatus.Verified)
            throw new InvalidOperationException($"the server did not verify the fix: {d.Verification?.Status} {d.Verification?.Detail}\n{report}");
        if (!d.StatementAnalysis.StartsWith("the statement's needs come from the server", StringComparison.Ordinal))
            throw new InvalidOperationException($"not analysed by the server: {d.StatementAnalysis}");

        var after = await RunAsync(w, app, sql, c.CopyData, d.Fix);
        if (after is not null) throw new InvalidOperationException($"with the fix it still fails: {after.MessageText}\n{report}");
        var runs = 0;
        for (var i = 0; i < d.Fix.Length; i++)
        {
            var without = d.Fix.RemoveAt(i);
            var left = await RunAsync(w, app, sql, c.CopyData, without);
            runs++;
            if (left is null || left.SqlState != PostgresErrorCodes.InsufficientPrivilege)
                throw new InvalidOperationException($"without `{SqlWriter.Standalone(d.Fix[i])}` it {(left is null ? "succeeds" : "fails with " + left.MessageText)}: that statement is not needed\n{report}");
        }
        return (d.Fix.Length, runs);
    }

    /// <summary>
    /// Applies <paramref name="grants"/> as the superuser, then runs the statement as <paramref name="role"/> (SET LOCAL ROLE),
    /// all in one transaction that is rolled back; returns the server's error, or null when the statement ran.
    /// </summary>
    private static async Task<PostgresException?> RunAsync(ExplainWorld w, string role, string sql, string? copyData, ImmutableArray<SqlStatement> grants)
    {
        var builder = new NpgsqlConnectionStringBuilder(w.Db.ConnectionString()) { Pooling = false, IncludeErrorDetail = true };
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        foreach (var line in grants.SelectMany(g => SqlWriter.Lines(g)))
            await ExecAsync(conn, tx, line);
        await ExecAsync(conn, tx, $"SET LOCAL ROLE {SqlNames.Ident(role)}");
        try
        {
            if (sql.StartsWith("COPY", StringComparison.OrdinalIgnoreCase) && sql.EndsWith("FROM STDIN", StringComparison.OrdinalIgnoreCase))
            {
                await using (var writer = await conn.BeginTextImportAsync(sql))
                    await writer.WriteAsync(copyData ?? "");
            }
            else if (sql.StartsWith("COPY", StringComparison.OrdinalIgnoreCase))
            {
                using var reader = await conn.BeginTextExportAsync(sql);
                await reader.ReadToEndAsync();
            }
            else
            {
                await using var cmd = new NpgsqlCommand(sql, conn, tx);
                var count = Pgrant.Postgres.Probe.StatementProbe.ParameterCount(sql);
                for (var i = 0; i < count; i++) cmd.Parameters.Add(new NpgsqlParameter { Value = "1", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown });
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) { }
            }
            return null;
        }
        catch (PostgresException e)
        {
            return e;
        }
        finally
        {
            if (conn.State == System.Data.ConnectionState.Open) await tx.RollbackAsync();
        }
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync();
    }
}
