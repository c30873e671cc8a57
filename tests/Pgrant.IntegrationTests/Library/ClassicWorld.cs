using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Pgrant.Demo;
using Pgrant.Postgres;

namespace Pgrant.IntegrationTests.Library;

/// <summary>
/// The classic sequence story's world in a fresh database of a shared cluster, for one test: the story's DDL
/// and grants (<see cref="SequenceStory.WorldSql"/>) for a uniquely named login role (roles are cluster-wide and
/// tests run in parallel), and that role's own data source, as the application holds it.
/// </summary>
internal sealed class ClassicWorld : IAsyncDisposable
{
    private readonly List<NpgsqlDataSource> _sources = [];

    private ClassicWorld(TestDatabase db, string app, string password)
    {
        Db = db;
        App = app;
        Password = password;
        AppSource = AppDataSource();
    }

    public TestDatabase Db { get; }

    /// <summary>The application's role (the story's sdc).</summary>
    public string App { get; }

    public string Password { get; }

    /// <summary>The application's data source, as an application builds it from its connection string.</summary>
    public NpgsqlDataSource AppSource { get; }

    /// <summary>The story's sequence as a fix names it.</summary>
    public const string Sequence = "public.descriptions_id_seq";

    public static async Task<ClassicWorld> CreateAsync(int major, [CallerMemberName] string test = "")
    {
        var db = await TestDatabase.CreateAsync(major, test);
        var app = TestDatabase.UniqueName("app");
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(9)).ToLowerInvariant();
        await db.Cluster.ExecuteAsync($"CREATE ROLE {SqlNames.Ident(app)} LOGIN PASSWORD {SqlNames.Literal(password)}");
        await db.ExecuteAsync(SequenceStory.WorldSql(db.Name, app));
        return new ClassicWorld(db, app, password);
    }

    /// <summary>
    /// Another data source of the application's role (unpooled: pools would outlive the dropped database),
    /// optionally with the failed statement carried on exceptions.
    /// </summary>
    public NpgsqlDataSource AppDataSource(bool includeFailedStatement = false)
    {
        var builder = new NpgsqlDataSourceBuilder(Db.ConnectionString(App, Password));
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.IncludeFailedBatchedCommand = includeFailedStatement;
        var source = builder.Build();
        _sources.Add(source);
        return source;
    }

    /// <summary>Runs SQL as the superuser in this world's database.</summary>
    public Task SqlAsync(string sql) => Db.ExecuteAsync(sql);

    /// <summary>Runs <paramref name="sql"/> with positional parameters through <paramref name="source"/>; the server's error, or null when it succeeded.</summary>
    public static async Task<PostgresException?> RunAsync(NpgsqlDataSource source, string sql, params object[] parameters)
    {
        await using var command = source.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
            return null;
        }
        catch (PostgresException e)
        {
            return e;
        }
    }

    /// <summary>The story's INSERT … RETURNING * as the application runs it; the server's error, or null when it succeeded.</summary>
    public Task<PostgresException?> InsertAsync(NpgsqlDataSource? source = null, int productId = 1) =>
        RunAsync(source ?? AppSource, SequenceStory.InsertSql, productId, "Widget " + productId, "sturdy, blue", "10 cm");

    /// <summary>The story's INSERT must fail with a permission error (42501); returns it.</summary>
    public async Task<PostgresException> InsertFailsAsync(NpgsqlDataSource? source = null)
    {
        var e = await InsertAsync(source);
        Assert.NotNull(e);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        return e;
    }

    /// <summary>A session as the superuser, as a DBA would apply a fix.</summary>
    public async Task ApplyAsync(IReadOnlyList<SqlStatement> fix)
    {
        await using var session = PgrantSession.Create(NpgsqlDataSource.Create(Db.ConnectionString()), ownsDataSource: true);
        await session.ApplyAsync(fix);
    }

    /// <summary>A session as the superuser.</summary>
    public PgrantSession SuperuserSession() => PgrantSession.Create(NpgsqlDataSource.Create(Db.ConnectionString()), ownsDataSource: true);

    /// <summary>The first column of the first row of a query run as the superuser.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var conn = await Db.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>
    /// A data source of the application's role that reaches no server: a loopback port that was free a moment
    /// ago (nothing listens there), with the password in its connection string.
    /// </summary>
    public NpgsqlDataSource UnreachableSource(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Database = Db.Name, Username = App, Password = Password,
            PersistSecurityInfo = true, Pooling = false, Timeout = 5,
        }.ConnectionString);
        var source = builder.Build();
        _sources.Add(source);
        return source;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources) await source.DisposeAsync();
        await Db.DisposeAsync();
        await Db.Cluster.ExecuteAsync($"DROP ROLE IF EXISTS {SqlNames.Ident(App)}");
    }
}
