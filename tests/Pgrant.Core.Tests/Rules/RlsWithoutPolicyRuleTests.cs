namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR017 on in-memory snapshots; the same worlds run on real servers in the integration tests' RlsWithoutPolicyTests.</summary>
public sealed class RlsWithoutPolicyRuleTests
{
    private static readonly RlsWithoutPolicy Rule = new();

    /// <summary>The advice to write a policy for one command, with its skeleton as the example.</summary>
    private static string Skeleton(string table, string role, string command, string clause) =>
        $"-- advice: no safe automatic fix: write a policy for {command} by {role} that admits the rows it may use, e.g.:\n" +
        $"--   CREATE POLICY {role}_{command.ToLowerInvariant()} ON {table} FOR {command} TO {role} {clause};";

    private static string Rows(string verb) => $"true /* replace with the rows it may {verb} */";

    private static string Fix(string table, params string[] skeletons) => string.Join("\n",
        [.. skeletons,
         "-- advice: or, if row-level security was not meant for this table, disable it:",
         $"--   ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;"]);

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Finds_granted_roles_no_policy_lets_in_and_the_owner_under_force(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var owner = b.Role("owner");
        b.Role("app");
        b.Role("someone", login: false);
        var pub = b.PublicSchema();
        // docs: RLS on, no policy; GRANT SELECT, INSERT ON docs TO app.
        b.EnableRowSecurity(b.Relation(pub, "docs", owner, "{owner=arwdDxt/owner,app=ar/owner}", columns: [("id", null), ("body", null)]));
        // notes: RLS on and forced; a SELECT policy for someone else, an INSERT policy for PUBLIC; GRANT SELECT ON notes TO app.
        var notes = b.EnableRowSecurity(b.Relation(pub, "notes", owner, "{owner=arwdDxt/owner,app=r/owner}", columns: [("id", null)]), force: true);
        b.Policy(notes, "for_someone", 'r', roles: ["someone"]);
        b.Policy(notes, "writes", 'a', roles: ["PUBLIC"]);

        AssertFindings(Run(Rule, b.Build(), ["owner", "app"]),
            new Shape("PGR017", "public.docs", "table", "app", Severity.Warning,
                "row-level security is enabled on public.docs and it has no policy: app holds SELECT, INSERT but its SELECTs see no rows, " +
                "every INSERT fails (\"new row violates row-level security policy\").",
                Fix("public.docs",
                    Skeleton("public.docs", "app", "SELECT", $"USING ({Rows("select")})"),
                    Skeleton("public.docs", "app", "INSERT", $"WITH CHECK ({Rows("insert")})"))),
            new Shape("PGR017", "public.notes", "table", "app", Severity.Warning,
                "row-level security is enabled on public.notes and none of its policies lets app SELECT: app holds SELECT but its SELECTs see no rows.",
                Fix("public.notes", Skeleton("public.notes", "app", "SELECT", $"USING ({Rows("select")})"))),
            new Shape("PGR017", "public.notes", "table", "owner", Severity.Warning,
                "row-level security is enabled on public.notes and none of its policies lets owner SELECT/UPDATE/DELETE: owner holds SELECT, UPDATE, DELETE " +
                "but its SELECTs see no rows, its UPDATEs change no rows, its DELETEs remove no rows.",
                Fix("public.notes",
                    Skeleton("public.notes", "owner", "SELECT", $"USING ({Rows("select")})"),
                    Skeleton("public.notes", "owner", "UPDATE", $"USING ({Rows("update")}) WITH CHECK ({Rows("update")})"),
                    Skeleton("public.notes", "owner", "DELETE", $"USING ({Rows("delete")})"))));
    }

    [Fact]
    public void Restrictive_policies_alone_let_nothing_through_and_column_grants_count()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        b.Role("app");
        var pub = b.PublicSchema();
        var t = b.EnableRowSecurity(b.Relation(pub, "t", b.Bootstrap, "{postgres=arwdDxt/postgres}", columns: [("id", null), ("body", "{app=r/postgres}")]));
        b.Policy(t, "only_mine", '*', permissive: false, roles: ["PUBLIC"]);

        AssertSingle(Run(Rule, b.Build(), ["app"]), new Shape("PGR017", "public.t", "table", "app", Severity.Warning,
            "row-level security is enabled on public.t and none of its policies lets app SELECT: app holds SELECT but its SELECTs see no rows.",
            Fix("public.t", Skeleton("public.t", "app", "SELECT", $"USING ({Rows("select")})"))));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_for_owners_bypassrls_roles_group_policies_and_tables_without_rls(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var owner = b.Role("owner");
        b.Role("bypass", bypassRls: true);
        var group = b.Role("grp", login: false);
        b.Grant(group, b.Role("member"));
        var pub = b.PublicSchema();
        var guarded = b.EnableRowSecurity(b.Relation(pub, "guarded", owner, "{owner=arwdDxt/owner,bypass=rw/owner,grp=rw/owner}", columns: [("id", null)]));
        b.Policy(guarded, "group_rows", roles: ["grp"]);
        b.Relation(pub, "open_t", b.Bootstrap, "{postgres=arwdDxt/postgres,member=r/postgres}", columns: [("id", null)]);

        Assert.Empty(Run(Rule, b.Build(), ["owner", "bypass", "member"]));
    }
}
