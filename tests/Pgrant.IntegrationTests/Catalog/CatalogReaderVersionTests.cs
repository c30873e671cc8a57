using Pgrant.Core.Catalog;
using Pgrant.Postgres.Catalog;

namespace Pgrant.IntegrationTests.Catalog;

/// <summary>
/// Npgsql keeps what it learnt about a server (its version, its types) per connection string for the
/// life of the process, pooled or not. A server of another major that later answers on the same
/// host:port, reached with the very same connection string, must still get its own version's SQL.
/// </summary>
[Collection(DedicatedClusters.Collection)]
public sealed class CatalogReaderVersionTests
{
    private const string Probe = "version_probe";
    private const string ProbePassword = "probe-Pass-1";

    /// <summary>Two different majors: the lowest and highest configured, or the configured one and another.</summary>
    private static (int First, int Second) TwoMajors()
    {
        int low = TestVersions.Majors.Min(), high = TestVersions.Majors.Max();
        return low != high ? (low, high) : (low, low == 18 ? 15 : 18);
    }

    [Fact]
    public async Task Servers_of_different_majors_on_one_port_each_get_their_own_sql()
    {
        var (low, high) = TwoMajors();
        int? port = null;
        string? connectionString = null;
        var cachedVersions = new List<int>();
        // High, low, high: the newer SQL must not reach the older server (it would fail) and the older
        // SQL must not reach the newer server (it would silently drop 16+'s membership options).
        foreach (var major in new[] { high, low, high })
        {
            await using var cluster = await LocalCluster.StartAsync(new LocalClusterOptions { Major = major, Port = port });
            port = cluster.Port;
            await cluster.ExecuteAsync($"""
                CREATE ROLE {Probe} LOGIN SUPERUSER PASSWORD '{ProbePassword}';
                CREATE ROLE version_group; CREATE ROLE version_member;
                GRANT version_group TO version_member;
                """);
            // The same text every time: the cache key is the connection string.
            connectionString ??= new NpgsqlConnectionStringBuilder(cluster.ConnectionString(user: Probe, password: ProbePassword)) { Pooling = false }.ConnectionString;

            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync();
            cachedVersions.Add(conn.PostgreSqlVersion.Major);
            var snapshot = await CatalogReader.ReadAsync(conn);

            Assert.Equal(major, snapshot.Version.Major);
            Assert.Equal(major, cluster.Major);
            var membership = snapshot.Memberships.Single(m => m.Group == snapshot.RoleByName("version_group")!.Oid);
            Assert.Equal(snapshot.RoleByName("version_member")!.Oid, membership.Member);
            Assert.Equal(major >= 16 ? true : null, membership.InheritOption);
            Assert.Equal(major >= 16 ? true : null, membership.SetOption);
        }
        // The premise, as observed: Npgsql's own PostgreSqlVersion still names the first server.
        Assert.Equal([high, high, high], cachedVersions);
    }

    [Theory]
    [InlineData("15.18", 150018)]
    [InlineData("18.4", 180004)]
    [InlineData("13.23", 130023)]
    [InlineData("15.18 (Debian 15.18-1.pgdg120+1)", 150018)]
    [InlineData("17beta1", 170000)]
    [InlineData("18devel", 180000)]
    [InlineData("16rc1", 160000)]
    public void The_startup_report_reads_as_major_and_minor(string reported, int number) =>
        Assert.Equal(new PgVersion(number), ServerVersion.Parse(reported));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("devel")]
    [InlineData(" 15.1")]
    public void A_report_without_a_leading_major_is_not_a_version(string? reported) =>
        Assert.Null(ServerVersion.Parse(reported));
}
