using Pgrant.Core;
using Pgrant.Core.Diagnosis;

namespace Pgrant.Core.Tests.Diagnosis;

public sealed class PermissionErrorParserTests
{
    [Fact]
    public void Finds_the_message_in_node_postgres_output_from_the_seed()
    {
        var e = PermissionErrorParser.Parse("{ error: permission denied for sequence descriptions_id_seq ...}");
        Assert.Equal(PermissionErrorKind.PermissionDenied, e.Kind);
        Assert.Equal("sequence", e.ObjectWord);
        Assert.Equal(ObjectKind.Sequence, e.ObjectKind);
        Assert.Equal("descriptions_id_seq", e.ObjectName);
        Assert.Equal("permission denied for sequence descriptions_id_seq", e.Message);
    }

    [Fact]
    public void Finds_the_message_in_a_full_node_postgres_error_dump()
    {
        const string dump = """
            There was an error! --> { error: permission denied for sequence descriptions_id_seq
                at Connection.parseE (/app/node_modules/pg/lib/connection.js:553:11)
              name: 'error',
              length: 116,
              severity: 'ERROR',
              code: '42501' }
            """;
        var e = PermissionErrorParser.Parse(dump);
        Assert.Equal("descriptions_id_seq", e.ObjectName);
    }

    [Theory]
    [InlineData("ERROR:  permission denied for table descriptions", "table", "descriptions", "ERROR")]
    [InlineData("psql:script.sql:3: ERROR:  permission denied for view v_orders", "view", "v_orders", "ERROR")]
    [InlineData("ERROR:  42501: permission denied for materialized view mv", "materialized view", "mv", "ERROR")]
    [InlineData("permission denied for foreign table remote_things", "foreign table", "remote_things", null)]
    [InlineData("ERROR:  permission denied for schema app", "schema", "app", "ERROR")]
    [InlineData("ERROR:  permission denied for function do_it", "function", "do_it", "ERROR")]
    [InlineData("ERROR:  permission denied for procedure archive_all", "procedure", "archive_all", "ERROR")]
    [InlineData("ERROR:  permission denied for database sdc", "database", "sdc", "ERROR")]
    [InlineData("ERROR:  permission denied for type mood", "type", "mood", "ERROR")]
    [InlineData("42501: permission denied for table my table", "table", "my table", null)]
    public void Reads_permission_denied_for_each_object_word(string text, string word, string name, string? severity)
    {
        var e = PermissionErrorParser.Parse(text);
        Assert.Equal(PermissionErrorKind.PermissionDenied, e.Kind);
        Assert.Equal(word, e.ObjectWord);
        Assert.Equal(name, e.ObjectName);
        Assert.Equal(severity, e.Severity);
    }

    [Fact]
    public void Reads_must_be_owner()
    {
        var e = PermissionErrorParser.Parse("ERROR:  must be owner of table descriptions");
        Assert.Equal(PermissionErrorKind.MustBeOwner, e.Kind);
        Assert.Equal("table", e.ObjectWord);
        Assert.Equal("descriptions", e.ObjectName);
    }

    [Fact]
    public void Reads_the_fatal_connect_form_with_its_detail()
    {
        var e = PermissionErrorParser.Parse("""
            psql: error: connection to server at "127.0.0.1", port 5432 failed: FATAL:  permission denied for database "sdc"
            DETAIL:  User does not have CONNECT privilege.
            """);
        Assert.Equal(PermissionErrorKind.DatabaseConnect, e.Kind);
        Assert.Equal("sdc", e.ObjectName);
        Assert.Equal("FATAL", e.Severity);
        Assert.Equal("User does not have CONNECT privilege.", e.Detail);
    }

    [Fact]
    public void Reads_temporary_tables()
    {
        var e = PermissionErrorParser.Parse("ERROR:  permission denied to create temporary tables in database \"app\"");
        Assert.Equal(PermissionErrorKind.TemporaryTables, e.Kind);
        Assert.Equal("app", e.ObjectName);
    }

    [Theory]
    [InlineData("ERROR:  permission denied to set role \"owner_role\"", PermissionErrorKind.SetRole)]
    [InlineData("ERROR:  must be able to SET ROLE \"owner_role\"", PermissionErrorKind.SetRole)]
    [InlineData("ERROR:  must be member of role \"owner_role\"", PermissionErrorKind.MemberOfRole)]
    public void Reads_role_forms_of_every_version(string text, PermissionErrorKind kind)
    {
        var e = PermissionErrorParser.Parse(text);
        Assert.Equal(kind, e.Kind);
        Assert.Equal("owner_role", e.ObjectName);
    }

    [Fact]
    public void Reads_row_level_security()
    {
        var e = PermissionErrorParser.Parse("ERROR:  new row violates row-level security policy for table \"docs\"");
        Assert.Equal(PermissionErrorKind.RowLevelSecurity, e.Kind);
        Assert.Equal("docs", e.ObjectName);
    }

    [Fact]
    public void Takes_the_statement_from_a_server_log_excerpt()
    {
        const string log = """
            2024-05-01 10:00:00.123 UTC [4711] sdc@sdc ERROR:  permission denied for sequence descriptions_id_seq
            2024-05-01 10:00:00.123 UTC [4711] sdc@sdc STATEMENT:  INSERT INTO descriptions (product_id, product_name, features, tech_specs) VALUES ($1, $2, $3, $4) RETURNING *
            """;
        var e = PermissionErrorParser.Parse(log);
        Assert.Equal("descriptions_id_seq", e.ObjectName);
        Assert.Equal("ERROR", e.Severity);
        Assert.Equal("INSERT INTO descriptions (product_id, product_name, features, tech_specs) VALUES ($1, $2, $3, $4) RETURNING *", e.Statement);
    }

