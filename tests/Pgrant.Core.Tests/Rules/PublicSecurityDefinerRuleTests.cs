namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR012 on in-memory snapshots; the same worlds run on real servers in the integration tests' PublicSecurityDefinerTests.</summary>
public sealed class PublicSecurityDefinerRuleTests
{
    private static readonly PublicSecurityDefiner Rule = new();

    private const string Open = "every role may execute it (PUBLIC holds EXECUTE)";
    private const string Unpinned = "its search_path is not pinned (no SET search_path), so the caller's path decides what its unqualified names mean";
    private const string PinNote = "-- note: the path is pinned to the function's own schema, pg_temp last; add any other (trusted) schema its body uses before pg_temp.";

    private static string GrantAdvice(string target) => $"-- advice: then grant EXECUTE on {target} to the roles meant to call it.";

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Finds_open_and_unpinned_definer_functions_both_at_once_an_error(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        var owner = b.Role("owner", login: false);
        b.Role("caller");
        var app = b.Schema("app", owner, "{owner=UC/owner,=U/owner}");
        b.Function(app, "read_secret", owner, securityDefiner: true);
        b.Function(app, "pinned_open", owner, arguments: "a integer, b text", securityDefiner: true, config: ["search_path=app, pg_temp"]);
        b.Function(app, "unpinned_closed", owner, "{owner=X/owner}", securityDefiner: true);
        b.Function(app, "pinned_closed", owner, "{owner=X/owner}", securityDefiner: true, config: ["search_path=\"\""]);
        b.Function(app, "invoker", owner);

        AssertFindings(Run(Rule, b.Build(), ["caller"], ["app"]),
            new Shape("PGR012", "app.read_secret()", "function", "owner", Severity.Error,
                $"function app.read_secret() is SECURITY DEFINER (it runs with the privileges of owner) and {Open}, and {Unpinned}: any role can call it, " +
                "and a temporary table of the caller's shadows every unqualified table name in its body, read and written as owner.",
                "REVOKE EXECUTE ON FUNCTION app.read_secret() FROM PUBLIC;\n" +
                "ALTER FUNCTION app.read_secret() SET search_path = app, pg_temp;\n" +
                $"{GrantAdvice("app.read_secret()")}\n" +
                PinNote),
            new Shape("PGR012", "app.pinned_open(a integer, b text)", "function", "owner", Severity.Warning,
                $"function app.pinned_open(a integer, b text) is SECURITY DEFINER (it runs with the privileges of owner) and {Open}.",
                "REVOKE EXECUTE ON FUNCTION app.pinned_open(a integer, b text) FROM PUBLIC;\n" +
                GrantAdvice("app.pinned_open(a integer, b text)")),
            new Shape("PGR012", "app.unpinned_closed()", "function", "owner", Severity.Warning,
                $"function app.unpinned_closed() is SECURITY DEFINER (it runs with the privileges of owner) and {Unpinned}.",
                $"ALTER FUNCTION app.unpinned_closed() SET search_path = app, pg_temp;\n{PinNote}"));
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Keeps_a_schema_every_role_may_create_in_off_the_proposed_path_and_covers_procedures(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("caller");
        var open = b.Schema("open_s", b.Bootstrap, "{postgres=UC/postgres,=UC/postgres}");
        b.Function(open, "tidy", b.Bootstrap, "{postgres=X/postgres}", ObjectKind.Procedure, securityDefiner: true);

        AssertSingle(Run(Rule, b.Build(), ["caller"], ["open_s"]), new Shape("PGR012", "open_s.tidy()", "procedure", "postgres", Severity.Warning,
            $"procedure open_s.tidy() is SECURITY DEFINER (it runs with the privileges of postgres) and {Unpinned}.",
            "ALTER PROCEDURE open_s.tidy() SET search_path = pg_catalog, pg_temp;\n" +
            "-- caution: its schema lets every role create objects (PGR011), so it is kept off the path: schema-qualify every name in the body."));
    }

    [Fact]
    public void The_public_schema_of_13_and_14_lets_every_role_create_so_it_stays_off_the_path_there()
    {
        // The statements come first and the notes after them, so the statement is the last one of the fix, no longer the end of its text.
        static string LastStatementFor(int major)
        {
            var b = new SnapshotBuilder(major).WithBootstrap();
            b.Role("caller");
            var pub = b.PublicSchema();
            b.Function(pub, "f", b.Bootstrap, "{postgres=X/postgres}", securityDefiner: true);
            return SqlText.Of(Assert.Single(Run(Rule, b.Build(), ["caller"])).Fix)[^1];
        }

        Assert.EndsWith("ALTER FUNCTION public.f() SET search_path = pg_catalog, pg_temp;", LastStatementFor(14), StringComparison.Ordinal);
        Assert.EndsWith("ALTER FUNCTION public.f() SET search_path = public, pg_temp;", LastStatementFor(15), StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_for_closed_pinned_definers_and_for_invoker_functions(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("caller");
        var app = b.Schema("app", b.Bootstrap);
        b.Function(app, "closed", b.Bootstrap, "{postgres=X/postgres,caller=X/postgres}", arguments: "x integer", securityDefiner: true,
            config: ["search_path=app, pg_temp"]);
        b.Function(app, "plain", b.Bootstrap);

        Assert.Empty(Run(Rule, b.Build(), ["caller"], ["app"]));
    }
}
