namespace Pgrant.IntegrationTests.Rules;

public sealed class ViewOwnerLacksBaseTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Finds_view_owners_without_base_privileges_and_the_fix_lets_readers_and_writers_through(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var owner = TestDatabase.UniqueName("vowner");
        var reader = TestDatabase.UniqueName("reader");
        await db.ExecuteAsync($"""
            CREATE ROLE {owner} NOLOGIN;
            CREATE ROLE {reader} LOGIN PASSWORD 'pw';
            CREATE TABLE base (id integer, secret text, label text);
            INSERT INTO base VALUES (1, 's', 'one');
            CREATE TABLE other (id integer);
            INSERT INTO other VALUES (1);
            CREATE VIEW v AS SELECT b.id, b.label FROM base b JOIN other o USING (id);
            CREATE VIEW vc AS SELECT count(*) AS n FROM base;
            CREATE VIEW w AS SELECT id, label FROM base;
            ALTER VIEW v OWNER TO {owner};
            ALTER VIEW vc OWNER TO {owner};
            ALTER VIEW w OWNER TO {owner};
            GRANT SELECT ON other TO {owner};
            GRANT SELECT ON v, vc TO {reader};
            GRANT SELECT, INSERT ON w TO {reader};
            """);

        var findings = await RuleHarness.RunAsync(db, new ViewOwnerLacksBase(), [reader]);

        Assert.Equal(3, findings.Length);
        Assert.Equal(("PGR016", "public.v", owner, $"GRANT SELECT (id, label) ON TABLE public.base TO {owner};"), RuleHarness.Shape(findings[0]));
        Assert.Equal(("PGR016", "public.vc", owner, $"GRANT SELECT ON TABLE public.base TO {owner};"), RuleHarness.Shape(findings[1]));
        Assert.Equal(("PGR016", "public.w", owner, string.Join("\n",
            $"GRANT SELECT (id, label) ON TABLE public.base TO {owner};",
            $"GRANT INSERT ON TABLE public.base TO {owner};")), RuleHarness.Shape(findings[2]));
        Assert.All(findings, f => Assert.Equal((Severity.Error, "view"), (f.Severity, f.ObjectKindWord)));
        Assert.Equal($"view public.w reads public.base with the privileges of its owner {owner}, who lacks SELECT on columns id, label of public.base; INSERT on public.base: " +
            $"{reader} is denied (\"permission denied for table …\") although granted the view.", findings[2].Message);

        // The server agrees: the reader is denied on every view until the owner's grants are in place.
        await using (var conn = await db.OpenAsync(reader, "pw"))
            foreach (var sql in new[] { "SELECT * FROM v", "SELECT * FROM vc", "INSERT INTO w VALUES (2, 'two')" })
            {
                var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand(sql, conn).ExecuteNonQueryAsync());
                Assert.Equal((PostgresErrorCodes.InsufficientPrivilege, "permission denied for table base"), (e.SqlState, e.MessageText));
            }
        foreach (var f in findings) await db.ExecuteAsync(string.Join("\n", f.Fix));
        await using (var conn = await db.OpenAsync(reader, "pw"))
        {
            Assert.Equal("one", await new NpgsqlCommand("SELECT label FROM v", conn).ExecuteScalarAsync());
            Assert.Equal(1L, await new NpgsqlCommand("SELECT n FROM vc", conn).ExecuteScalarAsync());
            Assert.Equal(1, await new NpgsqlCommand("INSERT INTO w VALUES (2, 'two')", conn).ExecuteNonQueryAsync());
        }
        Assert.Empty(await RuleHarness.RunAsync(db, new ViewOwnerLacksBase(), [reader]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Security_invoker_views_need_base_privileges_of_their_readers_from_15_on(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var owner = TestDatabase.UniqueName("vowner");
        var group = TestDatabase.UniqueName("readers");
        var reader = TestDatabase.UniqueName("reader");
        await db.ExecuteAsync($"""
            CREATE ROLE {owner} NOLOGIN;
            CREATE ROLE {group} NOLOGIN;
            CREATE ROLE {reader} LOGIN PASSWORD 'pw' IN ROLE {group};
            CREATE TABLE base (id integer, label text);
            INSERT INTO base VALUES (1, 'one');
            """);
        const string create = "CREATE VIEW vi WITH (security_invoker = true) AS SELECT id FROM base";
        if (major < 15)
        {
            // Before 15 the option does not exist: every view is checked as its owner.
            var e = await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync(create));
            Assert.Equal(("22023", "unrecognized parameter \"security_invoker\""), (e.SqlState, e.MessageText));
            return;
        }
        // The owner holds nothing on base and is not reported: an invoker view never uses its privileges.
        await db.ExecuteAsync($"{create}; ALTER VIEW vi OWNER TO {owner}; GRANT SELECT ON vi TO {group};");

        var f = Assert.Single(await RuleHarness.RunAsync(db, new ViewOwnerLacksBase(), [reader]));
        Assert.Equal(("PGR016", "public.vi", reader, $"GRANT SELECT (id) ON TABLE public.base TO {group};"), RuleHarness.Shape(f));

        await using (var conn = await db.OpenAsync(reader, "pw"))
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("SELECT * FROM vi", conn).ExecuteNonQueryAsync());
            Assert.Equal((PostgresErrorCodes.InsufficientPrivilege, "permission denied for table base"), (e.SqlState, e.MessageText));
        }
        await db.ExecuteAsync(SqlWriter.Text(f.Fix[0]));
        await using (var conn = await db.OpenAsync(reader, "pw"))
            Assert.Equal(1, await new NpgsqlCommand("SELECT id FROM vi", conn).ExecuteScalarAsync());
        Assert.Empty(await RuleHarness.RunAsync(db, new ViewOwnerLacksBase(), [reader]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_when_owners_hold_the_base_privileges_or_nobody_audited_uses_the_view(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var tableOwner = TestDatabase.UniqueName("towner");
        var columnOwner = TestDatabase.UniqueName("cowner");
        var reader = TestDatabase.UniqueName("reader");
        await db.ExecuteAsync($"""
            CREATE ROLE {tableOwner} NOLOGIN;
            CREATE ROLE {columnOwner} NOLOGIN;
            CREATE ROLE {reader} LOGIN;
            CREATE TABLE base (id integer, label text);
            CREATE VIEW by_base_owner AS SELECT id FROM base;
            CREATE VIEW by_granted_owner AS SELECT id, label FROM base;
            CREATE VIEW by_column_owner AS SELECT label FROM base;
            CREATE VIEW count_by_column_owner AS SELECT count(*) FROM base;
            CREATE VIEW unused AS SELECT id FROM base;
            ALTER VIEW by_granted_owner OWNER TO {tableOwner};
            ALTER VIEW by_column_owner OWNER TO {columnOwner};
            ALTER VIEW count_by_column_owner OWNER TO {columnOwner};
            ALTER VIEW unused OWNER TO {columnOwner};
            GRANT SELECT ON base TO {tableOwner};
            GRANT SELECT (label) ON base TO {columnOwner};
            GRANT SELECT ON by_base_owner, by_granted_owner, by_column_owner, count_by_column_owner TO {reader};
            """);
        Assert.Empty(await RuleHarness.RunAsync(db, new ViewOwnerLacksBase(), [reader]));
    }
}
