using System.Collections.Immutable;
using Pgrant.Core.Diagnosis;
using Pgrant.Postgres;

namespace Pgrant.IntegrationTests.Explain;

/// <summary>
/// When a role holds its other privileges through a group, explain's fix goes to that group (as check's rules
/// do), with the direct grant as the alternative; following explain's fix makes the statement pass and adds
/// no check finding — the one check had about the same gap is gone. A role holding its privileges directly
/// keeps the direct grant. Proved on every major.
/// </summary>
public sealed class ExplainGroupTests
{
    private static async Task<ImmutableArray<Finding>> CheckAsync(ExplainWorld w, params string[] roles)
    {
        await using var session = PgrantSession.Create(NpgsqlDataSource.Create(w.Db.ConnectionString()), ownsDataSource: true);
        return (await session.AuditAsync(new AuditScope([.. roles], []), RuleCatalog.All)).Findings;
    }

    private static ImmutableHashSet<(string, string?, string?)> Keys(IEnumerable<Finding> findings) =>
        [.. findings.Select(f => (f.Rule.Id, f.Object, f.Role))];

    /// <summary>Applies explain's fix, proves the statement passes, and that check has nothing new and lost <paramref name="gone"/>.</summary>
    private static async Task FollowAsync(ExplainWorld w, Diagnosis d, string role, string sql, string[] audited, string gone)
    {
        var before = await CheckAsync(w, audited);
        Assert.Contains(before, f => f.Rule.Id == gone);
        await w.ApplyAsync(d.Fix);
        await w.SucceedsAsync(role, sql);
        var after = await CheckAsync(w, audited);
        Assert.Empty(Keys(after).Except(Keys(before)));
        Assert.DoesNotContain(after, f => f.Rule.Id == gone);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SequenceUsageGoesToTheGroupThatHoldsTheInsert(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var group = await w.RoleAsync("rw \"grp\" é", "NOLOGIN");
        var g = SqlNames.Ident(group);
        await w.SqlAsync($"CREATE TABLE orders (id serial PRIMARY KEY, v text); GRANT INSERT, SELECT ON orders TO {g}; GRANT {g} TO {SqlNames.Ident(app)}");
        const string sql = "INSERT INTO orders (v) VALUES ('x')";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for sequence orders_id_seq", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        ExplainWorld.Same([$"GRANT USAGE ON SEQUENCE public.orders_id_seq TO {g};"], d.Fix);
        var direct = Assert.Single(d.Alternatives, a => a.Title == $"grant to {app} directly");
        ExplainWorld.Same([$"GRANT USAGE ON SEQUENCE public.orders_id_seq TO {SqlNames.Ident(app)};"], direct.Statements);
        Assert.Contains(d.Notes, n => n.Text.StartsWith($"{app} holds INSERT on public.orders, whose default calls it, through {group}: ", StringComparison.Ordinal));
        Assert.Equal(VerificationStatus.Verified, d.Verification?.Status);

        // check's PGR001 findings (for the role and for the group) name the same fix.
        var pgr001 = (await CheckAsync(w, app, group)).Where(f => f.Rule.Id == "PGR001").ToList();
        Assert.Equal(2, pgr001.Count);
        Assert.All(pgr001, f => ExplainWorld.Same(d.Fix.Select(SqlWriter.Standalone), f.Fix));
        await FollowAsync(w, d, app, sql, [app, group], "PGR001");
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SchemaUsageGoesToTheGroupThatHoldsTheTables(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var group = await w.RoleAsync("readers", "NOLOGIN");
        await w.SqlAsync($"CREATE SCHEMA \"sales data\"; CREATE TABLE \"sales data\".t (id int); GRANT SELECT ON \"sales data\".t TO {group}; GRANT {group} TO {app}");
        const string sql = "SELECT id FROM \"sales data\".t";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for schema sales data", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        ExplainWorld.Same([$"GRANT USAGE ON SCHEMA \"sales data\" TO {group};"], d.Fix);
        Assert.Contains(d.Alternatives, a => a.Title == $"grant to {app} directly");
        await FollowAsync(w, d, app, sql, [app, group], "PGR002");
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task TablePrivilegeGoesToTheGroupUnlessTheRoleHoldsItsOwn(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var other = await w.RoleAsync("other");
        var group = await w.RoleAsync("writers", "NOLOGIN");
        await w.SqlAsync($"CREATE TABLE items (id int, qty int); GRANT SELECT ON items TO {group}; GRANT {group} TO {app}, {other}; GRANT INSERT ON items TO {other}");
        const string sql = "UPDATE items SET qty = 1 WHERE id = 1";

        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for table items", e.MessageText);
        var d = await w.ExplainAsync(e.MessageText, app, sql);
        ExplainWorld.Same([$"GRANT UPDATE (qty) ON TABLE public.items TO {group};"], d.Fix);
        await w.ApplyAsync(d.Fix);
        await w.SucceedsAsync(app, sql);

        // A role with a grant of its own on the table gets its grant directly, and no alternative.
        await w.SqlAsync($"REVOKE UPDATE ON items FROM {group}");
        var e2 = await w.FailsAsync(other, sql);
        var d2 = await w.ExplainAsync(e2.MessageText, other, sql);
        ExplainWorld.Same([$"GRANT UPDATE (qty) ON TABLE public.items TO {other};"], d2.Fix);
        Assert.DoesNotContain(d2.Alternatives, a => a.Title.StartsWith("grant to", StringComparison.Ordinal));
    }
}

/// <summary>
/// explain with no role named, connected as a superuser (who may do anything): not "nothing to fix" for the
/// superuser, but the login roles that would be denied the statement, and no durable grant to the superuser.
/// </summary>
public sealed class ExplainWithoutRoleTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ConnectedSuperuserListsTheLoginRolesThatWouldHitIt(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app \"x\" ü");
        var holder = await w.RoleAsync("holder");
        var group = await w.RoleAsync("grp", "NOLOGIN");
        await w.SqlAsync($"CREATE TABLE items (id serial PRIMARY KEY, name text); GRANT INSERT ON items TO {SqlNames.Ident(app)}, {group}; " +
                         $"GRANT USAGE ON SEQUENCE items_id_seq TO {holder}; GRANT INSERT ON items TO {holder}");
        const string sql = "INSERT INTO items (name) VALUES ('one')";
        var e = await w.FailsAsync(app, sql);
        await w.SucceedsAsync(holder, sql);

