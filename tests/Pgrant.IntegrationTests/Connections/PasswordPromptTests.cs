using System.Globalization;
using Pgrant.Postgres.Connections;

namespace Pgrant.IntegrationTests.Connections;

/// <summary>psql's prompt policy (-W, -w, and asking once when the server wants a password) against a scram-sha-256 server.</summary>
[Collection(ConnectionServerCollection.Name)]
public sealed class PasswordPromptTests(ConnectionServerFixture fixture) : TempFolderTests("pgrant-prompt-")
{

    /// <summary>Answers every question with the same text (null: cannot ask) and remembers the questions.</summary>
    private sealed class FakePrompt(string? answer) : IPasswordPrompt
    {
        public List<string> Asked { get; } = [];

        public ValueTask<string?> ReadPasswordAsync(string prompt, CancellationToken ct)
        {
            Asked.Add(prompt);
            return ValueTask.FromResult(answer);
        }
    }

    private async Task<ConnectionOptions> Options(int major, PasswordPromptMode mode, Dictionary<string, string>? variables = null, string? database = null)
    {
        var server = await fixture.ServerAsync(major);
        return ConnectionResolver.Resolve(
            new ConnectionRequest
            {
                Host = server.Host, Port = server.Port.ToString(CultureInfo.InvariantCulture), User = "sdc", Database = database ?? "sdc",
                PasswordPrompt = mode,
            },
            new StaticConnectionEnvironment(variables, Root.FullName, "nobody-here")).Options;
    }

    private static async Task<string> CurrentUser(PgConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT current_user", connection.Connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Auto_asks_once_when_the_server_wants_a_password_and_connects_with_it(int major)
    {
        var prompt = new FakePrompt(Password);
        await using var connection = await PgConnector.ConnectAsync(await Options(major, PasswordPromptMode.Auto), prompt, CancellationToken.None);
        Assert.Equal(["Password for user sdc: "], prompt.Asked);
        Assert.Equal("sdc", await CurrentUser(connection));
        Assert.Equal((Password, PasswordSource.Prompt), (connection.Options.Password, connection.Options.PasswordSource));
        // The typed password serves further connections without asking again.
        await using var again = await PgConnector.OpenAsync(connection.Source, connection.Options, CancellationToken.None);
        Assert.Single(prompt.Asked);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Never_does_not_ask_and_fails_with_the_no_password_error(int major)
    {
        var prompt = new FakePrompt(Password);
        var options = await Options(major, PasswordPromptMode.Never);
        var e = await Assert.ThrowsAsync<ConnectionFailedException>(() => PgConnector.ConnectAsync(options, prompt, CancellationToken.None));
        Assert.Empty(prompt.Asked);
        Assert.Equal(ConnectionFailure.NoPassword, e.Failure);
        Assert.Equal($"the server at 127.0.0.1:{options.Port} requires a password for user \"sdc\" but none was supplied", e.Message);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Always_asks_before_connecting_even_when_a_password_is_known(int major)
    {
        var prompt = new FakePrompt(Password);
        var options = await Options(major, PasswordPromptMode.Always, new() { ["PGPASSWORD"] = "Not-The-Password" });
        await using var connection = await PgConnector.ConnectAsync(options, prompt, CancellationToken.None);
        Assert.Equal(["Password for user sdc: "], prompt.Asked);
        Assert.Equal(PasswordSource.Prompt, connection.Options.PasswordSource);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_wrong_typed_password_is_asked_once_and_fails_as_a_bad_password(int major)
    {
        var prompt = new FakePrompt("Not-The-Password");
        var options = await Options(major, PasswordPromptMode.Auto);
        var e = await Assert.ThrowsAsync<ConnectionFailedException>(() => PgConnector.ConnectAsync(options, prompt, CancellationToken.None));
        Assert.Single(prompt.Asked);
        Assert.Equal(ConnectionFailure.BadPassword, e.Failure);
        Assert.Equal("the password typed at the prompt was rejected; check it and try again.", e.Hint);
        Assert.DoesNotContain("Not-The-Password", e.Message + e.Hint);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_supplied_but_wrong_password_is_not_a_reason_to_ask(int major)
    {
        var prompt = new FakePrompt(Password);
        var options = await Options(major, PasswordPromptMode.Auto, new() { ["PGPASSWORD"] = "Not-The-Password" });
        var e = await Assert.ThrowsAsync<ConnectionFailedException>(() => PgConnector.ConnectAsync(options, prompt, CancellationToken.None));
        Assert.Empty(prompt.Asked);
        Assert.Equal(ConnectionFailure.BadPassword, e.Failure);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_prompt_that_cannot_ask_leaves_the_no_password_error(int major)
    {
        var prompt = new FakePrompt(null);
        var e = await Assert.ThrowsAsync<ConnectionFailedException>(async () =>
            await PgConnector.ConnectAsync(await Options(major, PasswordPromptMode.Auto), prompt, CancellationToken.None));
        Assert.Single(prompt.Asked);
        Assert.Equal(ConnectionFailure.NoPassword, e.Failure);
        var always = await Assert.ThrowsAsync<PgrantException>(async () =>
            await PgConnector.ConnectAsync(await Options(major, PasswordPromptMode.Always), null, CancellationToken.None));
        Assert.Equal("cannot ask for a password here", always.Message);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_password_in_the_connection_string_still_wins_over_the_typed_one_as_in_psql(int major)
    {
        var server = await fixture.ServerAsync(major);
        var quoted = Password.Replace("\\", "\\\\").Replace("'", "\\'");
        var prompt = new FakePrompt("typed-but-unused");
        var options = await Options(major, PasswordPromptMode.Always, database: $"dbname=sdc password='{quoted}' port={server.Port}");
        await using var connection = await PgConnector.ConnectAsync(options, prompt, CancellationToken.None);
        Assert.Single(prompt.Asked);
        Assert.Equal(PasswordSource.Explicit, connection.Options.PasswordSource);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task A_data_source_made_from_the_options_opens_connections_without_type_loading(int major)
    {
        var options = await Options(major, PasswordPromptMode.Never, new() { ["PGPASSWORD"] = Password });
        await using var source = PgConnector.CreateDataSource(options);
        await using var connection = await PgConnector.OpenAsync(source, options, CancellationToken.None);
        // pg_snapshot is no type Npgsql knows without reading pg_type; with type loading on it knows it by name.
        Assert.Equal("-.-", await TypeNameOfSnapshot(connection));
        await using var loading = NpgsqlDataSource.Create(options.ToNpgsqlConnectionStringBuilder());
        await using var control = await loading.OpenConnectionAsync();
        Assert.Equal("pg_snapshot", await TypeNameOfSnapshot(control));
    }

    private static async Task<string> TypeNameOfSnapshot(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT NULL::pg_catalog.pg_snapshot", connection);
        await using var reader = await command.ExecuteReaderAsync();
        return reader.GetDataTypeName(0);
    }
}
