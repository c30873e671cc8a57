using Pgrant.Postgres.Connections;

namespace Pgrant.IntegrationTests.Connections;

/// <summary>Builds environments for resolver tests: no PG* variables, no home, OS user "alice" unless given.</summary>
internal static class TestEnvironment
{
    public static StaticConnectionEnvironment With(
        Dictionary<string, string>? variables = null, string? home = null, string user = "alice", params string[] existingPaths) =>
        new(variables, home, user, existingPaths);

    public static ConnectionOptions Resolve(ConnectionRequest request, IConnectionEnvironment? environment = null) =>
        ConnectionResolver.Resolve(request, environment ?? With()).Options;

    public static ConnectionOptions ResolveDb(string database, IConnectionEnvironment? environment = null) =>
        Resolve(new ConnectionRequest { Database = database }, environment);

    /// <summary>A loopback port nothing listens on (for "connection refused").</summary>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
