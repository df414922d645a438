using System.Threading.Channels;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Ports;
using Microsoft.Data.Sqlite;

namespace Knative.Orleans.Silo.Storage;

/// <summary>
/// The brokers' event log in its own SQLite file, <c>{Storage:Path}/events.db</c>: one row per accepted event (position,
/// broker key, content mode, the event's structured JSON with data kept as bytes). WAL with <c>synchronous=FULL</c>.
/// <para>
/// <b>Group commit.</b> Appends (single events or batches) are queued to one writer loop that takes every append
/// waiting (whole batches, up to about <see cref="MaxGroup"/> events), inserts them in one transaction and commits once,
/// so one WAL fsync covers the whole group. Each <see cref="AppendAsync"/>/<see cref="AppendBatchAsync"/> completes only
/// after the COMMIT of its group returned: an event acknowledged with 202 survives a crash. If the commit fails, every
/// append of the group fails (nothing of it was acknowledged), so a batch is never kept in part.
/// </para>
/// <para>
/// <b>Committed tails.</b> The writer keeps each broker's newest committed events in memory (up to
/// <see cref="TailEvents"/> per broker and <see cref="TailBudgetBytes"/> of payload in all), added after their commit and
/// before their appends are answered. A read right behind the head, which is what a trigger woken by its broker does, is
/// answered from there without a query, and every trigger of the broker gets the same stored events (so the decoded-event
/// cache matches them by reference). A tail holds every committed event of its broker after its
/// <c>CoveredFrom</c> position; any other read queries the database. This store is the only writer of its file (the
/// embedded single-node store), which is what makes that hold.
/// </para>
/// <para>
/// <b>Trims in chunks.</b> A trim deletes at most <see cref="TrimChunkEvents"/> events per transaction, and each chunk
/// is queued to the writer loop like an append, so appends that arrive during a long trim wait for one chunk at most,
/// not for the whole trim (a compaction of 100,000 events in one transaction held every append back ~300 ms).
/// </para>
/// Reads use their own pooled connections.
/// </summary>
public sealed class SqliteEventStore : IEventStore, IDisposable
{
    /// <summary>The database file name inside the storage path.</summary>
    public const string DatabaseFileName = "events.db";

    /// <summary>Most events committed in one transaction (a batch is never split, so one group can exceed it by a batch).</summary>
    public const int MaxGroup = 1024;

    /// <summary>Newest committed events kept in memory per broker (see the remarks on committed tails).</summary>
    public const int TailEvents = 512;

    /// <summary>Events a trim deletes per transaction (see the remarks on trims).</summary>
    public const int TrimChunkEvents = 250;

    /// <summary>Payload bytes all tails may hold together; past it an event is not kept and its tail starts again after it.</summary>
    public const long TailBudgetBytes = 32L * 1024 * 1024;

