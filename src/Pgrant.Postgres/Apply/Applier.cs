using Npgsql;
using Pgrant.Core;
using Pgrant.Core.Sql;

namespace Pgrant.Postgres.Apply;

/// <summary>
/// Runs a plan of statement values (each written by <see cref="SqlWriter"/>) as one all-or-nothing transaction with a lock_timeout, so a busy
/// table makes the change fail fast instead of queueing behind application traffic. Any error —
/// and any "privilege not granted" warning (SQLSTATE 01006/01007, which GRANT raises instead of an
/// error when the grantor lacks the grant option) — rolls everything back.
/// </summary>
public static class Applier
{
    /// <summary>How long a statement may wait for a lock before the whole change fails: 5 seconds.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Runs the statements, in order, in one transaction, and commits only when every one of them did what it says.</summary>
    /// <param name="connection">An open connection, as the role that may run the statements; no transaction may be open on it.</param>
    /// <param name="statements">The statements in the order they must run; an empty list does nothing.</param>
    /// <param name="lockTimeout">The lock_timeout for the transaction; null for <see cref="DefaultLockTimeout"/>.</param>
    /// <param name="ct">Cancels the run; nothing is committed.</param>
    /// <exception cref="ApplyFailedException">A statement failed, or a GRANT or REVOKE changed nothing; everything was rolled back.</exception>
    public static async Task ApplyAsync(NpgsqlConnection connection, IReadOnlyList<SqlStatement> statements, TimeSpan? lockTimeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(statements);
        if (statements.Count == 0) return;
        var lines = statements.SelectMany(s => SqlWriter.Lines(s)).ToList();
        var notGranted = new List<string>();
        NoticeEventHandler onNotice = (_, e) =>
        {
            if (e.Notice.SqlState is PostgresErrorCodes.PrivilegeNotGrantedWarning or PostgresErrorCodes.PrivilegeNotRevokedWarning) notGranted.Add(e.Notice.MessageText);
        };
        connection.Notice += onNotice;
        await using var tx = await connection.BeginTransactionAsync(ct);
        var current = "";
        try
        {
            // The timeout goes in as a parameter of set_config: no text is composed into SQL.
            var ms = (int)(lockTimeout ?? DefaultLockTimeout).TotalMilliseconds;
            await using (var set = new NpgsqlCommand("SELECT set_config('lock_timeout', $1, true)", connection, tx))
            {
                set.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ms.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                await set.ExecuteNonQueryAsync(ct);
            }
            foreach (var statement in lines)
            {
                current = statement;
                await using var cmd = new NpgsqlCommand(statement, connection, tx);
                await cmd.ExecuteNonQueryAsync(ct);
                if (notGranted.Count > 0)
                    throw new ApplyFailedException($"the server granted nothing for `{statement}`: {notGranted[0]}; rolled back, nothing was changed",
                        statement, null, "the connected role lacks the grant option; connect as one of the roles that may run the fix");
            }
            await tx.CommitAsync(ct);
        }
        catch (PostgresException e)
        {
            await SafeRollback(tx);
            var hint = e.SqlState == PostgresErrorCodes.LockNotAvailable
                ? "a lock could not be taken within lock_timeout: the object is busy; retry when traffic is lower"
                : e.Hint;
            throw new ApplyFailedException($"`{current}` failed: {e.MessageText} (SQLSTATE {e.SqlState}); rolled back, nothing was changed", current, e.SqlState, hint, e);
        }
        catch (ApplyFailedException)
        {
            await SafeRollback(tx);
            throw;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            await SafeRollback(tx);
            throw;
        }
        finally
        {
            connection.Notice -= onNotice;
        }
    }

    private static async Task SafeRollback(NpgsqlTransaction tx)
    {
        try { await tx.RollbackAsync(CancellationToken.None); }
        catch (NpgsqlException) { /* the connection is gone; the server rolls back on its own */ }
        catch (InvalidOperationException) { /* already completed */ }
    }
}
