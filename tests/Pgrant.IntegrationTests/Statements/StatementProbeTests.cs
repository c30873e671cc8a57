using Pgrant.Core.Access;
using Pgrant.Core.Acl;
using Pgrant.Core.Diagnosis;
using Pgrant.Postgres.Probe;

namespace Pgrant.IntegrationTests.Statements;

/// <summary>The probe on real servers: what it reads of the server's analysis, and that it runs nothing and leaves nothing behind.</summary>
public sealed class StatementProbeTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task EveryMajorShowsItsAnalysis(int major)
    {
        var (db, conn) = await WorldAsync(major);
        await using var _ = db;
        await using var __ = conn;
        var needs = await StatementProbe.ProbeAsync(conn, "SELECT key FROM kv WHERE hits = $1", null, "public", default);
        Assert.True(needs.Analysed, needs.Problem);
        Assert.Equal("SELECT", needs.Command);
        var kv = Assert.Single(needs.Relations);
        Assert.Equal(("kv", Privilege.Select, true), (kv.Name, kv.Required, kv.NamedInStatement));
        Assert.Equal(["key", "hits"], kv.Selected.ToArray());
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task TheRoleLackingTheViewStillGetsItsAnalysis(int major)
    {
        // 13 and 14 plan the statement after printing its tree, and their planner already denies the view: the tree counts.
        var (db, conn) = await WorldAsync(major);
        await using var _ = db;
        await using var __ = conn;
        var role = "r o\"le " + TestDatabase.UniqueName("probe");
        await db.ExecuteAsync($"CREATE ROLE {SqlNames.Ident(role)}; GRANT USAGE ON SCHEMA public TO {SqlNames.Ident(role)}");
        try
        {
            var needs = await StatementProbe.ProbeAsync(conn, "SELECT value, bump() FROM kv_view WHERE key = $1", role, "public", default);
            Assert.True(needs.Analysed, needs.Problem);
            var view = Assert.Single(needs.Relations, r => r.Name == "kv_view");
            Assert.Equal((Privilege.Select, (string?)null, true), (view.Required, view.CheckAs, view.NamedInStatement));
            Assert.Equal(["key", "value"], view.Selected.ToArray());
            var bases = Assert.Single(needs.Relations, r => r.Name == "kv");
            Assert.Equal((Privilege.Select, false), (bases.Required, bases.NamedInStatement));
            Assert.NotNull(bases.CheckAs);
            Assert.Contains(needs.Functions, f => f.Name == "bump");
        }
        finally
        {
            await db.ExecuteAsync($"DROP OWNED BY {SqlNames.Ident(role)}; DROP ROLE {SqlNames.Ident(role)}");
        }
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM calls", conn);
        Assert.Equal(0L, await cmd.ExecuteScalarAsync());
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task AFunctionBodyInlinedWhilePlanningIsNotTheStatements(int major)
    {
        // A set-returning SQL function is inlined by the planner (13 and 14 plan while showing the analysis); what its body
        // reads is checked when it runs, and PREPARE on 15+ does not see it either: the needs are the same on every major.
        var (db, conn) = await WorldAsync(major);
        await using var _ = db;
        await using var __ = conn;
        var needs = await StatementProbe.ProbeAsync(conn, "SELECT * FROM hit_counts() h WHERE h > $1", null, "public", default);
        Assert.True(needs.Analysed, needs.Problem);
        Assert.Empty(needs.Relations);
        Assert.Contains(needs.Functions, f => f.Name == "hit_counts" && f.NamedInStatement);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ADollarInALiteralIsNoParameter(int major)
    {
        var (db, conn) = await WorldAsync(major);
        await using var _ = db;
        await using var __ = conn;
        var needs = await StatementProbe.ProbeAsync(conn, "SELECT key FROM kv WHERE value = 'costs $3'", null, "public", default);
        Assert.True(needs.Analysed, needs.Problem);
        Assert.Equal(["key", "value"], Assert.Single(needs.Relations).Selected.ToArray());
    }

    private static async Task<(TestDatabase Db, NpgsqlConnection Conn)> WorldAsync(int major)
    {
        var db = await TestDatabase.CreateAsync(major);
        await db.ExecuteAsync("""
            CREATE TABLE kv (key text PRIMARY KEY, value text, hits int DEFAULT 0);
            CREATE TABLE "we""ird tab" (id serial PRIMARY KEY, "Sp ace" text);
            CREATE TABLE calls (n int);
            CREATE FUNCTION bump() RETURNS int LANGUAGE sql AS 'INSERT INTO calls VALUES (1) RETURNING n';
            CREATE VIEW kv_view AS SELECT key, value FROM kv;
            CREATE FUNCTION hit_counts() RETURNS SETOF int LANGUAGE sql STABLE AS 'SELECT n FROM calls';
            """);
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString()) { Pooling = false, IncludeErrorDetail = true };
        var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        return (db, conn);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task OnConflictDoUpdateReadsTheColumnsOfEachCheck(int major)
    {
        var (db, conn) = await WorldAsync(major);
        await using var _ = db;
        await using var __ = conn;
        var needs = await StatementProbe.ProbeAsync(conn,
            "INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING hits;", null, "public", default);
        Assert.True(needs.Analysed, needs.Problem);
        Assert.Equal("INSERT", needs.Command);
        var target = Assert.Single(needs.Relations, r => (r.Required & Privilege.Insert) != 0);
        Assert.Equal(("kv", Privilege.Insert | Privilege.Select | Privilege.Update, true), (target.Name, target.Required, target.NamedInStatement));
        Assert.Equal(["key", "hits"], target.Selected.ToArray());
        Assert.Equal(["key", "value"], target.Inserted.ToArray());
        Assert.Equal(["value"], target.Updated.ToArray());
        var excluded = Assert.Single(needs.Relations, r => r.Required == Privilege.Select);
        Assert.Equal(["value"], excluded.Selected.ToArray());
        Assert.Equal(["public"], needs.Schemas.ToArray());
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ViewsDefaultsAndHostileNames(int major)
    {
        var (db, conn) = await WorldAsync(major);
        await using var _ = db;
        await using var __ = conn;
        var view = await StatementProbe.ProbeAsync(conn, "SELECT value FROM kv_view WHERE key = 'a'", null, "public", default);
        var bases = Assert.Single(view.Relations, r => r.Name == "kv");
        Assert.Null(bases.CheckAs); // the connected superuser owns the view
        Assert.False(bases.NamedInStatement);
        Assert.Equal(["key", "value"], bases.Selected.ToArray());

        var insert = await StatementProbe.ProbeAsync(conn, "INSERT INTO \"we\"\"ird tab\" (\"Sp ace\") VALUES ('x')", null, "public", default);
        Assert.Equal(["Sp ace"], Assert.Single(insert.Relations).Inserted.ToArray());
        var seq = Assert.Single(insert.Sequences);
        Assert.Equal(("we\"ird tab_id_seq", SequenceOperation.Nextval, true), (seq.Name, seq.Operation, seq.FromDefault));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task NothingRunsAndNothingIsLeftBehind(int major)
    {
        var (db, conn) = await WorldAsync(major);
        await using var _ = db;
        await using var __ = conn;
        var needs = await StatementProbe.ProbeAsync(conn, "INSERT INTO calls SELECT bump()", null, "public", default);
        Assert.True(needs.Analysed, needs.Problem);
        Assert.Contains(needs.Functions, f => f.Name == "bump");
        await using (var cmd = new NpgsqlCommand("SELECT count(*) FROM calls", conn))
            Assert.Equal(0L, await cmd.ExecuteScalarAsync());
        await using (var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", conn))
            Assert.Equal(0L, await cmd.ExecuteScalarAsync());
        await using (var cmd = new NpgsqlCommand("SELECT current_setting('debug_print_rewritten') || ' ' || current_setting('client_min_messages') || ' ' || current_setting('search_path') || ' ' || current_setting('plan_cache_mode') || ' ' || current_setting('transaction_read_only')", conn))
            Assert.Equal("off notice \"$user\", public auto off", await cmd.ExecuteScalarAsync());
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task WhatDoesNotParseOrDoesNotExistIsSaid(int major)
    {
        var (db, conn) = await WorldAsync(major);
        await using var _ = db;
        await using var __ = conn;
        var syntax = await StatementProbe.ProbeAsync(conn, "SELEC key FROM kv", null, "public", default);
        Assert.False(syntax.Analysed);
        Assert.Contains("syntax error", syntax.Problem, StringComparison.Ordinal);
        var missing = await StatementProbe.ProbeAsync(conn, "SELECT * FROM no_such_table", null, "public", default);
        Assert.Equal("relation \"no_such_table\" does not exist", missing.Problem);
        var two = await StatementProbe.ProbeAsync(conn, "SELECT 1; DROP TABLE kv", null, "public", default);
        Assert.False(two.Analysed);
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM kv", conn);
        Assert.Equal(0L, await cmd.ExecuteScalarAsync());
    }
}
