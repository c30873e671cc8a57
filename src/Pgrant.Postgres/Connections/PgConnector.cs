using System.Net.Sockets;
using Npgsql;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// Opens connections for pgrant. Every failure becomes a <see cref="ConnectionFailedException"/>:
/// one line saying what happened where, a hint saying what to change, and no password anywhere.
/// </summary>
public static partial class PgConnector
{
    public static async Task<NpgsqlConnection> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = new NpgsqlConnection(options.ToNpgsqlConnectionStringBuilder().ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or IOException or ArgumentException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw ConnectionErrors.Translate(options, e);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
