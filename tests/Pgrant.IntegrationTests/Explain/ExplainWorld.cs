using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Pgrant.Core.Catalog;
using Pgrant.Core.Diagnosis;
using Pgrant.Postgres;

namespace Pgrant.IntegrationTests.Explain;

/// <summary>
/// One explain scenario on a real server: a fresh database, uniquely prefixed login roles (roles
/// are cluster-wide), and the proof cycle — make the server raise the error as the app role,
/// diagnose the server's own message on a fresh snapshot, apply the fix, rerun the statement as the
/// app role, and check that a second diagnosis says "already allowed".
/// </summary>
public sealed class ExplainWorld : IAsyncDisposable
{
    private readonly List<string> _roles = [];
    private readonly string _prefix;

    private ExplainWorld(TestDatabase db, int major, string prefix)
    {
        Db = db;
        Major = major;
        _prefix = prefix;
    }

    public TestDatabase Db { get; }
    public int Major { get; }
    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(9)).ToLowerInvariant();

    public static async Task<ExplainWorld> CreateAsync(int major, [CallerMemberName] string test = "")
    {
        var db = await TestDatabase.CreateAsync(major, test);
        // The database name is unique per test; reuse it as the role prefix (short enough to leave room).
        return new ExplainWorld(db, major, TestDatabase.UniqueName("x"));
    }

    /// <summary>Creates a login role named prefix_suffix (the suffix may be hostile: quotes, spaces, unicode).</summary>
    public async Task<string> RoleAsync(string suffix, string attributes = "LOGIN")
    {
        var name = _prefix + "_" + suffix;
        await Db.Cluster.ExecuteAsync($"CREATE ROLE {SqlNames.Ident(name)} {attributes} PASSWORD {SqlNames.Literal(Password)}");
        _roles.Add(name);
        return name;
    }

    /// <summary>Runs SQL as the superuser in this test's database.</summary>
    public Task SqlAsync(string sql) => Db.ExecuteAsync(sql);

    /// <summary>Opens an unpooled connection as <paramref name="role"/> (pools would outlive the dropped database).</summary>
    public async Task<NpgsqlConnection> OpenAsAsync(string role)
    {
        var builder = new NpgsqlConnectionStringBuilder(Db.ConnectionString(role, Password)) { Pooling = false, IncludeErrorDetail = true };
        var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    /// <summary>
    /// Runs <paramref name="preamble"/> then <paramref name="sql"/> in one session as <paramref name="role"/>;
    /// <paramref name="sql"/> must fail with SQLSTATE 42501; returns the server's error.
    /// </summary>
    public async Task<PostgresException> FailsAsync(string role, string sql, string? preamble = null)
    {
        await using var conn = await OpenAsAsync(role);
        if (preamble is not null) await ExecuteAsync(conn, preamble);
        var e = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(conn, sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        return e;
    }

    /// <summary>Runs the statements as <paramref name="role"/> in one session; they must succeed.</summary>
    public async Task SucceedsAsync(string role, string sql, string? preamble = null)
    {
        await using var conn = await OpenAsAsync(role);
        if (preamble is not null) await ExecuteAsync(conn, preamble);
        await ExecuteAsync(conn, sql);
    }

    /// <summary>Runs one query as the superuser and returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql, string? role = null)
    {
        await using var conn = role is null ? await Db.OpenAsync() : await OpenAsAsync(role);
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>
    /// The diagnosis of <paramref name="text"/> for <paramref name="role"/> through a session, the way `pgrant explain`
    /// does it: as the superuser, or as <paramref name="readAs"/> (a role of this world) when given.
    /// </summary>
    public async Task<Diagnosis> ExplainAsync(string text, string role, string? statement = null, string? readAs = null)
    {
        var connectionString = readAs is null ? Db.ConnectionString() : Db.ConnectionString(readAs, Password);
        await using var session = PgrantSession.Create(NpgsqlDataSource.Create(connectionString), ownsDataSource: true);
        return (await session.ExplainAsync(PermissionErrorParser.Parse(text), role, statement)).Diagnosis;
    }

    /// <summary>Applies the fix as the superuser in one transaction, as `pgrant explain --apply` does.</summary>
    public async Task ApplyAsync(IReadOnlyList<SqlStatement> fix)
    {
        await using var session = PgrantSession.Create(NpgsqlDataSource.Create(Db.ConnectionString()), ownsDataSource: true);
        await session.ApplyAsync(fix);
    }

    /// <summary>
    /// The whole proof: the diagnosis must be a real fix (non-empty), applying it must make the
    /// statement succeed as the role, and a second diagnosis must say the role holds it now.
    /// </summary>
    public async Task ProveFixAsync(Diagnosis diagnosis, string message, string role, string sql, string? statement = null, string? preamble = null, string? checkedRole = null)
    {
        Assert.False(diagnosis.AlreadyAllowed);
        Assert.NotEmpty(diagnosis.Fix);
        await ApplyAsync(diagnosis.Fix);
        await SucceedsAsync(role, sql, preamble);
        var again = await ExplainAsync(message, checkedRole ?? role, statement);
        Assert.True(again.AlreadyAllowed, again.Cause);
        Assert.Empty(again.Missing);
        Assert.Empty(again.Fix);
    }

    /// <summary>Compares SQL lists as whole text, so a failure shows every statement, not a truncated collection.</summary>
    public static void Same(IEnumerable<string> expected, IEnumerable<string> actual) =>
        Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));

    /// <summary>As <see cref="Same(IEnumerable{string}, IEnumerable{string})"/>, each statement as shown on its own (a conversion with BEGIN/COMMIT).</summary>
    public static void Same(IEnumerable<string> expected, IEnumerable<SqlStatement> actual) => Same(expected, actual.Select(SqlWriter.Standalone));

    private static async Task ExecuteAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        foreach (var role in Enumerable.Reverse(_roles))
            await Db.Cluster.ExecuteAsync($"DROP ROLE IF EXISTS {SqlNames.Ident(role)}");
    }
}
