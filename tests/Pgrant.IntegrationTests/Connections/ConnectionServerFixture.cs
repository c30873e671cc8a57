using Pgrant.Core.Planning;

namespace Pgrant.IntegrationTests.Connections;

/// <summary>
/// The connection tests' world on a scram-sha-256 server: login role `sdc` with a password full of
/// URI- and conninfo-special characters, its database `sdc`, a database `locked` without CONNECT
/// for PUBLIC, a role `nologin` that may not log in, and a role `hbablocked` that pg_hba.conf rejects.
/// </summary>
public sealed class ConnectionServerFixture : IAsyncLifetime
{
    /// <summary>Every character that needs escaping somewhere: URI (@ : / ? # % &amp;), conninfo (' \ space), pgpass (: \).</summary>
    public const string SdcPassword = "p@ss:w/rd?#%&' \\é";

    public ScramTestServer Server { get; } = new(["host all hbablocked 127.0.0.1/32 reject"]);

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        try
        {
            // One statement per call: CREATE DATABASE refuses to run inside a multi-statement batch.
            await Server.ExecuteAsync($"CREATE ROLE sdc LOGIN PASSWORD {Sql.Literal(SdcPassword)}");
            await Server.ExecuteAsync($"CREATE ROLE nologin NOLOGIN PASSWORD {Sql.Literal(SdcPassword)}");
            await Server.ExecuteAsync($"CREATE ROLE hbablocked LOGIN PASSWORD {Sql.Literal(SdcPassword)}");
            await Server.ExecuteAsync("CREATE DATABASE sdc OWNER sdc");
            await Server.ExecuteAsync("CREATE DATABASE locked");
            await Server.ExecuteAsync("REVOKE CONNECT ON DATABASE locked FROM PUBLIC");
        }
        catch
        {
            await Server.DisposeAsync();
            throw;
        }
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}
