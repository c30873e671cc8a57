using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Pgrant.Core.Diagnosis;
using Pgrant.Npgsql;

// In the namespace of IHealthChecksBuilder, as health-check registrations are, so services.AddHealthChecks()
// finds it without another using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="PgrantAccessHealthCheck"/>.</summary>
public static class PgrantHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that the application's database role holds what <paramref name="requirements"/> need
    /// (statements it runs, privileges on objects). The requirements are parsed here, so a malformed one fails at
    /// start-up.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="requirements">What the application needs, e.g. <c>[AccessRequirement.Statement(sql), ("INSERT", "public.descriptions")]</c>.</param>
    /// <param name="dataSource">The data source to check; by default the <see cref="NpgsqlDataSource"/> registered in the container.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status when something is missing or the check cannot run (Unhealthy when null).</param>
    /// <param name="tags">Tags to filter checks by.</param>
    /// <param name="timeout">How long the check may take.</param>
    public static IHealthChecksBuilder AddPgrantAccessCheck(this IHealthChecksBuilder builder, IEnumerable<AccessRequirement> requirements,
        Func<IServiceProvider, NpgsqlDataSource>? dataSource = null, string name = "pgrant-access", HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var list = requirements.ToList();
        return builder.Add(new HealthCheckRegistration(name,
            services => new PgrantAccessHealthCheck(dataSource is null ? services.GetRequiredService<NpgsqlDataSource>() : dataSource(services), list),
            failureStatus, tags, timeout));
    }
}
