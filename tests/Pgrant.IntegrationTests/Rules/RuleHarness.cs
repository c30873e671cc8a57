using System.Collections.Immutable;
using Pgrant.Postgres;

namespace Pgrant.IntegrationTests.Rules;

/// <summary>
/// Runs one rule against a real database. Roles are cluster-wide and other tests create their own
/// on the shared cluster at the same time, so every rule test names the roles it audits: findings
/// then depend only on the test's own world and can be asserted exactly.
/// </summary>
internal static class RuleHarness
{
    public static async Task<ImmutableArray<Finding>> RunAsync(TestDatabase db, IAuditRule rule, IEnumerable<string> roles, IEnumerable<string>? schemas = null)
    {
        // The road `pgrant check` takes: a session reads the catalog and runs the rules.
        await using var session = PgrantSession.Create(NpgsqlDataSource.Create(db.ConnectionString()), ownsDataSource: true);
        return (await session.AuditAsync(new AuditScope([.. roles], [.. schemas ?? []]), [rule])).Findings;
    }

    /// <summary>A finding reduced to what tests compare exactly: rule, object, role, fix.</summary>
    public static (string Rule, string? Object, string? Role, string Fix) Shape(Finding f) =>
        (f.Rule.Id, f.Object, f.Role, string.Join("\n", FixScript.Lines(f)));
}
