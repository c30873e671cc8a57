using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace Pgrant.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh, uniquely named database for one test, on a shared (<see cref="ClusterPool"/>) or
/// dedicated cluster; dropped (sessions ended) on dispose.
/// <code>await using var db = await TestDatabase.CreateAsync(major);</code>
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(LocalCluster cluster, string name)
    {
        Cluster = cluster;
        Name = name;
    }

    public LocalCluster Cluster { get; }
    public string Name { get; }

    /// <summary>Creates a database on the shared cluster of that major, named after the calling test.</summary>
    public static async Task<TestDatabase> CreateAsync(int major, [CallerMemberName] string test = "", CancellationToken cancellationToken = default) =>
        await CreateAsync(await ClusterPool.GetAsync(major).ConfigureAwait(false), test, cancellationToken).ConfigureAwait(false);

    /// <summary>Creates a database on the given cluster, named after the calling test.</summary>
    public static async Task<TestDatabase> CreateAsync(LocalCluster cluster, [CallerMemberName] string test = "", CancellationToken cancellationToken = default)
    {
        var name = UniqueName(test);
        await cluster.CreateDatabaseAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new TestDatabase(cluster, name);
    }

    /// <summary>
    /// A name no other test uses: lowercase letters, digits and '_', at most 63 bytes (the server's
    /// identifier limit), built from <paramref name="prefix"/> and random digits. Use it for roles too.
    /// </summary>
    public static string UniqueName(string prefix)
    {
        var clean = new StringBuilder();
        foreach (var ch in prefix.ToLowerInvariant())
            if (clean.Length < 40 && (ch is >= 'a' and <= 'z' or >= '0' and <= '9' or '_')) clean.Append(ch);
        if (clean.Length == 0 || char.IsDigit(clean[0])) clean.Insert(0, 't');
        return clean.Append('_').Append(RandomNumberGenerator.GetHexString(10, lowercase: true)).ToString();
    }

    /// <summary>Connection string to this database: the superuser when <paramref name="user"/> is null.</summary>
    public string ConnectionString(string? user = null, string? password = null) => Cluster.ConnectionString(Name, user, password);

    /// <summary>Runs SQL as the superuser in this database.</summary>
    public Task ExecuteAsync(string sql, CancellationToken cancellationToken = default) =>
        Cluster.ExecuteAsync(sql, Name, cancellationToken);

    /// <summary>Opens a connection as the superuser (or <paramref name="user"/>) to this database.</summary>
    public async Task<NpgsqlConnection> OpenAsync(string? user = null, string? password = null, CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString(user, password));
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        // Release this database's idle pooled connections before dropping it.
        using (var pooled = new NpgsqlConnection(ConnectionString())) NpgsqlConnection.ClearPool(pooled);
        await Cluster.DropDatabaseAsync(Name).ConfigureAwait(false);
    }
}
