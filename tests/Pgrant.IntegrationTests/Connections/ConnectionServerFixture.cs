namespace Pgrant.IntegrationTests.Connections;

/// <summary>
/// The connection tests' world, one dedicated cluster per major (scram-sha-256 over TCP on 127.0.0.1
/// and ::1, trust on the private socket, no TLS): login role `sdc` with a password full of URI- and conninfo-special
/// characters, its database `sdc`, a database `locked` without CONNECT for PUBLIC, a role `nologin`
/// that may not log in, and a role `hbablocked` that pg_hba.conf rejects. Dedicated rather than
/// the shared pool because the pg_hba.conf rule is cluster-wide and the names are fixed.
/// </summary>
public sealed class ConnectionServerFixture : IAsyncLifetime
{
    /// <summary>Every character that needs escaping somewhere: URI (@ : / ? # % &amp;), conninfo (' \ space), pgpass (: \).</summary>
    public const string SdcPassword = "p@ss:w/rd?#%&' \\é";

    private readonly ClusterSet _servers = new(
        major => ClusterPool.SharedOptions(major) with
        {
            HbaLines = ["host all hbablocked 127.0.0.1/32 reject"],
            // IPv6 too, for [::1] hosts in URIs and multi-host lists (initdb's pg_hba.conf has a ::1/128 scram line).
            Settings = ClusterPool.SharedOptions(major).Settings.SetItem("listen_addresses", "127.0.0.1,::1"),
        },
        SetUpAsync);

    /// <summary>The world's server of that major, started on first use.</summary>
    public Task<LocalCluster> ServerAsync(int major) => _servers.GetAsync(major);

    private static async Task SetUpAsync(LocalCluster server)
    {
        // One statement per call: CREATE DATABASE refuses to run inside a multi-statement batch.
        await server.ExecuteAsync($"CREATE ROLE sdc LOGIN PASSWORD {SqlNames.Literal(SdcPassword)}");
        await server.ExecuteAsync($"CREATE ROLE nologin NOLOGIN PASSWORD {SqlNames.Literal(SdcPassword)}");
        await server.ExecuteAsync($"CREATE ROLE hbablocked LOGIN PASSWORD {SqlNames.Literal(SdcPassword)}");
        await server.CreateDatabaseAsync("sdc", owner: "sdc");
        await server.CreateDatabaseAsync("locked");
        await server.ExecuteAsync("REVOKE CONNECT ON DATABASE locked FROM PUBLIC");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _servers.DisposeAsync().AsTask();
}

/// <summary>Test classes that share one <see cref="ConnectionServerFixture"/> (one cluster per major) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ConnectionServerCollection : ICollectionFixture<ConnectionServerFixture>
{
    public const string Name = "connection server";
}
