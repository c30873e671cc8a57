using System.Net.Sockets;
using Npgsql;
using Pgrant.Core;

namespace Pgrant.Postgres.Connections;

/// <summary>
/// Opens connections for pgrant. Every failure becomes a <see cref="ConnectionFailedException"/>:
/// one line saying what happened where, a hint saying what to change, and no password anywhere.
/// </summary>
public static partial class PgConnector
{
    /// <summary>
    /// The data source for resolved options: Npgsql's <see cref="NpgsqlDataSourceBuilder"/> with type
    /// loading disabled, no pooling, and the settings <see cref="ConnectionOptions.ToNpgsqlConnectionStringBuilder"/>
    /// maps. Several hosts make an Npgsql multi-host source (failover in order, target_session_attrs,
    /// load balancing); with several hosts and no password given, the password file is consulted per
    /// host. The caller disposes it.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(ConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new NpgsqlDataSourceBuilder(NpgsqlSettings.Build(options).ConnectionString);
        // Npgsql otherwise loads every type of pg_type on first connect: a schema-per-tenant database
        // with 100,000 tables has 200,000+ (each table's row type and its array), which cost ~2 s
        // before the first query. pgrant reads only built-in types (text, oid, bool, int2/4/8, arrays of those; "char" is cast to int).
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        if (NpgsqlSettings.UsesPassFilePerHost(options))
            builder.UsePasswordProvider(
                host => NpgsqlSettings.PassFilePassword(options, host),
                (host, _) => ValueTask.FromResult(NpgsqlSettings.PassFilePassword(options, host)));
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new PgrantException($"invalid connection settings: {e.Message}", "check the connection options given with -d, a service, or PG* variables.");
        }
    }

    /// <summary>
    /// Opens a connection from <paramref name="source"/> (made by <see cref="CreateDataSource"/> for
    /// <paramref name="options"/>). With one host and a target_session_attrs other than any, checks
    /// the session as libpq does (Npgsql applies it only to several hosts).
    /// </summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource source, ConnectionOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var connection = source.CreateConnection();
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            if (options.Hosts.Length == 1) await CheckSessionAsync(connection, options, ct).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or IOException or ArgumentException or NotSupportedException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            throw ConnectionErrors.Translate(options, e);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens one connection for <paramref name="options"/>; its data source goes when the connection closes.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(ConnectionOptions options, CancellationToken cancellationToken)
    {
        var source = CreateDataSource(options);
        try
        {
            var connection = await OpenAsync(source, options, cancellationToken).ConfigureAwait(false);
            connection.StateChange += (_, change) =>
            {
                if (change.CurrentState == System.Data.ConnectionState.Closed) source.Dispose();
            };
            return connection;
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Connects as psql does with -W / -w: <see cref="PasswordPromptMode.Always"/> asks before the
    /// first attempt; <see cref="PasswordPromptMode.Auto"/> asks once, and retries, only when a server
    /// wanted a password and none was supplied; <see cref="PasswordPromptMode.Never"/> never asks.
    /// Returns the options actually used (with a typed password, <see cref="PasswordSource.Prompt"/>),
    /// their data source and an open connection.
    /// </summary>
    public static async Task<PgConnection> ConnectAsync(ConnectionOptions options, IPasswordPrompt? prompt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PasswordPrompt == PasswordPromptMode.Always)
        {
            var typed = (prompt is null ? null : await prompt.ReadPasswordAsync(PromptText(options), ct).ConfigureAwait(false))
                ?? throw new PgrantException("cannot ask for a password here",
                    "give the password with PGPASSWORD, the password file or the connection string, or leave out -W.");
            // As in psql, a password in the -d connection string still wins over the typed one.
            if (options.PasswordSource != PasswordSource.Explicit)
                options = options with { Password = typed, PasswordSource = PasswordSource.Prompt };
        }
        try
        {
            return await TryConnectAsync(options, ct).ConfigureAwait(false);
        }
        catch (ConnectionFailedException e) when (options.PasswordPrompt == PasswordPromptMode.Auto && prompt is not null
                                                   && options.Password is null && ConnectionErrors.PasswordNeeded(e))
        {
            var typed = await prompt.ReadPasswordAsync(PromptText(options), ct).ConfigureAwait(false);
            if (typed is null) throw;
            return await TryConnectAsync(options with { Password = typed, PasswordSource = PasswordSource.Prompt }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>psql's prompt, naming the role that connects.</summary>
    private static string PromptText(ConnectionOptions options) => $"Password for user {options.User}: ";

    private static async Task<PgConnection> TryConnectAsync(ConnectionOptions options, CancellationToken ct)
    {
        var source = CreateDataSource(options);
        try
        {
            return new PgConnection(options, source, await OpenAsync(source, options, ct).ConfigureAwait(false));
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// libpq's check of a single server against target_session_attrs (fe-connect.c): read-write and
    /// read-only look at transaction_read_only, primary and standby at pg_is_in_recovery().
    /// prefer-standby accepts any server when there is no other to try.
    /// </summary>
    private static async Task CheckSessionAsync(NpgsqlConnection connection, ConnectionOptions options, CancellationToken ct)
    {
        var wanted = options.TargetSessionAttributes;
        if (wanted is TargetSessionAttributes.Any or TargetSessionAttributes.PreferStandby or TargetSessionAttributes.PreferPrimary) return;
        await using var command = new NpgsqlCommand(
            "SELECT pg_catalog.pg_is_in_recovery(), pg_catalog.current_setting('transaction_read_only') = 'on'", connection);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        var (inHotStandby, readOnly) = (reader.GetBoolean(0), reader.GetBoolean(1));
        if (!SessionAttributes.Accepts(wanted, inHotStandby, readOnly))
            throw ConnectionErrors.NoHostMatches(options, [options.Hosts[0]]);
    }
}

/// <summary>An open connection with the options it was opened with and its data source; disposing closes both.</summary>
/// <param name="Options">The target as resolved (without printing the password).</param>
/// <param name="Source">The data source the connection came from; owned by this value.</param>
/// <param name="Connection">The open connection.</param>
public sealed record PgConnection(ConnectionOptions Options, NpgsqlDataSource Source, NpgsqlConnection Connection) : IAsyncDisposable
{
    /// <summary>Closes the connection, then the data source (and its pool).</summary>
    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync().ConfigureAwait(false);
        await Source.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Records print every property by default; this one names the target only (never the password).</summary>
    public override string ToString() => $"PgConnection {{ {Options} }}";
}
