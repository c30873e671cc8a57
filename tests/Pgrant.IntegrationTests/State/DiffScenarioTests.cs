using Xunit.Abstractions;

namespace Pgrant.IntegrationTests.State;

/// <summary>
/// The paths of <see cref="StateDiff"/> that random worlds reach rarely, each as a pair of worlds proved on the
/// server by <see cref="DiffHarness"/>, and each required to take the path it is about (a statement with the
/// expected reason). Roles: {o} owns schema w and its objects, {a}–{e} are others ({d} needs quoting), {db}
/// is the database the statements run in.
/// </summary>
public sealed class DiffScenarioTests(ITestOutputHelper output)
{
    private sealed record Scenario(string Name, string[] A, string[] B, string Expect, string[]? MembershipsA = null, string[]? MembershipsB = null, int Since = 13);

    private static readonly Scenario[] Scenarios =
    [
        new("a table-level revoke takes the column grant the target keeps, which is granted again",
            ["GRANT SELECT ON w.t1 TO {a}", "GRANT SELECT (a) ON w.t1 TO {a}"],
            ["GRANT SELECT (a) ON w.t1 TO {a}"],
            "the table-level revoke above also took it from the column"),
        new("a revoke of a column grant option others depend on revokes them first and grants them again",
            ["GRANT USAGE ON SCHEMA w TO {a}", "GRANT UPDATE ON w.t1 TO {a}", "GRANT UPDATE (b) ON w.t1 TO {a} WITH GRANT OPTION",
             "SET ROLE {a}; GRANT UPDATE (b) ON w.t1 TO {b}, {d}; RESET ROLE"],
            ["GRANT USAGE ON SCHEMA w TO {a}", "GRANT UPDATE (b) ON w.t1 TO {a} WITH GRANT OPTION",
             "SET ROLE {a}; GRANT UPDATE (b) ON w.t1 TO {b}, {d}; RESET ROLE"],
            "revoked for now"),
        new("a column grant that outlived its grantor's table-level option is revoked with a temporary option",
            ["GRANT USAGE ON SCHEMA w TO {a}", "GRANT SELECT ON w.t1 TO {a} WITH GRANT OPTION",
             "SET ROLE {a}; GRANT SELECT (\"Col C\") ON w.t1 TO {b}; RESET ROLE", "REVOKE GRANT OPTION FOR SELECT ON w.t1 FROM {a}"],
            ["GRANT USAGE ON SCHEMA w TO {a}", "GRANT SELECT ON w.t1 TO {a}"],
            "needs a grant option of its own"),
        new("a column grant whose grantor holds no option in the target is made with a temporary one",
            ["GRANT USAGE ON SCHEMA w TO {a}", "GRANT SELECT ON w.t1 TO {a}"],
            ["GRANT USAGE ON SCHEMA w TO {a}", "GRANT SELECT ON w.t1 TO {a} WITH GRANT OPTION",
             "SET ROLE {a}; GRANT SELECT (\"Col C\") ON w.t1 TO {b}; RESET ROLE", "REVOKE GRANT OPTION FOR SELECT ON w.t1 FROM {a}"],
            "needs a grant option of its own"),
        new("a grantor without USAGE on the schema gets it for as long as it acts",
            ["GRANT SELECT ON w.t2 TO {a} WITH GRANT OPTION"],
            ["GRANT SELECT ON w.t2 TO {a} WITH GRANT OPTION", "GRANT USAGE ON SCHEMA w TO {a}",
             "SET ROLE {a}; GRANT SELECT ON w.t2 TO {b}; RESET ROLE", "REVOKE USAGE ON SCHEMA w FROM {a}"],
            "needs USAGE to name them"),
        new("a grantor whose USAGE the target revokes keeps it until its grants are done",
            ["GRANT USAGE ON SCHEMA w TO {a}", "GRANT EXECUTE ON FUNCTION w.f1(integer) TO {a} WITH GRANT OPTION"],
            ["GRANT EXECUTE ON FUNCTION w.f1(integer) TO {a} WITH GRANT OPTION", "GRANT USAGE ON SCHEMA w TO {a}",
             "SET ROLE {a}; GRANT EXECUTE ON FUNCTION w.f1(integer) TO {c}; RESET ROLE", "REVOKE USAGE ON SCHEMA w FROM {a}"],
            "the target state lacks this grant"),
        new("chains of grant options are built from the owner down and taken apart from the bottom up",
            ["GRANT USAGE ON SCHEMA w TO {a}, {b}, {c}", "GRANT CONNECT ON DATABASE {db} TO {a} WITH GRANT OPTION",
             "SET ROLE {a}; GRANT CONNECT ON DATABASE {db} TO {b} WITH GRANT OPTION; RESET ROLE",
             "SET ROLE {b}; GRANT CONNECT ON DATABASE {db} TO {c}; RESET ROLE"],
            ["GRANT USAGE ON SCHEMA w TO {a}, {b}, {c}", "GRANT USAGE ON SEQUENCE w.s1 TO {b} WITH GRANT OPTION",
             "SET ROLE {b}; GRANT USAGE ON SEQUENCE w.s1 TO {d} WITH GRANT OPTION; RESET ROLE",
             "SET ROLE {d}; GRANT USAGE ON SEQUENCE w.s1 TO {a}, PUBLIC; RESET ROLE"],
            "the target state has this grant with the grant option"),
        new("the owner's own privileges and PUBLIC's are revoked and granted like any other",
            ["REVOKE ALL ON FUNCTION w.f1(integer) FROM PUBLIC", "REVOKE SELECT, UPDATE ON w.t1 FROM {o}", "REVOKE USAGE ON TYPE w.ty1 FROM PUBLIC"],
            ["REVOKE EXECUTE ON PROCEDURE w.p1() FROM {o}", "GRANT SELECT ON w.v1 TO PUBLIC", "REVOKE CONNECT, TEMPORARY ON DATABASE {db} FROM PUBLIC",
             "REVOKE USAGE ON DOMAIN w.d1 FROM {o}"],
            "the target state lacks this grant"),
        new("grant options turn on and off",
            ["GRANT SELECT ON w.t1 TO {a} WITH GRANT OPTION", "GRANT UPDATE ON w.t1 TO {a}", "GRANT CREATE ON SCHEMA w TO {e} WITH GRANT OPTION"],
            ["GRANT SELECT ON w.t1 TO {a}", "GRANT UPDATE ON w.t1 TO {a} WITH GRANT OPTION", "GRANT CREATE ON SCHEMA w TO {e}"],
            "the target state has this grant without the grant option"),
        new("default privileges, global and per schema, for the creator itself and PUBLIC",
            ["ALTER DEFAULT PRIVILEGES FOR ROLE {a} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC",
             "ALTER DEFAULT PRIVILEGES FOR ROLE {d} IN SCHEMA w GRANT SELECT ON TABLES TO {b} WITH GRANT OPTION"],
            ["ALTER DEFAULT PRIVILEGES FOR ROLE {a} REVOKE ALL ON TABLES FROM {a}", "ALTER DEFAULT PRIVILEGES FOR ROLE {a} GRANT CREATE ON SCHEMAS TO {c}",
             "ALTER DEFAULT PRIVILEGES FOR ROLE {d} IN SCHEMA w GRANT SELECT ON TABLES TO {b}", "ALTER DEFAULT PRIVILEGES FOR ROLE {d} IN SCHEMA w GRANT USAGE ON TYPES TO PUBLIC"],
            "default privileges"),
        new("default privileges on large objects (18)",
            [],
            ["ALTER DEFAULT PRIVILEGES FOR ROLE {a} GRANT SELECT ON LARGE OBJECTS TO {b} WITH GRANT OPTION", "ALTER DEFAULT PRIVILEGES FOR ROLE {a} REVOKE UPDATE ON LARGE OBJECTS FROM {a}"],
            "default privileges", Since: 18),
        new("a membership loop is broken before it is made the other way round",
            [], [], "the target state lacks this membership",
            MembershipsA: ["GRANT {a} TO {b}", "GRANT {b} TO {c}"], MembershipsB: ["GRANT {c} TO {a}"]),
        new("a membership's grantor changes (13–15: revoke and grant again; 16+: another row)",
            [], [], "the target state has this membership",
            MembershipsA: ["GRANT {c} TO {a} WITH ADMIN OPTION", "GRANT {c} TO {b} GRANTED BY {a}"],
            MembershipsB: ["GRANT {c} TO {a} WITH ADMIN OPTION", "GRANT {c} TO {e} WITH ADMIN OPTION", "GRANT {c} TO {b} GRANTED BY {e}"]),
        new("16+: INHERIT, SET and ADMIN per row, and chains of ADMIN",
            [], [], "without INHERIT",
            MembershipsA: ["GRANT {c} TO {a} WITH ADMIN TRUE, INHERIT TRUE, SET TRUE", "GRANT {c} TO {b} WITH ADMIN TRUE GRANTED BY {a}", "GRANT {c} TO {d} GRANTED BY {b}"],
            MembershipsB: ["GRANT {c} TO {a} WITH INHERIT FALSE, SET FALSE", "GRANT {c} TO {e} WITH ADMIN TRUE", "GRANT {c} TO {d} WITH SET FALSE GRANTED BY {e}"],
            Since: 16),
        new("16+: a grant made with an ADMIN option the target takes away (GRANT … WITH ADMIN FALSE keeps it)",
            [], [], "REVOKE would refuse to leave",
            MembershipsA: ["GRANT {c} TO {a} WITH ADMIN TRUE"],
            MembershipsB: ["GRANT {c} TO {a} WITH ADMIN TRUE", "GRANT {c} TO {b} GRANTED BY {a}", "GRANT {c} TO {a} WITH ADMIN FALSE"],
            Since: 16),
    ];

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Each_rare_path_of_the_diff_holds_on_the_server(int major)
    {
        await using var harness = await DiffHarness.CreateAsync(major, output);
        var proved = 0;
        foreach (var scenario in Scenarios.Where(s => s.Since <= major))
        {
            var world = new DiffWorld(0, major, TestDatabase.UniqueName("ds"));
            string Fill(string sql, string database)
            {
                foreach (var (key, role) in new[] { ("{o}", world.Owner), ("{a}", world.Roles[1]), ("{b}", world.Roles[2]), ("{c}", world.Roles[3]), ("{d}", world.Roles[4]), ("{e}", world.Roles[5]) })
                    sql = sql.Replace(key, SqlNames.Ident(role), StringComparison.Ordinal);
                return sql.Replace("{db}", SqlNames.Ident(database), StringComparison.Ordinal);
            }
            var diff = await harness.ProveAsync(world, scenario.Name,
                scenario.A.Select(s => Fill(s, harness.DatabaseA)), (scenario.MembershipsA ?? []).Select(s => Fill(s, harness.DatabaseA)),
                scenario.B.Select(s => Fill(s, harness.DatabaseB)), (scenario.MembershipsB ?? []).Select(s => Fill(s, harness.DatabaseB)));
            output.WriteLine($"-- {scenario.Name}:\n{string.Join("\n", diff.Select(s => $"{SqlWriter.Text(s)}  -- {s.Reason}"))}");
            Assert.True(diff.Any(s => s.Reason.Contains(scenario.Expect, StringComparison.Ordinal)),
                $"{scenario.Name}: no statement says \"{scenario.Expect}\":\n{string.Join("\n", diff.Select(s => $"{SqlWriter.Text(s)}  -- {s.Reason}"))}");
            proved++;
        }
        Assert.Equal(Scenarios.Count(s => s.Since <= major), proved);
    }
}
