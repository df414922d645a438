using System.Globalization;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Ports;
using StackExchange.Redis;

namespace Knative.Orleans.Silo.Storage;

/// <summary>
/// The brokers' event log in Redis Streams, selected when <c>Redis:ConnectionString</c> is set: one stream per broker,
/// <c>{ServiceId}/events/{namespace}/{broker}</c>, entries <c>0-{position}</c> (<c>XADD key 0-* …</c>: Redis numbers them,
/// so positions increase per broker and are never reused, even after trimming) with fields <c>m</c> (content mode) and
/// <c>p</c> (the event's structured JSON).
/// <para>
/// Durability is Redis's: run it with <c>appendonly yes</c> and <c>appendfsync always</c>, so Redis fsyncs the AOF before
/// it answers an XADD, and a 202 is never given for an event a crash could lose (Redis groups the fsync of every write of
/// one event-loop turn: its own group commit). Commands fail fast while Redis is unreachable
/// (<see cref="BacklogPolicy.FailFast"/>): ingress answers 503 at once, and the multiplexer reconnects by itself.
/// </para>
/// <para>
/// <b>Committed tails</b> (as <see cref="SqliteEventStore"/>'s): the events this store appended are kept in memory per
/// broker (<see cref="SqliteEventStore.TailEvents"/>, <see cref="SqliteEventStore.TailBudgetBytes"/> in all), so the
/// triggers of a broker woken by an append read them without an XRANGE each (with 10 triggers, ten reads of the same
/// events per batch). Positions of a stream are consecutive (<c>0-*</c>), so a tail holds only consecutive ones (an
/// append by another silo starts it again) and answers only reads it holds events for; a read at or past its newest
/// event, or before it, asks Redis (another silo may have appended since). A trim forgets the broker's tail.
/// </para>
/// </summary>
public sealed class RedisEventStore : IEventStore, IDisposable
{
    private static readonly RedisValue ModeField = "m";
    private static readonly RedisValue PayloadField = "p";

    private readonly ConnectionMultiplexer _redis;
    private readonly string _prefix;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CommittedTail> _tails = new(StringComparer.Ordinal);
    private long _tailBytes;

