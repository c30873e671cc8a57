using Pgrant.Core.Diagnosis;
using Pgrant.Postgres;

namespace Pgrant.IntegrationTests.Explain;

/// <summary>
/// An error raised inside a routine body (CONTEXT: the inner SQL statement, the PL/pgSQL function): the diagnosis
/// names the routine and the role its body runs as — the owner for SECURITY DEFINER, the caller for SECURITY
/// INVOKER — and the fix goes to that role. The server proves it: with the fix the outer call passes.
/// </summary>
public sealed class ExplainContextTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task ADefinerBodyIsFixedForItsOwnerAnInvokerBodyForTheCaller(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        var owner = await w.RoleAsync("fn \"owner\"", "NOLOGIN");
        string A = SqlNames.Ident(app), O = SqlNames.Ident(owner);
        await w.SqlAsync($"""
            CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO {A}, {O};
            CREATE TABLE app.secret_log (id bigint GENERATED ALWAYS AS IDENTITY, note text);
            CREATE FUNCTION app.record(n text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
            BEGIN
              INSERT INTO app.secret_log (note) VALUES (n);
            END $$;
            ALTER FUNCTION app.record(text) OWNER TO {O};
            CREATE FUNCTION app.record_as_me(n text) RETURNS void LANGUAGE plpgsql SECURITY INVOKER AS $$
            BEGIN
              INSERT INTO app.secret_log (note) VALUES (n);
            END $$;
            GRANT EXECUTE ON FUNCTION app.record(text), app.record_as_me(text) TO {A};
            """);

        foreach (var (function, runsAs, definer) in new[] { ("app.record", owner, true), ("app.record_as_me", app, false) })
        {
            var sql = $"SELECT {function}('x')";
            var e = await w.FailsAsync(app, sql);
            Assert.Equal("permission denied for table secret_log", e.MessageText);
            var error = PermissionErrorParser.Parse(e.MessageText) with { Context = [.. e.Where!.Split('\n')] };
            Assert.Contains($"PL/pgSQL function {function}(text) line 3 at SQL statement", e.Where, StringComparison.Ordinal);

            await using var session = PgrantSession.Create(NpgsqlDataSource.Create(w.Db.ConnectionString()), ownsDataSource: true);
            var d = (await session.ExplainAsync(error, app, sql)).Diagnosis;
            Assert.Contains($"The error itself was raised inside {function} (CONTEXT), whose statements run as {runsAs}", d.Cause, StringComparison.Ordinal);
            ExplainWorld.Same([$"GRANT INSERT (note) ON TABLE app.secret_log TO {SqlNames.Ident(runsAs)};"], d.Fix);
            Assert.Contains(d.Missing, m => m.Name == "INSERT" && m.Object.StartsWith("app.secret_log", StringComparison.Ordinal));
            await w.ApplyAsync(d.Fix);
            await w.SucceedsAsync(app, sql);
            if (definer) await w.SqlAsync($"REVOKE INSERT ON app.secret_log FROM {O}");
        }
    }
}
