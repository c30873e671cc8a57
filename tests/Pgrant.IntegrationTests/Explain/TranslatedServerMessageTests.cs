using System.Diagnostics;
using Pgrant.Core.Diagnosis;
using Xunit.Abstractions;

namespace Pgrant.IntegrationTests.Explain;

/// <summary>
/// Translated server messages, raised by a real server: a role whose lc_messages is set gets its
/// permission errors in that language, and pgrant reads them (the message, psql's output with the
/// translated severity and labels, the server log's excerpt with its translated STATEMENT label).
/// Only the distribution's PostgreSQL 15 is built with translations here (the npm majors are not), so
/// these run on 15; the OS locales come from .ci/run.
/// </summary>
public sealed class TranslatedServerMessageTests(ITestOutputHelper output)
{
    private const int Major = 15;

    /// <summary>Every language PostgreSQL 15 ships a server catalog for here, with the OS locale that selects it.</summary>
    public static readonly TheoryData<string, string> Languages = new()
    {
        { "de", "de_DE.UTF-8" }, { "es", "es_ES.UTF-8" }, { "fr", "fr_FR.UTF-8" }, { "it", "it_IT.UTF-8" },
        { "ja", "ja_JP.UTF-8" }, { "ka", "ka_GE.UTF-8" }, { "ko", "ko_KR.UTF-8" }, { "ru", "ru_RU.UTF-8" },
        { "sv", "sv_SE.UTF-8" }, { "uk", "uk_UA.UTF-8" }, { "zh_CN", "zh_CN.UTF-8" },
    };

    /// <summary>One error the app role makes the server raise, what pgrant must read from it, and the server's English for it.</summary>
    private sealed record Case(string Sql, PermissionErrorKind Kind, string? Word, string Name, string English);

    // Hostile names: spaces, quotes, letters outside ASCII, CJK.
    private const string Table = "Größe \"Tab\" 表";
    private const string Sequence = "o'seq ü";
    private const string Schema = "Schéma x";
    private const string Function = "fn ü";
    private const string Owned = "Rechnung 表";
    private const string Guarded = "Konto ü";

    private static IReadOnlyList<Case> Cases(string tag) =>
    [
        new($"SELECT * FROM {Q(Table)}", PermissionErrorKind.PermissionDenied, "table", Table, $"permission denied for table {Table}"),
        new($"SELECT nextval({L(Q(Sequence))})", PermissionErrorKind.PermissionDenied, "sequence", Sequence, $"permission denied for sequence {Sequence}"),
        new($"SELECT * FROM {Q(Schema)}.t", PermissionErrorKind.PermissionDenied, "schema", Schema, $"permission denied for schema {Schema}"),
        new($"SELECT {Q(Function)}()", PermissionErrorKind.PermissionDenied, "function", Function, $"permission denied for function {Function}"),
        new($"ALTER TABLE {Q(Owned)} ADD COLUMN note text", PermissionErrorKind.MustBeOwner, "table", Owned, $"must be owner of table {Owned}"),
        new($"INSERT INTO {Q(Guarded)} VALUES (1)", PermissionErrorKind.RowLevelSecurity, "table", Guarded, $"new row violates row-level security policy for table \"{Guarded}\""),
        new($"CREATE DATABASE {tag}_db", PermissionErrorKind.RoleAttribute, null, "", "permission denied to create database"),
        new($"CREATE ROLE {tag}_role", PermissionErrorKind.RoleAttribute, null, "", "permission denied to create role"),
        new("SET log_statement = 'all'", PermissionErrorKind.Parameter, "parameter", "log_statement", "permission denied to set parameter \"log_statement\""),
        new($"CREATE SUBSCRIPTION {tag}_sub CONNECTION 'dbname=none' PUBLICATION p", PermissionErrorKind.Superuser, null, "", "must be superuser to create subscriptions"),
        new("CHECKPOINT", PermissionErrorKind.PredefinedRole, null, "", "must be superuser or have privileges of pg_checkpoint to do CHECKPOINT"),
        new($"COPY {Q(Owned)} FROM '/dev/null'", PermissionErrorKind.PredefinedRole, null, "", "must be superuser or have privileges of the pg_read_server_files role to COPY from a file"),
    ];

    private static string Q(string name) => SqlNames.Ident(name);

    private static string L(string text) => SqlNames.Literal(text);

