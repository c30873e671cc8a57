using System.Collections.Immutable;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Pgrant.Core.Diagnosis;
using Pgrant.Core.Sql;

namespace Pgrant.Npgsql;

/// <summary>
/// A health check that the application's database role holds what the application needs (the start-up check,
/// <see cref="NpgsqlDataSourceExtensions.CheckAccessAsync"/>, run on every probe). Healthy when nothing is
/// missing; otherwise the registration's failure status (Unhealthy by default) with the missing privileges and
/// the fix SQL in the description and in <see cref="HealthCheckResult.Data"/> ("role", "database", "missing",
/// "fix", "problems"); the failure status too, with what went wrong, when the check itself cannot run.
/// </summary>
public sealed class PgrantAccessHealthCheck : IHealthCheck
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ImmutableArray<AccessRequirement> _requirements;

    /// <summary>A check of <paramref name="requirements"/> for the role of <paramref name="dataSource"/>.</summary>
    public PgrantAccessHealthCheck(NpgsqlDataSource dataSource, IEnumerable<AccessRequirement> requirements)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(requirements);
        _dataSource = dataSource;
        _requirements = [.. requirements];
    }

    /// <summary>Runs the check: one scoped catalog read, nothing changed.</summary>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failureStatus = context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy;
        RequirementReport report;
        try
        {
            report = await _dataSource.CheckAccessAsync(_requirements, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return new HealthCheckResult(failureStatus, $"the access check could not run: {Failures.Describe(e, _dataSource)}", e);
        }
        return Judge(report, failureStatus);
    }

    /// <summary>The health of a report: its words and data.</summary>
    internal static HealthCheckResult Judge(RequirementReport report, HealthStatus failureStatus)
    {
        var data = new Dictionary<string, object> { ["role"] = report.Role, ["database"] = report.Database };
        if (report.Satisfied)
        {
            var count = report.Results.Length;
            return HealthCheckResult.Healthy($"{report.Role} holds everything the {count} requirement{(count == 1 ? "" : "s")} need{(count == 1 ? "s" : "")}", data);
        }
        var parts = new List<string>();
        var missing = report.Missing;
        if (!missing.IsEmpty)
        {
            var names = missing.Select(m => $"{m.Name} on {m.KindWord} {m.Object}").ToArray();
            data["missing"] = names;
            parts.Add($"{report.Role} lacks {missing.Length} privilege{(missing.Length == 1 ? "" : "s")} the application needs: {string.Join(", ", names)}");
        }
        var problems = report.Problems;
        if (!problems.IsEmpty)
        {
            data["problems"] = problems.ToArray();
            parts.Add($"{problems.Length} requirement{(problems.Length == 1 ? "" : "s")} could not be judged: {string.Join("; ", problems)}");
        }
        if (!report.Fix.IsEmpty)
        {
            var fix = string.Join("\n", report.Fix.Select(SqlWriter.Standalone));
            data["fix"] = fix;
            parts.Add($"fix: {string.Join(" ", report.Fix.Select(SqlWriter.Standalone))}");
        }
        return new HealthCheckResult(failureStatus, string.Join(". ", parts), data: data);
    }
}
