using Pgrant.Core.Diagnosis;
using Pgrant.Npgsql;

namespace Pgrant.IntegrationTests.Library;

/// <summary>
/// <c>dataSource.DiagnoseAsync(exception)</c> on real servers: the classic sequence story's own 42501, diagnosed
/// with the application's data source (its role is the one that hit it), fixed, and diagnosed again; the
/// statement taken from the exception; and the fallbacks that keep it from ever throwing for a permission error.
/// </summary>
public sealed class DiagnoseTests
{
    private const string UsageWhy = "nextval() needs USAGE or UPDATE on the sequence; USAGE is the least";

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task The_classic_insert_gets_the_usage_fix_and_after_it_is_already_allowed(int major)
    {
        await using var w = await ClassicWorld.CreateAsync(major);
        var e = await w.InsertFailsAsync();
        Assert.Equal("permission denied for sequence descriptions_id_seq", e.MessageText);

        var d = await w.AppSource.DiagnoseAsync(e);
        Assert.NotNull(d);
        Assert.True(d.IsExact);
        Assert.Null(d.Limitation);
        Assert.Null(d.Failure);
        Assert.Equal(w.App, d.Diagnosis.Role);
        var missing = Assert.Single(d.Diagnosis.Missing);
        Assert.Equal(("USAGE", "sequence", ClassicWorld.Sequence, UsageWhy), (missing.Name, missing.KindWord, missing.Object, missing.Reason));
        Assert.Equal($"GRANT USAGE ON SEQUENCE {ClassicWorld.Sequence} TO {w.App};", d.FixSql);
        Assert.Equal(d.Diagnosis.Fix, d.Fix);

        // The report the CLI prints, as plain text.
        var text = d.ToText();
        Assert.Equal(text, d.ToString());
        var lines = text.Split('\n');
        Assert.Equal("permission denied for sequence descriptions_id_seq", lines[0]);
        Assert.Equal($"role      {w.App}", lines[1]);
        Assert.Equal("object    sequence public.descriptions_id_seq", lines[2]);
        Assert.Equal("tried to  insert a row into public.descriptions, whose column id takes its default from nextval('public.descriptions_id_seq')", lines[3]);
        Assert.Equal($"missing   USAGE on sequence public.descriptions_id_seq ({UsageWhy})", lines[4]);
        Assert.Equal($"cause     the column default of public.descriptions.id calls nextval('public.descriptions_id_seq'); {w.App} holds arwdDxt{(major >= 17 ? "m" : "")} on the table but nothing on the sequence; table grants never reach sequences.", lines[5]);
        Assert.Equal("fix (least privilege)", lines[6]);
        Assert.Equal($"  GRANT USAGE ON SEQUENCE public.descriptions_id_seq TO {w.App};", lines[7]);
        Assert.DoesNotContain(w.Password, text);

        // The fix, applied by a DBA through the session, lets the application insert; the same error diagnosed again says so.
        await w.ApplyAsync(d.Fix);
        Assert.Null(await w.InsertAsync(productId: 2));
        var again = await w.AppSource.DiagnoseAsync(e);
        Assert.NotNull(again);
        Assert.True(again.IsExact);
        Assert.True(again.Diagnosis.AlreadyAllowed, again.Diagnosis.Cause);
        Assert.Empty(again.Diagnosis.Missing);
        Assert.Empty(again.Fix);
        Assert.Equal("", again.FixSql);
        Assert.Equal(DiagnosisHint.OtherRole, Assert.Single(again.Diagnosis.Hints));
        var againLines = again.ToText().Split('\n');
        Assert.Contains("hint      if another role hit the error, diagnose it with a data source that connects as that role", againLines);
        Assert.Contains("The role holds what it needs now; nothing to fix.", againLines);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task The_statement_comes_from_the_exception_or_the_caller(int major)
    {
        await using var w = await ClassicWorld.CreateAsync(major);
        // Without SELECT, RETURNING * fails before the sequence is reached: only the statement says what else it needs.
        await w.SqlAsync($"REVOKE SELECT ON descriptions FROM {w.App}");
        var expected = $"GRANT USAGE ON SEQUENCE public.descriptions_id_seq TO {w.App};\nGRANT SELECT ON TABLE public.descriptions TO {w.App};";

        // Npgsql carries the failed statement of a batch when the connection string asks for it.
        await using var batch = w.AppDataSource(includeFailedStatement: true).CreateBatch();
        var command = new NpgsqlBatchCommand(Demo.SequenceStory.InsertSql);
        foreach (var value in (object[])[1, "Widget 1", "sturdy, blue", "10 cm"]) command.Parameters.Add(new NpgsqlParameter { Value = value });
        batch.BatchCommands.Add(command);
        var carried = await Assert.ThrowsAsync<PostgresException>(() => batch.ExecuteNonQueryAsync());
        Assert.Equal("permission denied for table descriptions", carried.MessageText);
        Assert.Equal(Demo.SequenceStory.InsertSql, carried.BatchCommand?.CommandText);
        var fromException = await w.AppSource.DiagnoseAsync(carried);
        Assert.NotNull(fromException);
        Assert.Equal(Demo.SequenceStory.InsertSql, fromException.Error.Statement);
        Assert.Equal(expected, fromException.FixSql);

        // A single command's exception carries no statement text (Npgsql 10 leaves it empty even when asked): the
        // message alone cannot name the privilege, and the hint says how to give it.
        var bare = await w.InsertFailsAsync(w.AppDataSource(includeFailedStatement: true));
        Assert.Equal("", bare.BatchCommand?.CommandText ?? "");
        var fromMessage = await w.AppSource.DiagnoseAsync(bare);
        Assert.NotNull(fromMessage);
        Assert.Empty(fromMessage.Fix);
        Assert.Equal(DiagnosisHint.Statement, Assert.Single(fromMessage.Diagnosis.Hints));
        Assert.Contains("hint      pass the failing statement to DiagnoseAsync for the exact privileges it needs",
            fromMessage.ToText().Split('\n'));

        var given = await w.AppSource.DiagnoseAsync(bare, Demo.SequenceStory.InsertSql);
        Assert.NotNull(given);
        Assert.Equal(expected, given.FixSql);

        await w.ApplyAsync(given.Fix);
        Assert.Null(await w.InsertAsync());
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Other_server_errors_are_not_diagnosed(int major)
    {
        await using var w = await ClassicWorld.CreateAsync(major);
        var syntax = await ClassicWorld.RunAsync(w.AppSource, "INSERT INTO descriptions VALUS (1)");
        Assert.NotNull(syntax);
        Assert.Equal(PostgresErrorCodes.SyntaxError, syntax.SqlState);
        Assert.Null(await w.AppSource.DiagnoseAsync(syntax));

        var missingTable = await ClassicWorld.RunAsync(w.AppSource, "SELECT * FROM no_such_table");
        Assert.NotNull(missingTable);
        Assert.Equal(PostgresErrorCodes.UndefinedTable, missingTable.SqlState);
        Assert.Null(await w.AppSource.DiagnoseAsync(missingTable));
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task An_unreachable_server_falls_back_to_the_message_without_the_password(int major)
    {
        await using var w = await ClassicWorld.CreateAsync(major);
        var e = await w.InsertFailsAsync();
        var unreachable = w.UnreachableSource(out var port);

        var d = await unreachable.DiagnoseAsync(e, Demo.SequenceStory.InsertSql);
        Assert.NotNull(d);
        Assert.False(d.IsExact);
        Assert.Null(d.Result);
        Assert.IsAssignableFrom<NpgsqlException>(d.Failure);
        Assert.Equal($"Failed to connect to 127.0.0.1:{port} (Connection refused)", d.Limitation);
        Assert.Empty(d.Fix);
        Assert.Equal(w.App, d.Diagnosis.Role);
        Assert.Equal(
            "from the message alone: it most likely needs USAGE on the sequence (nextval(), e.g. a serial column's default, needs USAGE or UPDATE; " +
            "table grants never reach sequences) (sequence descriptions_id_seq).", d.Diagnosis.Cause);
        var text = d.ToText();
        Assert.Equal(
            "permission denied for sequence descriptions_id_seq\n" +
            $"role      {w.App}\n" +
            "cause     from the message alone: it most likely needs USAGE on the sequence (nextval(), e.g. a serial column's default, needs USAGE or UPDATE; " +
            "table grants never reach sequences) (sequence descriptions_id_seq).\n" +
            $"note: The catalog could not be read, so there is no exact fix: Failed to connect to 127.0.0.1:{port} (Connection refused)\n", text);
        Assert.DoesNotContain(w.Password, text);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_role_that_may_not_connect_still_gets_what_the_message_says(int major)
    {
        await using var w = await ClassicWorld.CreateAsync(major);
        await w.SqlAsync($"REVOKE CONNECT ON DATABASE {w.Db.Name} FROM PUBLIC, {w.App}");
        var e = await w.InsertFailsAsync();
        Assert.Equal($"permission denied for database \"{w.Db.Name}\"", e.MessageText);

        // Reading the catalog needs the same connection that was just refused.
        var d = await w.AppSource.DiagnoseAsync(e);
        Assert.NotNull(d);
        Assert.False(d.IsExact);
        Assert.Equal(PermissionErrorKind.DatabaseConnect, d.Error.Kind);
        Assert.Equal("FATAL", d.Error.Severity);
        Assert.Equal($"permission denied for database \"{w.Db.Name}\"", d.Limitation);
        Assert.Equal($"from the message alone: it most likely needs CONNECT on the database (database {w.Db.Name}).", d.Diagnosis.Cause);
        Assert.Empty(d.Fix);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_permission_error_pgrant_does_not_recognise_is_repeated_not_guessed(int major)
    {
        await using var w = await ClassicWorld.CreateAsync(major);
        // The owner of a table still may not disable the foreign key's internal triggers: a 42501 no catalog form describes.
        await w.SqlAsync($"CREATE TABLE parent (id integer PRIMARY KEY); CREATE TABLE child (p integer REFERENCES parent); ALTER TABLE parent OWNER TO {SqlNames.Ident(w.App)}");
        var trigger = (string)(await w.ScalarAsync("SELECT tgname::text FROM pg_trigger WHERE tgrelid = 'parent'::regclass ORDER BY tgname LIMIT 1"))!;
        var e = await ClassicWorld.RunAsync(w.AppSource, $"ALTER TABLE parent DISABLE TRIGGER {SqlNames.Ident(trigger)}");
        Assert.NotNull(e);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        var message = $"permission denied: \"{trigger}\" is a system trigger";
        Assert.Equal(message, e.MessageText);

        var d = await w.AppSource.DiagnoseAsync(e);
        Assert.NotNull(d);
        Assert.False(d.IsExact);
        Assert.Equal("pgrant does not recognise this message", d.Limitation);
        Assert.Empty(d.Fix);
        Assert.Equal(
            message + "\n" +
            $"role      {w.App}\n" +
            "cause     pgrant does not recognise this permission error, so it cannot name the missing privilege; the server says: " + message + "\n",
            d.ToText());
    }
}