    /// <summary>Connects (without waiting for Redis to be up) with <paramref name="connectionString"/>.</summary>
    public RedisEventStore(string connectionString, string serviceId)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        _redis = ConnectionMultiplexer.Connect(options);
        _prefix = serviceId + "/events/";
    }

    /// <inheritdoc />
    public async Task<long> AppendAsync(string brokerKey, BrokerEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var id = await Db.StreamAddAsync(Key(brokerKey), [new NameValueEntry(ModeField, (int)cloudEvent.Mode), new NameValueEntry(PayloadField, cloudEvent.Payload)],
            messageId: "0-*");
        var position = Position(id);
        KeepInTail(brokerKey, [cloudEvent], [position]);
        return position;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One <c>MULTI</c> … <c>EXEC</c> (one round trip): Redis runs the XADDs back to back with nothing between them and
    /// writes them to the AOF as one block, fsynced before EXEC is answered; a block cut short by a crash is dropped
    /// whole when the AOF is loaded. A batch of one is a plain XADD.
    /// </remarks>
    public async Task<long[]> AppendBatchAsync(string brokerKey, IReadOnlyList<BrokerEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count <= 1)
        {
            return events.Count == 0 ? [] : [await AppendAsync(brokerKey, events[0], cancellationToken)];
        }

        var key = Key(brokerKey);
        var transaction = Db.CreateTransaction();
        var adds = new Task<RedisValue>[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(events[i]?.Payload, nameof(events));
            adds[i] = transaction.StreamAddAsync(key, [new NameValueEntry(ModeField, (int)events[i].Mode), new NameValueEntry(PayloadField, events[i].Payload)],
                messageId: "0-*");
        }

        if (!await transaction.ExecuteAsync())
        {
            throw new RedisException("the MULTI/EXEC of an event batch was not executed");
        }

        var positions = new long[events.Count];
        for (var i = 0; i < adds.Length; i++)
        {
            positions[i] = Position(await adds[i]);
        }

        KeepInTail(brokerKey, events, positions);
        return positions;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(string brokerKey, long after, int max, CancellationToken cancellationToken = default)
    {
        if (_tails.TryGetValue(brokerKey, out var tail) && tail.TryRead(after, max, onlyWriter: false) is { } recent)
        {
            return recent;
        }

        var entries = await Db.StreamRangeAsync(Key(brokerKey), "(0-" + after.ToString(CultureInfo.InvariantCulture), "+", max);
        var events = new List<StoredEvent>(entries.Length);
        foreach (var entry in entries)
        {
            events.Add(new StoredEvent
            {
                Sequence = Position(entry.Id),
                Event = new BrokerEvent { Mode = (EventContentMode)(int)entry[ModeField], Payload = (byte[])entry[PayloadField]! },
            });
        }

        return events;
    }

    /// <inheritdoc />
    public async Task<long> GetHeadAsync(string brokerKey, CancellationToken cancellationToken = default)
    {
        try
        {
            return Position((await Db.StreamInfoAsync(Key(brokerKey))).LastGeneratedId);
        }
        catch (RedisServerException e) when (e.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// In chunks, so Redis (one thread for every client) never stops for one long trim (an exact <c>XTRIM</c> of 115,000
    /// entries took 16 ms here): <c>XTRIM … ~ … LIMIT</c> removes whole stream nodes, at most
    /// <see cref="SqliteEventStore.TrimChunkEvents"/> entries per call, until it removes nothing; then an exact
    /// <c>XTRIM</c> removes what is left of the last node (at most one node's worth, <c>stream-node-max-entries</c>).
    /// </remarks>
    public async Task<long> TrimAsync(string brokerKey, long through, long keepAtMost, CancellationToken cancellationToken = default)
    {
        var key = Key(brokerKey);
        var minId = "0-" + (through + 1).ToString(CultureInfo.InvariantCulture);
        var deleted = await TrimInChunksAsync(key, "MINID", minId);
        deleted += await TrimInChunksAsync(key, "MAXLEN", keepAtMost);
        if (deleted > 0 && _tails.TryGetValue(brokerKey, out var tail))
        {
            tail.Reset(long.MaxValue, ref _tailBytes); // reads ask Redis again until the next append
        }

        return deleted;
    }

    private async Task<long> TrimInChunksAsync(RedisKey key, string strategy, RedisValue threshold)
    {
        var deleted = 0L;
        long chunk;
        do
        {
            chunk = (long)await Db.ExecuteAsync("XTRIM", key, strategy, "~", threshold, "LIMIT", SqliteEventStore.TrimChunkEvents);
            deleted += chunk;
        }
        while (chunk > 0);

        return deleted + (long)await Db.ExecuteAsync("XTRIM", key, strategy, threshold);
    }

    /// <inheritdoc />
    public void Dispose() => _redis.Dispose();

    // After the append is stored (never throws: the events are stored whatever happens here). Concurrent appends to one
    // broker (only its broker grain appends) could arrive out of order: the tail then starts again.
    private void KeepInTail(string brokerKey, IReadOnlyList<BrokerEvent> events, long[] positions)
    {
        var tail = _tails.GetOrAdd(brokerKey, static _ => new CommittedTail(SqliteEventStore.TailEvents));
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                tail.Add(new StoredEvent { Sequence = positions[i], Event = events[i] }, ref _tailBytes, SqliteEventStore.TailBudgetBytes, contiguous: true);
            }
        }
        catch (Exception)
        {
            tail.Reset(long.MaxValue, ref _tailBytes);
        }
    }

    private IDatabase Db => _redis.GetDatabase();

    private RedisKey Key(string brokerKey) => _prefix + brokerKey;

    private static long Position(RedisValue id)
    {
        var text = (string)id!;
        return long.Parse(text.AsSpan(text.IndexOf('-', StringComparison.Ordinal) + 1), CultureInfo.InvariantCulture);
    }
}