        foreach (var statement in new[] { sql, null })
        {
            await using var session = PgrantSession.Create(NpgsqlDataSource.Create(w.Db.ConnectionString()), ownsDataSource: true);
            var d = (await session.ExplainAsync(PermissionErrorParser.Parse(e.MessageText), role: null, statement)).Diagnosis;
            Assert.True(d.AlreadyAllowed);
            Assert.Contains(app, d.WouldHit);
            Assert.DoesNotContain(holder, d.WouldHit);
            Assert.DoesNotContain(group, d.WouldHit);
            Assert.StartsWith("no role was named, so this was judged for ", d.Cause, StringComparison.Ordinal);
            Assert.Contains("(the connected role, a superuser), which may do it; the error came from another role: ", d.Cause, StringComparison.Ordinal);
            Assert.DoesNotContain(d.DurableFix, s => SqlWriter.Standalone(s).Contains("GRANT", StringComparison.Ordinal));
            Assert.Equal(DiagnosisHint.OtherRole, Assert.Single(d.Hints));
        }
    }
}

/// <summary>--apply follows the server's verdict: a fix the server says still fails is never applied.</summary>
public sealed class ApplyFollowsTheServerTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task AFixTheServerRejectsIsNotApplied(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync("CREATE TABLE t (id int)");
        const string sql = "SELECT id FROM t";
        var e = await w.FailsAsync(app, sql);
        await using var session = PgrantSession.Create(NpgsqlDataSource.Create(w.Db.ConnectionString()), ownsDataSource: true);
        var result = await session.ExplainAsync(PermissionErrorParser.Parse(e.MessageText), app, sql);
        Assert.Equal(ApplyGate.Allowed, result.Gate);

        // The same fix, had the server found the statement still denied with it (the verdict is what gates).
        var rejected = result with { Diagnosis = result.Diagnosis with { Verification = new Verification(VerificationStatus.Failed, "permission denied for table t", [], []) } };
        Assert.Equal(ApplyGate.ServerDisagrees, rejected.Gate);
        var refused = await Assert.ThrowsAsync<PgrantException>(() => session.ApplyFixAsync(rejected, allowBroad: true));
        Assert.Equal("the server still denies the statement with this fix applied, so it was not applied: permission denied for table t", refused.Message);
        Assert.False((bool)(await w.ScalarAsync($"SELECT has_table_privilege({SqlNames.Literal(app)}, 't', 'SELECT')"))!);

        await session.ApplyFixAsync(result);
        await w.SucceedsAsync(app, sql);
    }
}