    [Theory, MemberData(nameof(Languages))]
    public async Task Permission_errors_in_the_role_s_language_are_read_with_their_kind_object_and_language(string language, string locale)
    {
        await using var w = await ExplainWorld.CreateAsync(Major);
        var app = await w.RoleAsync("app");
        await w.SqlAsync($"""
            CREATE TABLE {Q(Table)} (id integer);
            CREATE SEQUENCE {Q(Sequence)};
            CREATE SCHEMA {Q(Schema)};
            CREATE TABLE {Q(Schema)}.t (id integer);
            GRANT SELECT ON {Q(Schema)}.t TO {Q(app)};
            CREATE FUNCTION {Q(Function)}() RETURNS integer LANGUAGE sql AS 'SELECT 1';
            REVOKE EXECUTE ON FUNCTION {Q(Function)}() FROM PUBLIC;
            CREATE TABLE {Q(Owned)} (id integer);
            GRANT SELECT ON {Q(Owned)} TO {Q(app)};
            CREATE TABLE {Q(Guarded)} (id integer);
            ALTER TABLE {Q(Guarded)} ENABLE ROW LEVEL SECURITY;
            CREATE POLICY nothing_new ON {Q(Guarded)} USING (true) WITH CHECK (false);
            GRANT SELECT, INSERT ON {Q(Guarded)} TO {Q(app)};
            """);
        // lc_messages is for superusers to set; the role's own setting applies at each of its logins.
        await w.Db.Cluster.ExecuteAsync($"ALTER ROLE {Q(app)} SET lc_messages = {L(locale)}");

        var translated = 0;
        var cases = Cases(app);
        foreach (var c in cases)
        {
            var marker = $"/* {app} {cases.ToList().IndexOf(c)} */";
            var e = await w.FailsAsync(app, $"{c.Sql} {marker}");
            // A catalog may leave a message untranslated: the server then prints the English.
            var expectedLanguage = e.MessageText == c.English ? "en" : language;
            if (expectedLanguage != "en") translated++;

            // The message as a driver hands it over.
            var parsed = PermissionErrorParser.Parse(e.MessageText);
            Assert.True((c.Kind, c.Word, c.Name, expectedLanguage) == (parsed.Kind, parsed.ObjectWord, parsed.ObjectName, parsed.Language),
                $"{language}: {e.MessageText} -> {parsed.Kind} {parsed.ObjectWord} '{parsed.ObjectName}' {parsed.Language}");

            // psql's output: the server's translated severity, libpq's translated labels for the fields after it.
            var psql = await PsqlAsync(w, app, locale, $"{c.Sql} {marker}");
            var fromPsql = PermissionErrorParser.Parse(psql);
            Assert.True((c.Kind, c.Word, c.Name, expectedLanguage, "ERROR") == (fromPsql.Kind, fromPsql.ObjectWord, fromPsql.ObjectName, fromPsql.Language, fromPsql.Severity),
                $"{language}: psql printed\n{psql}\n-> {fromPsql.Kind} {fromPsql.ObjectWord} '{fromPsql.ObjectName}' {fromPsql.Language} {fromPsql.Severity}");
            Assert.StartsWith(e.Severity + ":", psql.TrimStart(), StringComparison.Ordinal);

            // The server log: the severity and the STATEMENT label in the role's language.
            var log = await LogExcerptAsync(w.Db.Cluster, e.MessageText, marker);
            var fromLog = PermissionErrorParser.Parse(log);
            Assert.True((c.Kind, c.Name, expectedLanguage, "ERROR") == (fromLog.Kind, fromLog.ObjectName, fromLog.Language, fromLog.Severity),
                $"{language}: the log said\n{log}\n-> {fromLog.Kind} '{fromLog.ObjectName}' {fromLog.Language} {fromLog.Severity}");
            Assert.True(fromLog.Statement is not null && fromLog.Statement.Contains(marker, StringComparison.Ordinal), $"{language}: no statement read from\n{log}");
            output.WriteLine($"{language} {(expectedLanguage == "en" ? "(English)" : "")} {e.Severity}: {e.MessageText}");
        }
        output.WriteLine($"{language}: {translated} of {cases.Count} errors in {language}, all read");
        // The role's language reached the server: most messages came back translated.
        Assert.True(translated >= cases.Count - 2, $"{language}: only {translated} of {cases.Count} messages were translated; is the locale {locale} installed (.ci/run)?");
    }

    [Fact]
    public async Task A_message_in_a_language_pgrant_has_no_catalog_for_is_bad_input()
    {
        // Polish: PostgreSQL translated it once; no catalog of it is installed, so pgrant does not guess.
        var run = await CliProcess.PgrantAsync(null, ["explain", "BŁĄD:  brak uprawnień do tabeli zamówienia"]);
        Assert.Equal(2, run.Exit);
        Assert.Equal("", run.Out);
        Assert.StartsWith("pgrant: no PostgreSQL permission error found", run.Err, StringComparison.Ordinal);
    }

    /// <summary>What psql prints on stderr for <paramref name="sql"/> run as <paramref name="role"/> in <paramref name="locale"/>.</summary>
    private static async Task<string> PsqlAsync(ExplainWorld w, string role, string locale, string sql)
    {
        var cluster = w.Db.Cluster;
        var start = new ProcessStartInfo(cluster.Binaries.Psql ?? "psql") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-X", "-q", "-h", cluster.Host, "-p", $"{cluster.Port}", "-U", role, "-d", w.Db.Name, "-c", sql])
            start.ArgumentList.Add(a);
        start.Environment["PGPASSWORD"] = w.Password;
        start.Environment["LC_ALL"] = locale;
        start.Environment.Remove("LANGUAGE");
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.NotEqual(0, p.ExitCode);
        return await err;
    }

    /// <summary>The server log's lines from the error message to the STATEMENT line holding <paramref name="marker"/>.</summary>
    private static async Task<string> LogExcerptAsync(LocalCluster cluster, string message, string marker)
    {
        var first = message.Split('\n')[0];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            string[] lines;
            await using (var stream = new FileStream(cluster.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var reader = new StreamReader(stream))
                lines = (await reader.ReadToEndAsync()).Split('\n');
            var at = Array.FindLastIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
            var start = at < 0 ? -1 : Array.FindLastIndex(lines, at, l => l.Contains(first, StringComparison.Ordinal));
            if (start >= 0) return string.Join("\n", lines[start..(at + 1)]);
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"no log line with {marker} after '{first}' in {cluster.LogFile}");
    }
}
