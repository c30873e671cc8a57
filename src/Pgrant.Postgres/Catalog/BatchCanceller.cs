using Npgsql;

namespace Pgrant.Postgres.Catalog;

/// <summary>
/// Cancels a running catalog batch on the server when the token fires (Ctrl+C), and keeps asking until
/// disposed. Npgsql sends one cancel request per command, and the server drops a cancel that lands while the
/// backend is between two statements of the pipelined batch: measured on a busy 2-core machine, about one
/// read in five then went on waiting (on a lock, say) until Npgsql gave the connection up. So after Npgsql's
/// own cancel, a second connection (a clone: same role, same server) calls pg_cancel_backend every half
/// second, which a role may do for its own sessions. Once disposed, no further cancel is sent.
/// </summary>
internal sealed class BatchCanceller : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly NpgsqlBatch _batch;
    private readonly NpgsqlConnection _connection;
    private readonly Lock _gate = new();
    private readonly CancellationTokenRegistration _registration;
    private Timer? _timer;
    private NpgsqlConnection? _side;
    private bool _asked;
    private bool _disposed;

    public BatchCanceller(NpgsqlBatch batch, NpgsqlConnection connection, CancellationToken ct)
    {
        _batch = batch;
        _connection = connection;
        _registration = ct.Register(static self => ((BatchCanceller)self!).Start(), this);
    }

    private void Start()
    {
        lock (_gate)
        {
            if (!_disposed) _timer = new Timer(static self => ((BatchCanceller)self!).Cancel(), this, TimeSpan.Zero, Interval);
        }
    }

    // Under the lock, so Dispose returns only after a cancel in flight has been sent.
    private void Cancel()
    {
        lock (_gate)
        {
            if (_disposed) return;
            try
            {
                if (!_asked)
                {
                    _asked = true;
                    _batch.Cancel();
                    return;
                }
                if (_side is null)
                {
                    _side = _connection.CloneWith(_connection.ConnectionString);
                    _side.Open();
                }
                using var cancel = new NpgsqlCommand("SELECT pg_catalog.pg_cancel_backend($1)", _side);
                cancel.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _connection.ProcessID });
                cancel.ExecuteNonQuery();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The server could not be reached for the cancel: the read fails on its own.
            }
        }
    }

    public void Dispose()
    {
        _registration.Dispose();
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _side?.Dispose();
        }
    }
}
