using System.Diagnostics;
using Xunit.Abstractions;

namespace Pgrant.IntegrationTests.State;

/// <summary>
/// The proof of <see cref="StateDiff"/> on real servers: for random worlds A and B (<see cref="DiffWorld"/>, one
/// seed per world so a failure reproduces) on the same objects in two databases, diff(A, B) applied to A's
/// database leaves it exactly in state B (<see cref="DiffHarness"/>). The output lists the number of statements
/// of each diff and how many of each kind (statement type and reason) the worlds needed.
/// </summary>
public sealed class RandomWorldDiffTests(ITestOutputHelper output)
{
    private const int WorldsPerMajor = 24;

    public static TheoryData<int, int> Worlds
    {
        get
        {
            var data = new TheoryData<int, int>();
            foreach (var major in TestVersions.Majors) data.Add(major, WorldsPerMajor);
            return data;
        }
    }

    [Theory, MemberData(nameof(Worlds))]
    public async Task Diff_of_random_worlds_applies_to_the_target(int major, int worlds)
    {
        await using var harness = await DiffHarness.CreateAsync(major, output);
        var clock = Stopwatch.StartNew();
        var statements = new List<int>();
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        for (var w = 0; w < worlds; w++)
        {
            var seed = major * 1000 + w;
            var world = new DiffWorld(seed, major, TestDatabase.UniqueName("dw"));
            // One generator, drawn in a fixed order: A's objects, defaults, memberships, then B's.
            List<string> buildA = [.. world.Acl(harness.DatabaseA, 60), .. world.Defaults(12)];
            var membershipsA = world.Memberships(16);
            List<string> buildB = [.. world.Acl(harness.DatabaseB, 60), .. world.Defaults(12)];
            var membershipsB = world.Memberships(16);
            var diff = await harness.ProveAsync(world, $"seed {seed}", buildA, membershipsA, buildB, membershipsB);
            statements.Add(diff.Length);
            foreach (var s in diff) kinds[Kind(s)] = kinds.GetValueOrDefault(Kind(s)) + 1;
        }
        output.WriteLine($"PostgreSQL {major}: {worlds} worlds, diff statements per world {string.Join(" ", statements)} " +
            $"(total {statements.Sum()}, max {statements.Max()}), {clock.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine(string.Join("\n", kinds.Select(k => $"{k.Value,5} {k.Key}")));
    }

    // What a statement is, for the summary: its type, whether it runs as another role, and its reason.
    private static string Kind(SqlStatement s) => s switch
    {
        GrantPrivileges { Grantor: not null } or RevokePrivileges { Grantor: not null } => $"{s.GetType().Name} as a grantor: {s.Reason}",
        GrantRole { Options: { Admin: false, Inherit: null } } r => $"GrantRole WITH ADMIN FALSE: {r.Reason}",
        _ => $"{s.GetType().Name}: {s.Reason}",
    };
}
