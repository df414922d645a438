using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Ports;
using Microsoft.Data.Sqlite;

namespace Knative.Orleans.Silo.Storage;

/// <summary>
/// The brokers' event log in its own SQLite file, <c>{Storage:Path}/events.db</c>: one row per accepted event (position,
/// broker key, content mode, the event's structured JSON with data kept as bytes). WAL with <c>synchronous=FULL</c>:
/// <see cref="AppendAsync"/> returns after SQLite has fsynced the WAL, so an event acknowledged with 202 survives a crash.
/// Appends go through one writer connection guarded by a semaphore; reads use their own pooled connections.
/// Events are not deleted yet (no retention).
/// </summary>
public sealed class SqliteEventStore : IEventStore, IDisposable
{
    /// <summary>The database file name inside the storage path.</summary>
    public const string DatabaseFileName = "events.db";

    private const string Schema = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS events (
            seq     INTEGER PRIMARY KEY AUTOINCREMENT,
            broker  TEXT NOT NULL,
            mode    INTEGER NOT NULL,
            payload BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS events_broker_seq ON events (broker, seq);
        """;

    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _connectionString;
    private SqliteConnection? _write;

    /// <summary>Uses <c>{directory}/events.db</c>; the file is created on first use.</summary>
    public SqliteEventStore(string directory)
    {
        Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, DatabaseFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 10,
        }.ToString();
    }

    /// <inheritdoc />
    public async Task<long> AppendAsync(string brokerKey, BrokerEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            var connection = await WriterAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO events (broker, mode, payload) VALUES ($broker, $mode, $payload) RETURNING seq;";
            command.Parameters.AddWithValue("$broker", brokerKey);
            command.Parameters.AddWithValue("$mode", (int)cloudEvent.Mode);
            command.Parameters.AddWithValue("$payload", cloudEvent.Payload);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch
        {
            // A broken writer connection is reopened on the next append.
            _write?.Dispose();
            _write = null;
            throw;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(string brokerKey, long after, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, mode, payload FROM events WHERE broker = $broker AND seq > $after ORDER BY seq LIMIT $max;";
        command.Parameters.AddWithValue("$broker", brokerKey);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$max", max);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoredEvent
            {
                Sequence = reader.GetInt64(0),
                Event = new BrokerEvent { Mode = (EventContentMode)reader.GetInt32(1), Payload = (byte[])reader.GetValue(2) },
            });
        }

        return events;
    }

    /// <inheritdoc />
    public async Task<long> GetHeadAsync(string brokerKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM events WHERE broker = $broker;";
        command.Parameters.AddWithValue("$broker", brokerKey);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _write?.Dispose();
        _writer.Dispose();
    }

    private async Task<SqliteConnection> WriterAsync(CancellationToken cancellationToken) => _write ??= await OpenAsync(cancellationToken);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema + "PRAGMA synchronous=FULL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
