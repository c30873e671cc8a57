namespace Pgrant.Core.Tests.Rules;

/// <summary>PGR011 on in-memory snapshots; the same worlds run on real servers in the integration tests' PublicCreateOnSchemaTests.</summary>
public sealed class PublicCreateOnSchemaRuleTests
{
    private static readonly PublicCreateOnSchema Rule = new();

    private static string Message(string schema, string history = "") =>
        $"every role may CREATE in schema {schema}{history}: any login can add a table, function or operator there that shadows " +
        "what other roles — and SECURITY DEFINER functions without a pinned search_path — find through search_path.";

    private const string Before15 = " (the default for the public schema before PostgreSQL 15)";

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Finds_public_create_and_keeps_it_for_the_roles_that_own_objects_there(int major)
    {
        // GRANT CREATE ON SCHEMA public TO PUBLIC (initdb's default before 15); CREATE SCHEMA open_s; GRANT USAGE, CREATE … TO PUBLIC.
        var b = new SnapshotBuilder(major).WithBootstrap();
        var creator = b.Role("creator");
        b.Role("other");
        if (major >= 15) b.Schema("public", b.RoleOid("pg_database_owner"), "{pg_database_owner=UC/pg_database_owner,=UC/pg_database_owner}");
        else b.PublicSchema();
        var open = b.Schema("open_s", b.Bootstrap, "{postgres=UC/postgres,=UC/postgres}");
        b.Relation(open, "made_by_creator", creator);
        b.Relation(open, "made_by_superuser", b.Bootstrap);

        var findings = Run(Rule, b.Build(), ["creator", "other"], ["public", "open_s"]);

        AssertFindings(findings,
            new Shape("PGR011", "open_s", "schema", "PUBLIC", Severity.Warning, Message("open_s"),
                "GRANT CREATE ON SCHEMA open_s TO creator;\n" +
                "REVOKE CREATE ON SCHEMA open_s FROM PUBLIC;"),
            new Shape("PGR011", "public", "schema", "PUBLIC", Severity.Warning, Message("public", major < 15 ? Before15 : ""),
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"));
        Assert.Equal(["open_s", "public"], findings.Select(f => f.Schema));
        // Why the owners keep CREATE is the grant's reason (the fix script's comment above it), no longer a comment line of the fix.
        Assert.Equal("PGR011: roles that own objects in open_s keep CREATE there (they may be what creates them)", findings[0].Fix[0].Reason);
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void The_public_schema_initdb_makes_is_reported_before_15_only(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("app");
        b.PublicSchema();

        var findings = Run(Rule, b.Build(), ["app"]);

        if (major >= 15)
            Assert.Empty(findings);
        else
            AssertSingle(findings, new Shape("PGR011", "public", "schema", "PUBLIC", Severity.Warning, Message("public", Before15),
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC;"));
    }

    [Fact]
    public void Owners_that_keep_create_through_another_entry_are_not_regranted()
    {
        var b = new SnapshotBuilder(16).WithBootstrap();
        var team = b.Role("team", login: false);
        var dev = b.Role("dev");
        b.Grant(team, dev);
        var schemaOwner = b.Role("schema_owner", login: false);
        var s = b.Schema("Shared Space", schemaOwner, "{schema_owner=UC/schema_owner,team=C/schema_owner,=UC/schema_owner}");
        b.Relation(s, "by_dev", dev);
        b.Relation(s, "by_owner", schemaOwner);
        b.Function(s, "by_outsider", b.Role("outsider", login: false));

        var f = AssertSingle(Run(Rule, b.Build(), ["dev"]), new Shape("PGR011", "\"Shared Space\"", "schema", "PUBLIC", Severity.Warning, Message("\"Shared Space\""),
            "GRANT CREATE ON SCHEMA \"Shared Space\" TO outsider;\n" +
            "REVOKE CREATE ON SCHEMA \"Shared Space\" FROM PUBLIC;"));
        Assert.Equal("PGR011: roles that own objects in \"Shared Space\" keep CREATE there (they may be what creates them)", f.Fix[0].Reason);
    }

    [Theory, MemberData(nameof(Majors), MemberType = typeof(RuleTestKit))]
    public void Stays_silent_when_create_is_granted_to_named_roles_only(int major)
    {
        var b = new SnapshotBuilder(major).WithBootstrap();
        b.Role("app");
        // 13/14: REVOKE CREATE ON SCHEMA public FROM PUBLIC, as a hardened cluster does.
        if (major >= 15) b.PublicSchema();
        else b.Schema("public", b.Bootstrap, "{postgres=UC/postgres,=U/postgres}");
        b.Schema("closed", b.Bootstrap, "{postgres=UC/postgres,=U/postgres,app=C/postgres}");

        Assert.Empty(Run(Rule, b.Build(), ["app"], ["public", "closed"]));
    }
}
