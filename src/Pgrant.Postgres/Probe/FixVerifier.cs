using System.Collections.Immutable;
using Npgsql;
using Pgrant.Core.Access;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Sql;

namespace Pgrant.Postgres.Probe;

/// <summary>
/// Asks the server whether a diagnosis is true for its statement, without running the statement: in a
/// transaction that is always rolled back, the fix is applied as the connected role, then as the role (SET
/// LOCAL ROLE, with its own search_path) the statement is planned and started as EXPLAIN does: parse
/// analysis checks schema USAGE, ExecutorStart checks every relation's privileges (columns included, as
/// each is checked: a view's owner for its base relations) and EXECUTE on the routines in the plan; a
/// generic plan keeps every parameter, so no call is folded away. Sequence functions check their privilege
/// only when they run: has_sequence_privilege answers for each. COPY is checked as the INSERT or SELECT it
/// performs (<see cref="CopyStatement"/>). Trigger bodies run only when rows are written: they are listed as not checked.
/// </summary>
internal static class FixVerifier
{
    private const string VerifyName = "pgrant_verify";

    /// <summary>The server's verdict on applying <paramref name="fix"/> and running <paramref name="statement"/> as <paramref name="role"/>.</summary>
    public static async Task<Verification> VerifyAsync(NpgsqlConnection connection, string statement, string role, string searchPath,
        IReadOnlyList<SqlStatement> fix, ServerNeeds? needs, CancellationToken ct)
    {
        var text = StatementProbe.Trim(statement);
        if (StatementProbe.CopyStart().IsMatch(text))
        {
            // COPY checks at its start what the INSERT (FROM) or the query (TO) it performs checks: plan that.
            if (CopyStatement.Restate(text) is not { } restated)
                return Verification.NotDone("a COPY form pgrant cannot restate is checked only when it runs");
            text = restated;
        }
        // LOCK is planned by no one: the server's own has_table_privilege answers for the privileges its mode accepts.
        var tableLock = TableLocks.Parse(text);
        if (tableLock is null && needs is { Analysed: false })
            return Verification.NotDone($"the server could not analyse the statement ({needs.Problem})");
        var checkedItems = ImmutableArray.CreateBuilder<string>();
        var notChecked = ImmutableArray.CreateBuilder<string>();
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        try
        {
            await StatementProbe.SetLocalAsync(connection, tx, "lock_timeout", "5000", ct).ConfigureAwait(false);
            await StatementProbe.SetLocalAsync(connection, tx, "statement_timeout", "30000", ct).ConfigureAwait(false);
            foreach (var line in fix.SelectMany(s => SqlWriter.Lines(s)))
            {
                try
                {
                    await StatementProbe.RunAsync(connection, tx, line, ct).ConfigureAwait(false);
                }
                catch (PostgresException e)
                {
                    return Verification.NotDone($"the connected role could not apply the fix to try it ({e.MessageText})");
                }
            }
            if (fix.Count > 0) checkedItems.Add($"the fix applied ({fix.Count} statement{(fix.Count == 1 ? "" : "s")}), then rolled back");
            try
            {
                await StatementProbe.SetLocalAsync(connection, tx, "role", role, ct).ConfigureAwait(false);
            }
            catch (PostgresException e)
            {
                return Verification.NotDone($"the connected role may not SET ROLE {role} to try the statement as it ({e.MessageText})");
            }
            await StatementProbe.SetLocalAsync(connection, tx, "search_path", searchPath, ct).ConfigureAwait(false);
            await StatementProbe.SetLocalAsync(connection, tx, "plan_cache_mode", "force_generic_plan", ct).ConfigureAwait(false);

            var failure = tableLock is null
                ? await CheckPlanAsync(connection, tx, text, checkedItems, ct).ConfigureAwait(false)
                : await CheckLockAsync(connection, tx, tableLock, checkedItems, ct).ConfigureAwait(false);
            if (failure is { } f) return f with { Checked = checkedItems.ToImmutable() };

            foreach (var s in needs?.Sequences.DistinctBy(s => (s.Oid, s.Operation)) ?? [])
            {
                var (privileges, call) = s.Operation switch
                {
                    SequenceOperation.Nextval => ("USAGE, UPDATE", "nextval"),
                    SequenceOperation.Setval => ("UPDATE", "setval"),
                    _ => ("SELECT, USAGE", s.Operation.ToString().ToLowerInvariant()),
                };
                await using var cmd = new NpgsqlCommand("SELECT has_sequence_privilege($1, $2)", connection, tx);
                cmd.Parameters.Add(new NpgsqlParameter<uint> { TypedValue = s.Oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = privileges });
                var name = SqlNames.Qualified(s.Schema, s.Name);
                if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is not true)
                    return new Verification(VerificationStatus.Failed, $"has_sequence_privilege says {role} may not call {call}() on {name} ({privileges})",
                        checkedItems.ToImmutable(), notChecked.ToImmutable());
                checkedItems.Add($"{call}() on {name}: has_sequence_privilege ({privileges})");
            }
            if (needs is null) notChecked.Add("sequence functions (the statement was not analysed)");
            foreach (var t in needs?.Triggers ?? [])
                notChecked.Add($"the body of trigger {SqlNames.Ident(t.Name)} on {t.Table} ({t.Function}, as {t.RunsAs ?? role}): it runs only when rows are written");
            foreach (var u in needs?.Unseen ?? []) notChecked.Add(u);
            return new Verification(VerificationStatus.Verified,
                fix.Count == 0 ? "the statement passes the server's checks as it is" : "with the fix, the statement passes the server's checks",
                checkedItems.ToImmutable(), notChecked.ToImmutable());
        }
        finally
        {
            await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            await DeallocateAsync(connection).ConfigureAwait(false);
        }
    }

    // Each table of a LOCK: has_table_privilege as the role with the privileges the mode accepts on this major. Null when all pass.
    private static async Task<Verification?> CheckLockAsync(NpgsqlConnection connection, NpgsqlTransaction tx, TableLock tableLock,
        ImmutableArray<string>.Builder checkedItems, CancellationToken ct)
    {
        var any = TableLocks.Allowing(tableLock.Mode, connection.PostgreSqlVersion.Major);
        var privileges = string.Join(", ", Pgrant.Core.Acl.Privileges.Split(any).Select(Pgrant.Core.Acl.Privileges.SqlName));
        foreach (var table in tableLock.Tables)
        {
            await StatementProbe.RunAsync(connection, tx, "SAVEPOINT pgrant_verify", ct).ConfigureAwait(false);
            try
            {
                await using var cmd = new NpgsqlCommand("SELECT has_table_privilege($1::regclass, $2)", connection, tx);
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = privileges });
                if (await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is not true)
                    return new Verification(VerificationStatus.Failed, $"has_table_privilege says the role holds none of {privileges} on {table}, which LOCK … IN {TableLocks.Sql(tableLock.Mode)} MODE needs", [], []);
                await StatementProbe.RunAsync(connection, tx, "RELEASE SAVEPOINT pgrant_verify", ct).ConfigureAwait(false);
            }
            catch (PostgresException e)
            {
                await StatementProbe.RunAsync(connection, tx, "ROLLBACK TO SAVEPOINT pgrant_verify", ct).ConfigureAwait(false);
                return e.SqlState == PostgresErrorCodes.InsufficientPrivilege
                    ? new Verification(VerificationStatus.Failed, e.MessageText, [], [])
                    : Verification.NotDone($"the server could not look {table} up as the role ({e.MessageText})");
            }
            checkedItems.Add($"LOCK {table} IN {TableLocks.Sql(tableLock.Mode)} MODE: has_table_privilege ({privileges})");
        }
        return null;
    }

    // PREPARE as the role (parse analysis: schema USAGE), then EXPLAIN EXECUTE with a generic plan (ExecutorStart:
    // relation and column privileges, EXECUTE on routines), never run. Null when it passed.
    private static async Task<Verification?> CheckPlanAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string text,
        ImmutableArray<string>.Builder checkedItems, CancellationToken ct)
    {
        var count = StatementProbe.ParameterCount(text);
        PostgresException? last = null;
        foreach (var typed in new[] { false, true })
        {
            if (typed && count == 0) break;
            var types = typed ? "(" + string.Join(", ", Enumerable.Repeat("unknown", count)) + ")" : "";
            var args = count == 0 ? "" : "(" + string.Join(", ", Enumerable.Repeat("NULL", count)) + ")";
            await StatementProbe.RunAsync(connection, tx, "SAVEPOINT pgrant_verify", ct).ConfigureAwait(false);
            try
            {
                await StatementProbe.RunAsync(connection, tx, $"PREPARE {VerifyName}{types} AS {text}", ct).ConfigureAwait(false);
                await StatementProbe.RunAsync(connection, tx, $"EXPLAIN EXECUTE {VerifyName}{args}", ct).ConfigureAwait(false);
                await StatementProbe.RunAsync(connection, tx, $"DEALLOCATE {VerifyName}", ct).ConfigureAwait(false);
                checkedItems.Add("schema USAGE of the names the statement looks up (parse analysis)");
                checkedItems.Add("privileges on every relation and column, as each is checked, and EXECUTE on the routines in the plan (EXPLAIN, generic plan)");
                return null;
            }
            catch (PostgresException e)
            {
                await StatementProbe.RunAsync(connection, tx, "ROLLBACK TO SAVEPOINT pgrant_verify", ct).ConfigureAwait(false);
                await DeallocateAsync(connection, tx).ConfigureAwait(false);
                last = e;
                if (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                    return new Verification(VerificationStatus.Failed, e.MessageText, [], []);
                if (e.SqlState != PostgresErrorCodes.IndeterminateDatatype) break;
            }
        }
        return Verification.NotDone($"the server could not plan the statement as the role ({last?.MessageText})");
    }

    private static async Task DeallocateAsync(NpgsqlConnection connection, NpgsqlTransaction? tx = null)
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        await using var cmd = new NpgsqlCommand("SELECT name FROM pg_prepared_statements WHERE name = $1", connection, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = VerifyName });
        if (await cmd.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false) is not null)
            await StatementProbe.RunAsync(connection, tx, $"DEALLOCATE {VerifyName}", CancellationToken.None).ConfigureAwait(false);
    }

}
