namespace Pgrant.IntegrationTests.Rules;

public sealed class PublicSecurityDefinerTests
{
    private const string PinNote = "-- note: the path is pinned to the function's own schema, pg_temp last; add any other (trusted) schema its body uses before pg_temp.";

    private static string GrantAdvice(string target) => $"-- advice: then grant EXECUTE on {target} to the roles meant to call it.";

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Finds_open_and_unpinned_definer_functions_and_the_fix_stops_the_temp_table_hijack(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var owner = TestDatabase.UniqueName("owner");
        var caller = TestDatabase.UniqueName("caller");
        await db.ExecuteAsync($"""
            CREATE ROLE {owner} NOLOGIN;
            CREATE ROLE {caller} LOGIN PASSWORD 'pw';
            CREATE SCHEMA app AUTHORIZATION {owner};
            GRANT USAGE ON SCHEMA app TO PUBLIC;
            SET ROLE {owner};
            CREATE TABLE app.secrets (v text);
            INSERT INTO app.secrets VALUES ('real');
            SET search_path = app;
            CREATE FUNCTION app.read_secret() RETURNS text LANGUAGE sql SECURITY DEFINER AS 'SELECT v FROM secrets';
            CREATE FUNCTION app.pinned_open(a integer, b text) RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path = app, pg_temp AS 'SELECT 1';
            CREATE FUNCTION app.unpinned_closed() RETURNS integer LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
            REVOKE EXECUTE ON FUNCTION app.unpinned_closed() FROM PUBLIC;
            CREATE FUNCTION app.pinned_closed() RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path = '' AS 'SELECT 1';
            REVOKE EXECUTE ON FUNCTION app.pinned_closed() FROM PUBLIC;
            CREATE FUNCTION app.invoker() RETURNS integer LANGUAGE sql AS 'SELECT 1';
            RESET search_path;
            RESET ROLE;
            """);

        var findings = await RuleHarness.RunAsync(db, new PublicSecurityDefiner(), [caller], ["app"]);

        Assert.Equal(3, findings.Length);
        // Errors first (both problems), then warnings by object.
        Assert.Equal(("PGR012", "app.read_secret()", owner, string.Join("\n",
            "REVOKE EXECUTE ON FUNCTION app.read_secret() FROM PUBLIC;",
            "ALTER FUNCTION app.read_secret() SET search_path = app, pg_temp;",
            GrantAdvice("app.read_secret()"),
            PinNote)), RuleHarness.Shape(findings[0]));
        Assert.Equal(Severity.Error, findings[0].Severity);
        Assert.Equal(("PGR012", "app.pinned_open(a integer, b text)", owner, string.Join("\n",
            "REVOKE EXECUTE ON FUNCTION app.pinned_open(a integer, b text) FROM PUBLIC;",
            GrantAdvice("app.pinned_open(a integer, b text)"))),
            RuleHarness.Shape(findings[1]));
        Assert.Equal(("PGR012", "app.unpinned_closed()", owner, string.Join("\n",
            "ALTER FUNCTION app.unpinned_closed() SET search_path = app, pg_temp;",
            PinNote)), RuleHarness.Shape(findings[2]));
        Assert.Equal((Severity.Warning, Severity.Warning), (findings[1].Severity, findings[2].Severity));
        Assert.All(findings, f => Assert.Equal("function", f.ObjectKindWord));

        // The server agrees that the error is exploitable: the caller's temporary table shadows app.secrets.
        const string hijack = "CREATE TEMP TABLE secrets (v text); GRANT SELECT ON secrets TO PUBLIC; INSERT INTO secrets VALUES ('fake')";
        await using (var conn = await db.OpenAsync(caller, "pw"))
        {
            await new NpgsqlCommand(hijack, conn).ExecuteNonQueryAsync();
            Assert.Equal("fake", await new NpgsqlCommand("SELECT app.read_secret()", conn).ExecuteScalarAsync());
        }
        foreach (var f in findings) await db.ExecuteAsync(string.Join("\n", f.Fix.Select(SqlWriter.Text)));
        await using (var conn = await db.OpenAsync(caller, "pw"))
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => new NpgsqlCommand("SELECT app.read_secret()", conn).ExecuteScalarAsync());
            Assert.Equal((PostgresErrorCodes.InsufficientPrivilege, "permission denied for function read_secret"), (e.SqlState, e.MessageText));
        }
        // Granted explicitly, as the fix's advice says, the pinned function reads the real table despite the shadow.
        await db.ExecuteAsync($"GRANT EXECUTE ON FUNCTION app.read_secret() TO {caller}");
        await using (var conn = await db.OpenAsync(caller, "pw"))
        {
            await new NpgsqlCommand(hijack, conn).ExecuteNonQueryAsync();
            Assert.Equal("real", await new NpgsqlCommand("SELECT app.read_secret()", conn).ExecuteScalarAsync());
        }
        Assert.Empty(await RuleHarness.RunAsync(db, new PublicSecurityDefiner(), [caller], ["app"]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Keeps_public_writable_schemas_off_the_proposed_path_and_covers_procedures(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var caller = TestDatabase.UniqueName("caller");
        await db.ExecuteAsync($"""
            CREATE ROLE {caller} LOGIN;
            CREATE SCHEMA open_s;
            GRANT USAGE, CREATE ON SCHEMA open_s TO PUBLIC;
            CREATE PROCEDURE open_s.tidy() LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
            REVOKE EXECUTE ON PROCEDURE open_s.tidy() FROM PUBLIC;
            """);
        var f = Assert.Single(await RuleHarness.RunAsync(db, new PublicSecurityDefiner(), [caller], ["open_s"]));
        Assert.Equal(("PGR012", "open_s.tidy()", "postgres", string.Join("\n",
            "ALTER PROCEDURE open_s.tidy() SET search_path = pg_catalog, pg_temp;",
            "-- caution: its schema lets every role create objects (PGR011), so it is kept off the path: schema-qualify every name in the body.")),
            RuleHarness.Shape(f));
        Assert.Equal(("procedure", Severity.Warning), (f.ObjectKindWord, f.Severity));
        await db.ExecuteAsync(SqlWriter.Text(Assert.Single(f.Fix)));
        Assert.Empty(await RuleHarness.RunAsync(db, new PublicSecurityDefiner(), [caller], ["open_s"]));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Stays_silent_for_closed_pinned_definers_and_for_invoker_functions(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var caller = TestDatabase.UniqueName("caller");
        await db.ExecuteAsync($"""
            CREATE ROLE {caller} LOGIN;
            CREATE SCHEMA app;
            CREATE FUNCTION app.closed(x integer) RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path = app, pg_temp AS 'SELECT x';
            REVOKE EXECUTE ON FUNCTION app.closed(integer) FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION app.closed(integer) TO {caller};
            CREATE FUNCTION app.plain() RETURNS integer LANGUAGE sql AS 'SELECT 1';
            """);
        Assert.Empty(await RuleHarness.RunAsync(db, new PublicSecurityDefiner(), [caller], ["app"]));
    }
}
