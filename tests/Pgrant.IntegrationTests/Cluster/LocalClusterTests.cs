using System.Collections.Immutable;
using System.Net.Sockets;

namespace Pgrant.IntegrationTests.Cluster;

public sealed class LocalClusterTests : IDisposable
{
    // Each test gets its own parent for temp folders, so "nothing left behind" is checkable exactly.
    private readonly string _tempRoot = Path.Combine(Path.GetTempPath(), TestDatabase.UniqueName("pgrant_cluster_test"));

    public void Dispose()
    {
        if (Directory.Exists(_tempRoot)) Directory.Delete(_tempRoot, recursive: true);
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Starts_accepts_the_superuser_password_over_tcp_and_leaves_nothing_after_dispose(int major)
    {
        var lines = new List<string>();
        var cluster = await LocalCluster.StartAsync(new LocalClusterOptions { Major = major, TempRoot = _tempRoot, Log = line => { lock (lines) lines.Add(line); } });
        var root = cluster.RootDirectory;
        var port = cluster.Port;
        var pid = cluster.ServerProcessId;
        try
        {
            Assert.Equal("127.0.0.1", cluster.Host);
            Assert.Equal(major, cluster.Major);
            Assert.StartsWith($"{major}.", cluster.ServerVersion);
            Assert.Equal("postgres", cluster.SuperUser);
            Assert.True(cluster.SuperPassword.Length >= 32);
            Assert.Equal(_tempRoot, Path.GetDirectoryName(root));
            Assert.True(Directory.Exists(cluster.DataDirectory));
            Assert.True(File.Exists(Path.Combine(cluster.SocketDirectory, $".s.PGSQL.{port}")));

            await using (var connection = new NpgsqlConnection(cluster.ConnectionString()))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(
                    "SELECT version(), current_user, host(inet_server_addr()), current_setting('data_directory'), current_setting('listen_addresses')", connection);
                await using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.StartsWith($"PostgreSQL {major}.", reader.GetString(0));
                Assert.Equal("postgres", reader.GetString(1));
                Assert.Equal("127.0.0.1", reader.GetString(2));
                Assert.Equal(cluster.DataDirectory, reader.GetString(3));
                Assert.Equal("127.0.0.1", reader.GetString(4));
            }

            // TCP logins need the password (scram-sha-256), so a wrong one is refused.
            var refused = await Assert.ThrowsAsync<PostgresException>(async () =>
            {
                await using var wrong = new NpgsqlConnection(cluster.ConnectionString(user: "postgres", password: "wrong"));
                await wrong.OpenAsync();
            });
            Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);

            if (Posix.IsRoot)
            {
                // PostgreSQL refuses root; the postmaster must run as the unprivileged user.
                Assert.NotNull(cluster.ServerOsUserName);
                var uidLine = File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal));
                Assert.NotEqual("0", uidLine.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
            Assert.Contains(lines, line => line.StartsWith($"PostgreSQL {cluster.ServerVersion} ready on 127.0.0.1:{port}", StringComparison.Ordinal));
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        Assert.False(Directory.Exists(root));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_tempRoot));
        Assert.False(Posix.ProcessExists(pid));
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task A_bogus_bin_directory_fails_with_a_clear_message_and_creates_nothing()
    {
        var bogus = Path.Combine(_tempRoot, "no-such-bin");
        var error = await Assert.ThrowsAsync<PgrantException>(() =>
            LocalCluster.StartAsync(new LocalClusterOptions { BinDirectory = bogus, TempRoot = _tempRoot }));
        Assert.Equal($"{bogus} (from explicit folder) has no initdb, pg_ctl, postgres", error.Message);
        Assert.Contains("apt-get install postgresql", error.Hint);
        Assert.False(Directory.Exists(_tempRoot) && Directory.EnumerateFileSystemEntries(_tempRoot).Any());
    }

    [Fact]
    public async Task A_server_that_fails_to_start_is_cleaned_up_and_its_log_quoted()
    {
        var options = new LocalClusterOptions
        {
            Major = TestVersions.Majors[0],
            TempRoot = _tempRoot,
            Settings = ImmutableDictionary<string, string>.Empty.Add("shared_buffers", "lots"),
        };
        var error = await Assert.ThrowsAsync<PgrantException>(() => LocalCluster.StartAsync(options));
        Assert.StartsWith($"PostgreSQL {TestVersions.Majors[0]}.", error.Message);
        Assert.Contains("failed to start: pg_ctl start failed", error.Message);
        Assert.Contains("invalid value for parameter \"shared_buffers\": \"lots\"", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_tempRoot));
    }

    [Fact]
    public async Task A_kept_cluster_survives_dispose()
    {
        var cluster = await LocalCluster.StartAsync(new LocalClusterOptions { Major = TestVersions.Majors[0], TempRoot = _tempRoot, Keep = true });
        try
        {
            Assert.True(cluster.Keep);
            await cluster.DisposeAsync();
            Assert.True(Posix.ProcessExists(cluster.ServerProcessId));
            await using var connection = new NpgsqlConnection(cluster.ConnectionString() + ";Pooling=false");
            await connection.OpenAsync();
            Assert.False(File.Exists(Path.Combine(cluster.RootDirectory, "owner.pid")));
        }
        finally
        {
            Assert.True(ServerShutdown.StopImmediately(cluster.DataDirectory, TimeSpan.FromSeconds(10)));
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task Connection_strings_log_in_as_other_roles_with_their_password(int major)
    {
        await using var db = await TestDatabase.CreateAsync(major);
        var role = TestDatabase.UniqueName("login");
        await db.ExecuteAsync($"CREATE ROLE {SqlNames.Ident(role)} LOGIN PASSWORD {SqlNames.Literal("s3cret'pw")}");
        try
        {
            await using var connection = await db.OpenAsync(role, "s3cret'pw");
            await using var command = new NpgsqlCommand("SELECT current_user, current_database()", connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(role, reader.GetString(0));
            Assert.Equal(db.Name, reader.GetString(1));
        }
        finally
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(db.ConnectionString(role, "s3cret'pw")));
            await db.ExecuteAsync($"DROP ROLE {SqlNames.Ident(role)}");
        }
    }

    [Theory, MemberData(nameof(TestVersions.All), MemberType = typeof(TestVersions))]
    public async Task CreateDatabase_quotes_the_name_and_sets_the_owner(int major)
    {
        var cluster = await ClusterPool.GetAsync(major);
        Assert.Same(cluster, await ClusterPool.GetAsync(major));
        var owner = TestDatabase.UniqueName("owner");
        var name = "Odd \"db\" " + TestDatabase.UniqueName("x");
        await cluster.ExecuteAsync($"CREATE ROLE {SqlNames.Ident(owner)}");
        await cluster.CreateDatabaseAsync(name, owner);
        try
        {
            await using var connection = new NpgsqlConnection(cluster.ConnectionString());
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", connection);
            command.Parameters.AddWithValue(name);
            Assert.Equal(owner, await command.ExecuteScalarAsync());
        }
        finally
        {
            await cluster.DropDatabaseAsync(name);
            await cluster.ExecuteAsync($"DROP ROLE {SqlNames.Ident(owner)}");
        }
    }
}