    private const string Schema = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE IF NOT EXISTS events (
            seq     INTEGER PRIMARY KEY AUTOINCREMENT,
            broker  TEXT NOT NULL,
            mode    INTEGER NOT NULL,
            payload BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS events_broker_seq ON events (broker, seq);
        CREATE TABLE IF NOT EXISTS heads (broker TEXT PRIMARY KEY, seq INTEGER NOT NULL);
        """;

    private readonly Channel<Work> _appends = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionString;
    private readonly Task _writer;
    private readonly SemaphoreSlim _trims = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CommittedTail> _tails = new(StringComparer.Ordinal);
    private readonly long _tailBudget;
    private readonly int _trimChunk;
    private long _tailBytes;
    private bool _schemaReady;

    /// <summary>Uses <c>{directory}/events.db</c>; the file is created on first use.</summary>
    /// <param name="directory">Where the file is.</param>
    /// <param name="tailBudgetBytes">Payload bytes the committed tails may hold together (<see cref="TailBudgetBytes"/>).</param>
    /// <param name="trimChunk">Events a trim deletes per transaction (<see cref="TrimChunkEvents"/>).</param>
    public SqliteEventStore(string directory, long tailBudgetBytes = TailBudgetBytes, int trimChunk = TrimChunkEvents)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trimChunk, 1);
        _tailBudget = tailBudgetBytes;
        _trimChunk = trimChunk;
        Directory.CreateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, DatabaseFileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 10,
        }.ToString();
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <inheritdoc />
    public async Task<long> AppendAsync(string brokerKey, BrokerEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        return (await AppendBatchAsync(brokerKey, [cloudEvent], cancellationToken))[0];
    }

    /// <inheritdoc />
    public Task<long[]> AppendBatchAsync(string brokerKey, IReadOnlyList<BrokerEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        cancellationToken.ThrowIfCancellationRequested();
        if (events.Count == 0)
        {
            return Task.FromResult(Array.Empty<long>());
        }

        foreach (var cloudEvent in events)
        {
            ArgumentNullException.ThrowIfNull(cloudEvent?.Payload, nameof(events));
        }

        var append = new Append(brokerKey, events, new TaskCompletionSource<long[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_appends.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(SqliteEventStore));
        }

        return append.Done.Task;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(string brokerKey, long after, int max, CancellationToken cancellationToken = default)
    {
        if (_tails.TryGetValue(brokerKey, out var tail) && tail.TryRead(after, max, onlyWriter: true) is { } recent)
        {
            return recent;
        }

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
        command.CommandText = """
            SELECT MAX(COALESCE((SELECT MAX(seq) FROM events WHERE broker = $broker), 0),
                       COALESCE((SELECT seq FROM heads WHERE broker = $broker), 0));
            """;
        command.Parameters.AddWithValue("$broker", brokerKey);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Chunk by chunk through the writer loop (see the remarks on trims). The first chunk records the broker's head (so
    /// <see cref="GetHeadAsync"/> never goes back once its row is gone) and turns <paramref name="keepAtMost"/> into a
    /// position; every chunk then deletes the oldest events up to there. A crash between chunks leaves a part of the
    /// trim undone, which the next compaction does.
    /// </remarks>
    public async Task<long> TrimAsync(string brokerKey, long through, long keepAtMost, CancellationToken cancellationToken = default)
    {
        await _trims.WaitAsync(cancellationToken);
        try
        {
            var deleted = 0L;
            var first = true;
            while (true)
            {
                var chunk = new TrimChunk(brokerKey, through, first ? keepAtMost : -1,
                    new TaskCompletionSource<(long, long)>(TaskCreationOptions.RunContinuationsAsynchronously));
                if (!_appends.Writer.TryWrite(chunk))
                {
                    throw new ObjectDisposedException(nameof(SqliteEventStore));
                }

                var (count, upTo) = await chunk.Done.Task;
                deleted += count;
                (through, first) = (upTo, false);
                if (count < _trimChunk)
                {
                    break;
                }
            }

            if (deleted > 0 && _tails.TryGetValue(brokerKey, out var tail))
            {
                tail.Reset(long.MaxValue, ref _tailBytes); // reads query the database again until the next append
            }

            return deleted;
        }
        finally
        {
            _trims.Release();
        }
    }

    /// <summary>Called on the writer loop after each step, "group" or "trim", before it is answered (tests: the order of the writer's work).</summary>
    internal Action<string>? OnWriterStep { get; set; }

    /// <summary>One chunk of a trim, on the writer loop: the deleted count and the position it deleted up to.</summary>
    private (long Deleted, long Through) RunTrimChunk(SqliteConnection connection, TrimChunk chunk)
    {
        var through = chunk.Through;
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.Parameters.AddWithValue("$broker", chunk.Broker);
        if (chunk.KeepAtMost >= 0)
        {
            // Remember the head before its row may go, so GetHeadAsync never goes back (a new trigger starts after it).
            command.CommandText = """
                INSERT INTO heads (broker, seq) SELECT broker, seq FROM events WHERE broker = $broker ORDER BY seq DESC LIMIT 1
                  ON CONFLICT (broker) DO UPDATE SET seq = MAX(heads.seq, excluded.seq);
                """;
            command.ExecuteNonQuery();
            command.CommandText = "SELECT seq FROM events WHERE broker = $broker ORDER BY seq DESC LIMIT 1 OFFSET $keep;";
            command.Parameters.AddWithValue("$keep", chunk.KeepAtMost);
            if (command.ExecuteScalar() is long beyondRetention)
            {
                through = Math.Max(through, beyondRetention);
            }
        }

        command.CommandText = """
            DELETE FROM events WHERE seq IN
              (SELECT seq FROM events WHERE broker = $broker AND seq <= $through ORDER BY seq LIMIT $chunk);
            """;
        command.Parameters.AddWithValue("$through", through);
        command.Parameters.AddWithValue("$chunk", _trimChunk);
        long deleted = command.ExecuteNonQuery();
        transaction.Commit();
        return (deleted, through);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _appends.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(10));
        _trims.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var group = new List<Append>();
        SqliteConnection? connection = null;
        while (await _appends.Reader.WaitToReadAsync())
        {
            group.Clear();
            var events = 0;
            TrimChunk? trim = null;
            while (events < MaxGroup && _appends.Reader.TryRead(out var work))
            {
                if (work is TrimChunk chunk)
                {
                    trim = chunk; // after the appends queued before it
                    break;
                }

                var append = (Append)work;
                group.Add(append);
                events += append.Events.Count;
            }

            if (group.Count > 0)
            {
                connection = await CommitGroupAsync(connection, group, events);
            }

            if (trim is not null)
            {
                connection = await TrimChunkAsync(connection, trim);
            }
        }

        connection?.Dispose();
    }

    /// <summary>Runs one trim chunk and answers it; returns the connection to use next (null after a failure).</summary>
    private async Task<SqliteConnection?> TrimChunkAsync(SqliteConnection? connection, TrimChunk trim)
    {
        try
        {
            connection ??= await OpenAsync(CancellationToken.None, forWrites: true);
            var result = RunTrimChunk(connection, trim);
            OnWriterStep?.Invoke("trim");
            trim.Done.TrySetResult(result);
        }
        catch (Exception e)
        {
            trim.Done.TrySetException(e); // nothing of this chunk was deleted; the connection is reopened as after a group
            connection?.Dispose();
            connection = null;
        }

        return connection;
    }

    /// <summary>Commits one group and answers its appends; returns the connection to use next (null after a failure).</summary>
    private async Task<SqliteConnection?> CommitGroupAsync(SqliteConnection? connection, List<Append> group, int events)
    {
        try
        {
            connection ??= await OpenAsync(CancellationToken.None, forWrites: true);
            var positions = Commit(connection, group, events);
            KeepInTails(group, positions);
            OnWriterStep?.Invoke("group"); // before the answers, like "trim": a test sees the steps in order
            var next = 0;
            foreach (var append in group)
            {
                append.Done.TrySetResult(positions[next..(next += append.Events.Count)]);
            }
        }
        catch (Exception e)
        {
            // Nothing of this group is acknowledged; a broken connection is reopened for the next group.
            foreach (var append in group)
            {
                append.Done.TrySetException(e);
            }

            connection?.Dispose();
            connection = null;
        }

        return connection;
    }

    /// <summary>
    /// Inserts the group in one transaction and commits it. Synchronous on purpose: this runs on the writer loop's own
    /// thread-pool thread, and Microsoft.Data.Sqlite's async methods complete synchronously anyway (they only add overhead).
    /// </summary>
    private static long[] Commit(SqliteConnection connection, List<Append> group, int events)
    {
        var positions = new long[events];
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO events (broker, mode, payload) VALUES ($broker, $mode, $payload) RETURNING seq;";
        var broker = command.Parameters.Add("$broker", SqliteType.Text);
        var mode = command.Parameters.Add("$mode", SqliteType.Integer);
        var payload = command.Parameters.Add("$payload", SqliteType.Blob);
        command.Prepare();
        var i = 0;
        foreach (var append in group)
        {
            broker.Value = append.Broker;
            foreach (var cloudEvent in append.Events)
            {
                mode.Value = (int)cloudEvent.Mode;
                payload.Value = cloudEvent.Payload;
                positions[i++] = (long)command.ExecuteScalar()!;
            }
        }

        transaction.Commit(); // synchronous=FULL: the WAL is fsynced before this returns
        return positions;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken, bool forWrites = false)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The schema once per store; synchronous is a per-connection setting (it matters for the writer and trims).
        var schema = Volatile.Read(ref _schemaReady) ? "" : Schema;
        command.CommandText = schema + (forWrites ? "PRAGMA synchronous=FULL;" : "");
        if (command.CommandText.Length > 0)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        Volatile.Write(ref _schemaReady, true);
        return connection;
    }

    /// <summary>
    /// Adds a committed group to its brokers' tails (the writer loop only, in commit order, before the appends are
    /// answered, so a trigger woken after an append finds its events). Never throws: the group is committed whatever
    /// happens here; a tail that could not take it forgets everything (reads of that broker query the database).
    /// </summary>
    private void KeepInTails(List<Append> group, long[] positions)
    {
        var start = 0;
        foreach (var append in group)
        {
            var tail = _tails.GetOrAdd(append.Broker, static _ => new CommittedTail(TailEvents));
            try
            {
                for (var i = 0; i < append.Events.Count; i++)
                {
                    tail.Add(new StoredEvent { Sequence = positions[start + i], Event = append.Events[i] }, ref _tailBytes, _tailBudget, contiguous: false);
                }
            }
            catch (Exception)
            {
                tail.Reset(long.MaxValue, ref _tailBytes);
            }

            start += append.Events.Count;
        }
    }

    /// <summary>What the writer loop does: appends (grouped) and trim chunks, in the order they were queued.</summary>
    private abstract record Work;

    private sealed record Append(string Broker, IReadOnlyList<BrokerEvent> Events, TaskCompletionSource<long[]> Done) : Work;

    /// <summary>Deletes up to a chunk of <see cref="Broker"/>'s events through <see cref="Through"/>; <see cref="KeepAtMost"/> (first chunk only, else -1) may raise it.</summary>
    private sealed record TrimChunk(string Broker, long Through, long KeepAtMost, TaskCompletionSource<(long, long)> Done) : Work;
}
