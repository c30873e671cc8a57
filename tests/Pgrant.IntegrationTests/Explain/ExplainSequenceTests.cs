namespace Pgrant.IntegrationTests.Explain;

/// <summary>"permission denied for sequence …": nextval (serial defaults), setval and currval each need their own privilege.</summary>
public sealed class ExplainSequenceTests
{
    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SerialDefaultNeedsUsageNeverAll(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE items (id serial PRIMARY KEY, name text); GRANT INSERT ON items TO {app}");
        const string sql = "INSERT INTO items (name) VALUES ('one')";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for sequence items_id_seq", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal("sequence", d.KindWord);
        Assert.Equal("public.items_id_seq", d.Object);
        var missing = Assert.Single(d.Missing);
        Assert.Equal(("USAGE", "sequence", "public.items_id_seq"), (missing.Name, missing.KindWord, missing.Object));
        ExplainWorld.Same([$"GRANT USAGE ON SEQUENCE public.items_id_seq TO {app};"], d.Fix);
        Assert.Equal($"the column default of public.items.id calls nextval('public.items_id_seq'); {app} holds a on the table but nothing on the sequence; table grants never reach sequences.", d.Cause);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task SetvalNeedsUpdate(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE SEQUENCE counter; GRANT USAGE, SELECT ON SEQUENCE counter TO {app}");
        const string sql = "SELECT setval('counter', 42)";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal("permission denied for sequence counter", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        var missing = Assert.Single(d.Missing);
        Assert.Equal(("UPDATE", "public.counter"), (missing.Name, missing.Object));
        ExplainWorld.Same([$"GRANT UPDATE ON SEQUENCE public.counter TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CurrvalNeedsSelect(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        // UPDATE allows nextval() but not currval().
        await w.SqlAsync($"CREATE SEQUENCE counter; GRANT UPDATE ON SEQUENCE counter TO {app}");
        const string preamble = "SELECT nextval('counter')";
        const string sql = "SELECT currval('counter')";
        var e = await w.FailsAsync(app, sql, preamble);
        Assert.Equal("permission denied for sequence counter", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        var missing = Assert.Single(d.Missing);
        Assert.Equal(("SELECT", "public.counter"), (missing.Name, missing.Object));
        ExplainWorld.Same([$"GRANT SELECT ON SEQUENCE public.counter TO {app};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql, preamble);
    }

    [Theory, MemberData(nameof(ExplainTableTests.HostileTables), MemberType = typeof(ExplainTableTests))]
    public async Task HostileSerialSequenceNames(int major, string table)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("ap p\"ü");
        var q = SqlNames.Ident(table);
        await w.SqlAsync($"CREATE TABLE {q} (\"the id\" serial, \"select\" text); GRANT INSERT ON {q} TO {SqlNames.Ident(app)}");
        var sequence = (string)(await w.ScalarAsync($"SELECT s.relname::text FROM pg_class s WHERE s.oid = pg_get_serial_sequence({SqlNames.Literal("public." + q)}, 'the id')::regclass"))!;
        var sql = $"INSERT INTO {q} (\"select\") VALUES ('x')";
        var e = await w.FailsAsync(app, sql);
        Assert.Equal($"permission denied for sequence {sequence}", e.MessageText);

        var d = await w.ExplainAsync(e.MessageText, app, sql);
        Assert.Equal($"public.{SqlNames.Ident(sequence)}", d.Object);
        ExplainWorld.Same([$"GRANT USAGE ON SEQUENCE public.{SqlNames.Ident(sequence)} TO {SqlNames.Ident(app)};"], d.Fix);
        await w.ProveFixAsync(d, e.MessageText, app, sql, sql);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task NodePostgresDumpAndServerLogExcerpt(int major)
    {
        await using var w = await ExplainWorld.CreateAsync(major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"CREATE TABLE descriptions (id serial PRIMARY KEY, product_id integer, product_name text); GRANT ALL ON descriptions TO {app}");
        var sql = $"INSERT INTO descriptions (product_id, product_name) VALUES (7, '{w.Db.Name}') RETURNING *";
        var e = await w.FailsAsync(app, sql);
        var fix = $"GRANT USAGE ON SEQUENCE public.descriptions_id_seq TO {app};";

        // The node-postgres client's console dump, as the seed shows it.
        var dump = $"There was an error! --> {{ error: {e.MessageText}\n    at Connection.parseE (/app/node_modules/pg/lib/connection.js:553:11)\n  severity: 'ERROR',\n  code: '42501' }}";
        var fromDump = await w.ExplainAsync(dump, app);
        ExplainWorld.Same([fix], fromDump.Fix);

        // The server's own log: the ERROR line followed by its STATEMENT line, which carries the statement.
        var excerpt = await ServerLog.ExcerptAsync(w.Db.Cluster, w.Db.Name);
        Assert.Contains("ERROR:  " + e.MessageText, excerpt);
        Assert.Contains("STATEMENT:  " + sql, excerpt);
        var fromLog = await w.ExplainAsync(excerpt, app);
        ExplainWorld.Same([fix], fromLog.Fix);
        Assert.Equal($"insert a row into public.descriptions, whose column id takes its default from nextval('public.descriptions_id_seq')", fromLog.Attempted);
        await w.ProveFixAsync(fromLog, excerpt, app, sql);
    }
}
