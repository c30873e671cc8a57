using Npgsql;
using Pgrant.Core.Diagnosis;
using Pgrant.Postgres;

namespace Pgrant.Npgsql;

/// <summary>
/// pgrant on an application's own <see cref="NpgsqlDataSource"/>: the role it connects as is the role that hit
/// the error, or the role whose access is checked. Every call reads a scoped catalog snapshot through
/// <see cref="PgrantSession"/> (one connection, read-only, a few queries in one round trip) and changes nothing.
/// </summary>
public static class NpgsqlDataSourceExtensions
{
    /// <summary>
    /// Diagnoses a permission error (SQLSTATE 42501, <see cref="PostgresErrorCodes.InsufficientPrivilege"/>) that
    /// the application hit through <paramref name="dataSource"/>: the cause in plain words and the least-privilege
    /// fix, as <c>pgrant explain</c> gives them. Returns null when <paramref name="exception"/> is not a permission
    /// error. Never throws for a permission error: when the catalog cannot be read, or the message is one pgrant
    /// does not recognise, the diagnosis is what the message alone says (<see cref="PermissionErrorDiagnosis.Limitation"/>).
    /// Only cancellation through <paramref name="ct"/> ends it early.
    /// </summary>
    /// <param name="dataSource">The data source whose connection hit the error; its role is the one diagnosed.</param>
    /// <param name="exception">The server's error.</param>
    /// <param name="statement">
    /// The statement that failed, for the exact privileges it needs (SELECT for RETURNING or WHERE …). When null,
    /// the text of the exception's <see cref="NpgsqlException.BatchCommand"/> is used: Npgsql fills it in for the
    /// commands of an <see cref="NpgsqlBatch"/> when the connection string says <c>Include Failed Batched Command=true</c>
    /// (for a single <see cref="NpgsqlCommand"/> it stays empty), so pass the statement of a command yourself.
    /// </param>
    /// <param name="ct">Cancels the catalog read.</param>
    public static async Task<PermissionErrorDiagnosis?> DiagnoseAsync(this NpgsqlDataSource dataSource, PostgresException exception,
        string? statement = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.SqlState != PostgresErrorCodes.InsufficientPrivilege) return null;
        statement ??= exception.BatchCommand?.CommandText;
        if (string.IsNullOrWhiteSpace(statement)) statement = null;

        var parsed = PermissionErrorParser.TryParse(exception.MessageText);
        if (parsed is null)
        {
            var unknown = new PermissionError(PermissionErrorKind.PermissionDenied, exception.MessageText, null, "",
                exception.InvariantSeverity, null, statement);
            return new PermissionErrorDiagnosis(unknown, MessageDiagnosis.Unrecognised(exception.MessageText, Failures.UserOf(dataSource)), null,
                "pgrant does not recognise this message", null);
        }
        var error = parsed with { Severity = exception.InvariantSeverity, Statement = statement };
        try
        {
            await using var session = PgrantSession.Create(dataSource);
            // The role of this data source hit the error: diagnosed as that role, never as "some other role".
            var user = Failures.UserOf(dataSource);
            var result = await session.ExplainAsync(error, user.Length == 0 ? null : user, statement, ct).ConfigureAwait(false);
            return new PermissionErrorDiagnosis(error, result.Diagnosis, result, null, null);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            // Whatever kept the catalog from being read (the role may not even connect: the error may be the
            // CONNECT one), the message still says something useful.
            var why = Failures.Describe(e, dataSource);
            return new PermissionErrorDiagnosis(error, MessageDiagnosis.Of(error, Failures.UserOf(dataSource), why), null, why, e);
        }
    }

    /// <summary>
    /// The start-up check: whether the role <paramref name="dataSource"/> connects as has what the application
    /// declares it needs — statements it runs (parameters as $1 …; what the server checks for them, including the
    /// sequence behind a serial default and SELECT for RETURNING and WHERE) and privileges on objects — with
    /// USAGE on their schemas and CONNECT on the database. What is missing comes with the least-privilege fix, as
    /// statement values (<see cref="RequirementReport.Fix"/>). Connection and catalog failures propagate
    /// (<see cref="NpgsqlException"/>, <see cref="Core.PgrantException"/>).
    /// </summary>
    /// <param name="dataSource">The application's data source; its role is the one checked.</param>
    /// <param name="requirements">What the application needs, e.g. <c>[AccessRequirement.Statement(sql), ("INSERT", "public.descriptions")]</c>.</param>
    /// <param name="ct">Cancels the catalog read.</param>
    public static async Task<RequirementReport> CheckAccessAsync(this NpgsqlDataSource dataSource, IEnumerable<AccessRequirement> requirements,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(requirements);
        await using var session = PgrantSession.Create(dataSource);
        return await session.CheckRequirementsAsync(requirements, role: null, ct).ConfigureAwait(false);
    }
}