    [Fact]
    public void Text_without_a_permission_error_is_a_clear_usage_error()
    {
        var ex = Assert.Throws<PgrantException>(() => PermissionErrorParser.Parse("relation \"x\" does not exist"));
        Assert.Equal(typeof(PgrantException), ex.GetType()); // bad input: exit 2 in the CLI
        Assert.Contains("no PostgreSQL permission error", ex.Message);
    }
}

/// <summary>Input that is not a readable permission error: one clear refusal each, and big pastes read fast.</summary>
public sealed class PermissionErrorParserBadInputTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData("", "the message is empty")]
    [InlineData(" \n\t", "the message is empty")]
    [InlineData("ab\0cd", "the message is not text (it holds NUL bytes)")]
    [InlineData("relation \"x\" does not exist", "no PostgreSQL permission error found in the message")]
    [InlineData("VIRHE:  oikeus evätty tauluun t", "no PostgreSQL permission error found; the server message seems to be in a language pgrant does not read (\"VIRHE:\")")]
    [InlineData("psql:s.sql:1: BŁĄD:  odmowa dostępu do tabeli t", "no PostgreSQL permission error found; the server message seems to be in a language pgrant does not read (\"BŁĄD:\")")]
    // Chinese is read (PostgreSQL ships its catalog): a bare "permission denied" names nothing to explain.
    [InlineData("psql:s.sql:1: 错误:  权限不够", "no PostgreSQL permission error found in the message")]
    [InlineData("Status:  500 Error:  boom", "no PostgreSQL permission error found in the message")]
    public void Refuses_with_one_clear_message(string text, string message)
    {
        var e = Assert.Throws<PgrantException>(() => PermissionErrorParser.Parse(text));
        Assert.Equal(message, e.Message);
        Assert.False(string.IsNullOrEmpty(e.Hint));
    }

    [Fact]
    public void A_name_longer_than_63_bytes_is_refused_and_echoed_short()
    {
        var e = Assert.Throws<PgrantException>(() => PermissionErrorParser.Parse("ERROR:  permission denied for sequence " + new string('s', 64)));
        Assert.Equal($"the name in the message is longer than the 63 bytes PostgreSQL prints: \"{new string('s', 40)}…\"", e.Message);
        Assert.Null(PermissionErrorParser.TryParse("ERROR:  permission denied for sequence " + new string('s', 64)));
        Assert.Equal(new string('s', 63), PermissionErrorParser.Parse("ERROR:  permission denied for sequence " + new string('s', 63)).ObjectName);
    }

    public static TheoryData<string, bool> Megabytes() => new()
    {
        { "log lines without an error", false },
        { "log lines with an error near the end", true },
        { "one line without a line break", false },
        { "near misses on every line", false },
    };

    [Theory]
    [MemberData(nameof(Megabytes))]
    public void A_megabyte_is_read_quickly(string shape, bool hasError)
    {
        var text = shape switch
        {
            "log lines without an error" => Lines(i => $"2024-05-01 10:00:00.123 UTC [4711] app@shop LOG:  duration: 0.{i % 97} ms  statement: SELECT id FROM products WHERE id = {i}"),
            "log lines with an error near the end" => Lines(i => i == 5000
                ? "2024-05-01 10:00:01 UTC [4711] app@shop ERROR:  permission denied for table orders_archive\n2024-05-01 10:00:01 UTC [4711] app@shop STATEMENT:  SELECT 1"
                : $"2024-05-01 10:00:00.123 UTC [4711] app@shop LOG:  statement: SELECT id FROM products WHERE id = {i}"),
            "one line without a line break" => string.Concat(Enumerable.Repeat("permission denied for \"x\\\" must be owner of ", 25_000)),
            _ => Lines(i => $"ERROR:  permission denied to set rol \"r{i}\" must be owner of nothing \\\"x\\\" &quot; permission denied for tables"),
        };
        Assert.True(text.Length >= 1_000_000);
        PermissionErrorParser.TryParse("permission denied for table warm_up");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var e = PermissionErrorParser.TryParse(text);
        clock.Stop();
        output.WriteLine($"{shape}: {text.Length:N0} characters read in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(hasError, e is not null);
        if (hasError) Assert.Equal(("orders_archive", "SELECT 1"), (e!.ObjectName, e.Statement));
        // Measured 0.06–0.3 s for log-shaped pastes and 2–3 s for a near miss on every line in four layers of
        // escaping (2 shared cores, tests in parallel); the bounds catch a reader that grows faster than the paste.
        var bound = shape == "near misses on every line" ? TimeSpan.FromSeconds(15) : TimeSpan.FromSeconds(3);
        Assert.True(clock.Elapsed < bound, $"{shape}: {clock.Elapsed}");
    }

    private static string Lines(Func<int, string> line)
    {
        var b = new System.Text.StringBuilder();
        for (var i = 0; b.Length < 1_000_000; i++) b.Append(line(i)).Append('\n');
        return b.ToString();
    }
}
