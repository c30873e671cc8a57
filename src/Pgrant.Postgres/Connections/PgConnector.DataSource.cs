using Npgsql;

namespace Pgrant.Postgres.Connections;

// Interim: replaced by the data-source builder version of the connections work.
public static partial class PgConnector
{
    /// <summary>The data source for resolved options.</summary>
    public static NpgsqlDataSource CreateDataSource(ConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new NpgsqlDataSourceBuilder(options.ToNpgsqlConnectionStringBuilder().ConnectionString).Build();
    }

    /// <summary>Opens a connection from the source; failures translated like <see cref="OpenAsync(ConnectionOptions, CancellationToken)"/>.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource source, ConnectionOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            return await source.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or IOException or ArgumentException)
        {
            ct.ThrowIfCancellationRequested();
            throw ConnectionErrors.Translate(options, e);
        }
    }
}
