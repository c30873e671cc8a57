using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pgrant.Core.Diagnosis;
using Pgrant.Demo;

namespace Pgrant.IntegrationTests.Library;

/// <summary>
/// The health check as an application runs it: registered with <c>AddHealthChecks().AddPgrantAccessCheck(…)</c>,
/// the data source taken from the container, run by the framework's <see cref="HealthCheckService"/>.
/// </summary>
public sealed class HealthCheckTests
{
    private static readonly AccessRequirement[] Needs = [AccessRequirement.Statement(SequenceStory.InsertSql), ("SELECT", "public.descriptions")];

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Unhealthy_with_the_fix_in_its_data_then_healthy_after_the_fix(int major)
    {
        await using var w = await ClassicWorld.CreateAsync(major);
        await using var provider = Services(services =>
        {
            services.AddSingleton(w.AppSource);
            services.AddHealthChecks().AddPgrantAccessCheck(Needs);
        });
        var fix = $"GRANT USAGE ON SEQUENCE public.descriptions_id_seq TO {w.App};";

        var entry = await CheckAsync(provider, "pgrant-access");
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal($"{w.App} lacks 1 privilege the application needs: USAGE on sequence public.descriptions_id_seq. fix: {fix}", entry.Description);
        Assert.Equal(["database", "fix", "missing", "role"], entry.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(w.App, entry.Data["role"]);
        Assert.Equal(w.Db.Name, entry.Data["database"]);
        Assert.Equal(["USAGE on sequence public.descriptions_id_seq"], (string[])entry.Data["missing"]);
        Assert.Equal(fix, entry.Data["fix"]);
        Assert.Null(entry.Exception);

        await using (var session = w.SuperuserSession())
            await session.ApplyAsync((await session.CheckRequirementsAsync(Needs, role: w.App)).Fix);
        var healthy = await CheckAsync(provider, "pgrant-access");
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal($"{w.App} holds everything the 2 requirements need", healthy.Description);
        Assert.Equal(["database", "role"], healthy.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Null(await w.InsertAsync());
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_check_that_cannot_run_says_why_with_the_registered_status_and_no_password(int major)
    {
        await using var w = await ClassicWorld.CreateAsync(major);
        var unreachable = w.UnreachableSource(out var port);
        await using var provider = Services(services => services.AddHealthChecks()
            .AddPgrantAccessCheck(Needs, _ => unreachable, name: "db-access", failureStatus: HealthStatus.Degraded, tags: ["ready"]));

        var entry = await CheckAsync(provider, "db-access");
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal($"the access check could not run: Failed to connect to 127.0.0.1:{port} (Connection refused)", entry.Description);
        Assert.IsAssignableFrom<NpgsqlException>(entry.Exception);
        Assert.Empty(entry.Data);
        Assert.Equal(["ready"], entry.Tags);
        Assert.DoesNotContain(w.Password, entry.Description);
    }

    [Fact]
    public void A_malformed_requirement_fails_at_registration()
    {
        var services = new ServiceCollection();
        Assert.Throws<Core.PgrantException>(() => services.AddHealthChecks().AddPgrantAccessCheck([("SELCT", "public.descriptions")]));
    }

    private static ServiceProvider Services(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        // The framework's health check service logs; an application has logging, the test a logger that drops it.
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        configure(services);
        return services.BuildServiceProvider();
    }

    private static async Task<HealthReportEntry> CheckAsync(IServiceProvider provider, string name)
    {
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return Assert.Single(report.Entries, e => e.Key == name).Value;
    }
}
