using System.Text;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Silo.Storage;
using Knative.Orleans.Tests.Shared;

namespace Knative.Orleans.Silo.Tests.Storage;

/// <summary>The <see cref="IEventStore"/> contract, run against every store (SQLite, Redis).</summary>
public abstract class EventStoreContractTests : IAsyncLifetime
{
    protected IEventStore Store { get; private set; } = null!;

    /// <summary>A fresh store on fresh storage.</summary>
    protected abstract Task<IEventStore> CreateAsync();

    /// <summary>A second instance on the same storage (what a restarted platform sees).</summary>
    protected abstract Task<IEventStore> ReopenAsync();

    public async Task InitializeAsync() => Store = await CreateAsync();

    public virtual Task DisposeAsync()
    {
        (Store as IDisposable)?.Dispose();
        return Task.CompletedTask;
    }

    protected static BrokerEvent Event(string body, EventContentMode mode = EventContentMode.Binary) =>
        new() { Mode = mode, Payload = Encoding.UTF8.GetBytes(body) };

    [Fact]
    public async Task Appended_events_read_back_in_order_with_mode_and_bytes_per_broker()
    {
        var a1 = await Store.AppendAsync("ns/a", Event("a1"));
        var b1 = await Store.AppendAsync("ns/b", Event("b1", EventContentMode.Structured));
        var a2 = await Store.AppendAsync("ns/a", Event("a2", EventContentMode.Structured));
        Assert.True(a2 > a1);

        var a = await Store.ReadAsync("ns/a", 0, 10);
        Assert.Equal([a1, a2], a.Select(e => e.Sequence));
        Assert.Equal(["a1", "a2"], a.Select(e => Encoding.UTF8.GetString(e.Event.Payload)));
        Assert.Equal([EventContentMode.Binary, EventContentMode.Structured], a.Select(e => e.Event.Mode));
        var b = Assert.Single(await Store.ReadAsync("ns/b", 0, 10));
        Assert.Equal((b1, "b1", EventContentMode.Structured), (b.Sequence, Encoding.UTF8.GetString(b.Event.Payload), b.Event.Mode));

        Assert.Equal([a2], (await Store.ReadAsync("ns/a", a1, 10)).Select(e => e.Sequence));
        Assert.Equal([a1], (await Store.ReadAsync("ns/a", 0, 1)).Select(e => e.Sequence));
        Assert.Empty(await Store.ReadAsync("ns/a", a2, 10));
        Assert.Empty(await Store.ReadAsync("ns/none", 0, 10));
    }

    [Fact]
    public async Task Head_is_the_newest_position_and_never_goes_back_after_trimming()
    {
        Assert.Equal(0, await Store.GetHeadAsync("ns/h"));
        await Store.AppendAsync("ns/h", Event("1"));
        var last = await Store.AppendAsync("ns/h", Event("2"));
        Assert.Equal(last, await Store.GetHeadAsync("ns/h"));

        Assert.Equal(2, await Store.TrimAsync("ns/h", last, 1000));
        Assert.Empty(await Store.ReadAsync("ns/h", 0, 10));
        Assert.Equal(last, await Store.GetHeadAsync("ns/h"));
        Assert.True(await Store.AppendAsync("ns/h", Event("3")) > last); // positions are never reused
    }

    [Fact]
    public async Task Trim_deletes_finished_events_then_keeps_at_most_the_newest_n()
    {
        var positions = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            positions.Add(await Store.AppendAsync("ns/t", Event("e" + i)));
        }

        var other = await Store.AppendAsync("ns/other", Event("x"));

        Assert.Equal(3, await Store.TrimAsync("ns/t", positions[2], 1000));
        Assert.Equal(positions[3..], (await Store.ReadAsync("ns/t", 0, 100)).Select(e => e.Sequence));
        Assert.Equal(4, await Store.TrimAsync("ns/t", 0, 3));
        Assert.Equal(positions[7..], (await Store.ReadAsync("ns/t", 0, 100)).Select(e => e.Sequence));
        Assert.Equal(0, await Store.TrimAsync("ns/t", positions[6], 3));
        Assert.Equal([other], (await Store.ReadAsync("ns/other", 0, 100)).Select(e => e.Sequence)); // other brokers untouched
    }

    [Fact]
    public async Task Concurrent_appends_all_get_distinct_positions_and_are_all_kept()
    {
        var positions = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() => Store.AppendAsync("ns/c", Event("c" + i)))));
        Assert.Equal(300, positions.Distinct().Count());
        var read = await Store.ReadAsync("ns/c", 0, 1000);
        Assert.Equal(positions.Order(), read.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => "c" + i).Order(), read.Select(e => Encoding.UTF8.GetString(e.Event.Payload)).Order());
    }

    [Fact]
    public async Task A_batch_gets_increasing_positions_in_its_order_with_no_other_event_between_them()
    {
        // Batches and single events of the same broker race; each batch must read back contiguous and in its own order.
        var batches = Enumerable.Range(0, 20).Select(b => Enumerable.Range(0, 1 + (b * 7 % 40)).Select(i => $"b{b}-{i}").ToArray()).ToArray();
        var appends = batches.Select(batch => Task.Run(() => Store.AppendBatchAsync("ns/batch", batch.Select(body => Event(body)).ToArray())))
            .Concat(Enumerable.Range(0, 50).Select(i => Task.Run(async () => new[] { await Store.AppendAsync("ns/batch", Event("single-" + i)) })))
            .ToArray();
        var positions = await Task.WhenAll(appends);

        var read = await Store.ReadAsync("ns/batch", 0, 10_000);
        Assert.Equal(batches.Sum(b => b.Length) + 50, read.Count);
        var order = read.Select(e => Encoding.UTF8.GetString(e.Event.Payload)).ToList();
        for (var b = 0; b < batches.Length; b++)
        {
            Assert.Equal(batches[b].Length, positions[b].Length);
            Assert.True(positions[b].Zip(positions[b].Skip(1)).All(p => p.First < p.Second), $"batch {b}: positions not increasing");
            var start = order.IndexOf(batches[b][0]);
            Assert.Equal(batches[b], order.Skip(start).Take(batches[b].Length)); // contiguous, in the batch's order
            Assert.Equal(positions[b], read.Skip(start).Take(batches[b].Length).Select(e => e.Sequence));
        }

        Assert.Empty(await Store.AppendBatchAsync("ns/batch", []));
    }

    [Fact]
    public async Task Acknowledged_events_survive_a_restart()
    {
        var position = await Store.AppendAsync("ns/r", Event("kept"));
        var reopened = await ReopenAsync();
        try
        {
            var e = Assert.Single(await reopened.ReadAsync("ns/r", 0, 10));
            Assert.Equal((position, "kept"), (e.Sequence, Encoding.UTF8.GetString(e.Event.Payload)));
            Assert.Equal(position, await reopened.GetHeadAsync("ns/r"));
        }
        finally
        {
            (reopened as IDisposable)?.Dispose();
        }
    }
}

public sealed class SqliteEventStoreTests : EventStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override Task<IEventStore> CreateAsync() => Task.FromResult<IEventStore>(new SqliteEventStore(_directory.Path));

    protected override Task<IEventStore> ReopenAsync()
    {
        (Store as IDisposable)?.Dispose();
        return Task.FromResult<IEventStore>(new SqliteEventStore(_directory.Path));
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_batch_is_one_transaction_an_event_failing_in_its_middle_keeps_none_of_it()
    {
        await Store.AppendAsync("ns/tx", Event("before"));
        // A row the database itself refuses, after other rows of the same batch were inserted.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={System.IO.Path.Combine(_directory.Path, SqliteEventStore.DatabaseFileName)}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.payload = CAST('poison' AS BLOB) BEGIN SELECT RAISE(ABORT, 'refused'); END;";
            await command.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAnyAsync<Exception>(() => Store.AppendBatchAsync("ns/tx", [Event("ok-1"), Event("ok-2"), Event("poison"), Event("ok-3")]));
        await Store.AppendAsync("ns/tx", Event("after")); // the store goes on (a new connection)

        Assert.Equal(["before", "after"], (await Store.ReadAsync("ns/tx", 0, 10)).Select(e => Encoding.UTF8.GetString(e.Event.Payload)));
    }

    /// <summary>Deletes every row behind the store's back: what a read still returns came from the committed tail.</summary>
    private async Task DeleteRowsBehindTheStoreAsync()
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={System.IO.Path.Combine(_directory.Path, SqliteEventStore.DatabaseFileName)}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM events;";
        await command.ExecuteNonQueryAsync();
    }

    private static string[] Bodies(IEnumerable<StoredEvent> events) => events.Select(e => Encoding.UTF8.GetString(e.Event.Payload)).ToArray();

    [Fact]
    public async Task Reads_right_behind_the_head_are_answered_from_the_committed_tail_and_the_rest_from_the_database()
    {
        var p = await Store.AppendBatchAsync("ns/m", [Event("m1"), Event("m2"), Event("m3")]);
        var first = await Store.ReadAsync("ns/m", p[0], 10);
        Assert.Same(first[0], (await Store.ReadAsync("ns/m", p[0], 10))[0]); // every trigger gets the same stored event

        await DeleteRowsBehindTheStoreAsync();
        Assert.Equal(["m2", "m3"], Bodies(await Store.ReadAsync("ns/m", p[0], 10)));
        Assert.Equal(["m2"], Bodies(await Store.ReadAsync("ns/m", p[0], 1)));
        Assert.Empty(await Store.ReadAsync("ns/m", p[2], 10));

        // A new instance knows nothing before its first append: older positions come from the database (deleted above).
        var reopened = await ReopenAsync();
        try
        {
            var p4 = await reopened.AppendAsync("ns/m", Event("m4"));
            Assert.Equal(["m4"], Bodies(await reopened.ReadAsync("ns/m", 0, 10)));
            await DeleteRowsBehindTheStoreAsync();
            Assert.Equal(["m4"], Bodies(await reopened.ReadAsync("ns/m", p4 - 1, 10)));
            Assert.Empty(await reopened.ReadAsync("ns/m", 0, 10));
        }
        finally
        {
            (reopened as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task A_tail_keeps_only_the_newest_events_and_older_reads_go_to_the_database()
    {
        var bodies = Enumerable.Range(0, SqliteEventStore.TailEvents * 2).Select(i => "e" + i).ToArray();
        var p = await Store.AppendBatchAsync("ns/n", bodies.Select(b => Event(b)).ToArray());
        Assert.Equal(bodies, Bodies(await Store.ReadAsync("ns/n", 0, bodies.Length)));

        await DeleteRowsBehindTheStoreAsync();
        var newest = bodies.Length - SqliteEventStore.TailEvents;
        Assert.Equal(bodies[newest..], Bodies(await Store.ReadAsync("ns/n", p[newest - 1], bodies.Length)));
        Assert.Empty(await Store.ReadAsync("ns/n", p[0], bodies.Length)); // not in the tail: the database, which lost them
    }

    [Fact]
    public async Task A_trim_runs_in_chunks_through_the_position_or_the_retention_bound_whichever_deletes_more()
    {
        (Store as IDisposable)?.Dispose();
        using var store = new SqliteEventStore(_directory.Path, trimChunk: 3);
        var p = await store.AppendBatchAsync("ns/c", Enumerable.Range(0, 20).Select(i => Event("c" + i)).ToArray());
        await store.AppendAsync("ns/other", Event("o"));
        var steps = new System.Collections.Concurrent.ConcurrentQueue<string>();
        store.OnWriterStep = steps.Enqueue;

        Assert.Equal(12, await store.TrimAsync("ns/c", p[4], keepAtMost: 8)); // the retention bound goes further
        Assert.Equal(Enumerable.Repeat("trim", 5), steps); // 3 + 3 + 3 + 3 + 0
        Assert.Equal(p[12..], (await store.ReadAsync("ns/c", 0, 100)).Select(e => e.Sequence));
        Assert.Equal(4, await store.TrimAsync("ns/c", p[15], keepAtMost: 100)); // the position goes further
        Assert.Equal(p[16..], (await store.ReadAsync("ns/c", 0, 100)).Select(e => e.Sequence));
        Assert.Equal(4, await store.TrimAsync("ns/c", p[19], keepAtMost: 100));
        Assert.Equal(p[19], await store.GetHeadAsync("ns/c")); // recorded by the first chunk, before its row went
        Assert.Equal(["o"], Bodies(await store.ReadAsync("ns/other", 0, 10)));
    }

    [Fact]
    public async Task An_append_during_a_long_trim_waits_for_one_chunk_not_for_the_whole_trim()
    {
        (Store as IDisposable)?.Dispose();
        using var store = new SqliteEventStore(_directory.Path, trimChunk: 10);
        var p = await store.AppendBatchAsync("ns/t", Enumerable.Range(0, 200).Select(i => Event("t" + i)).ToArray());
        var steps = new System.Collections.Concurrent.ConcurrentQueue<string>();
        store.OnWriterStep = steps.Enqueue;

        // Another connection holds the write lock, so the writer loop is stuck in the trim's first chunk while the append
        // is queued behind it: the order in the queue is then chunk 1, the append, chunk 2 (queued when chunk 1 ended).
        Task<long> trim;
        Task<long> append;
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={System.IO.Path.Combine(_directory.Path, SqliteEventStore.DatabaseFileName)}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE;";
            await command.ExecuteNonQueryAsync();
            trim = store.TrimAsync("ns/t", p[^1], keepAtMost: 1000);
            append = store.AppendAsync("ns/t", Event("during"));
            command.CommandText = "COMMIT;";
            await command.ExecuteNonQueryAsync();
        }

        var position = await append;
        Assert.Equal(200, await trim);
        Assert.Equal(["trim", "group", .. Enumerable.Repeat("trim", 20)], steps); // 20 chunks of 10 and an empty one
        Assert.Equal([position], (await store.ReadAsync("ns/t", 0, 1000)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task Past_the_byte_budget_an_event_is_not_kept_and_the_tail_starts_again_after_it()
    {
        (Store as IDisposable)?.Dispose();
        using var store = new SqliteEventStore(_directory.Path, tailBudgetBytes: 10);
        var a = await store.AppendAsync("ns/b", Event("aaaa"));
        var b = await store.AppendAsync("ns/b", Event("bbbb"));
        var c = await store.AppendAsync("ns/b", Event("cccc")); // 12 bytes > 10: not kept, the tail is emptied
        var d = await store.AppendAsync("ns/b", Event("dddd"));

        Assert.Equal(["bbbb", "cccc", "dddd"], Bodies(await store.ReadAsync("ns/b", a, 10)));
        await DeleteRowsBehindTheStoreAsync();
        Assert.Equal(["dddd"], Bodies(await store.ReadAsync("ns/b", c, 10)));
        Assert.Empty(await store.ReadAsync("ns/b", b, 10)); // before the gap: the database
        Assert.True(d > c);
    }
}

public sealed class RedisEventStoreTests : EventStoreContractTests
{
    private RedisServer _server = null!;

    protected override async Task<IEventStore> CreateAsync()
    {
        _server = await RedisServer.StartNewAsync();
        return new RedisEventStore(_server.ConnectionString, "test");
    }

    /// <summary>kill -9 and restart redis-server: AOF with appendfsync always keeps every acknowledged XADD.</summary>
    protected override async Task<IEventStore> ReopenAsync()
    {
        (Store as IDisposable)?.Dispose();
        await _server.KillAsync();
        await _server.StartAsync();
        return new RedisEventStore(_server.ConnectionString, "test");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Reads_behind_the_newest_appended_event_come_from_the_tail_and_the_rest_and_other_writers_events_from_redis()
    {
        using var other = new RedisEventStore(_server.ConnectionString, "test"); // another silo on the same Redis
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
        var p = await Store.AppendBatchAsync("ns/t", [Event("a1"), Event("a2"), Event("a3")]);
        var first = await Store.ReadAsync("ns/t", p[0], 10);
        Assert.Equal(["a2", "a3"], first.Select(e => Encoding.UTF8.GetString(e.Event.Payload)));
        Assert.Same(first[0], (await Store.ReadAsync("ns/t", p[0], 10))[0]); // the same stored events for every trigger

        // Behind the store's back: the tail still answers what it holds; at its newest event Redis is asked.
        await redis.GetDatabase().ExecuteAsync("XDEL", "test/events/ns/t", "0-" + p[1]);
        Assert.Equal(["a2", "a3"], (await Store.ReadAsync("ns/t", p[0], 10)).Select(e => Encoding.UTF8.GetString(e.Event.Payload)));
        var b4 = await other.AppendAsync("ns/t", Event("b4"));
        Assert.Equal(["b4"], (await Store.ReadAsync("ns/t", p[2], 10)).Select(e => Encoding.UTF8.GetString(e.Event.Payload)));

        // An append after another writer's starts the tail again: what it does not hold comes from Redis.
        var a5 = await Store.AppendAsync("ns/t", Event("a5"));
        Assert.Equal(b4 + 1, a5);
        Assert.Equal(["b4", "a5"], (await Store.ReadAsync("ns/t", p[2], 10)).Select(e => Encoding.UTF8.GetString(e.Event.Payload)));
        Assert.Equal(["a3", "b4", "a5"], (await Store.ReadAsync("ns/t", p[0], 10)).Select(e => Encoding.UTF8.GetString(e.Event.Payload))); // a2 deleted above
        Assert.Empty(await Store.ReadAsync("ns/t", a5, 10));

        // A trim forgets the tail.
        Assert.True(await Store.TrimAsync("ns/t", a5, 100) > 0);
        Assert.Empty(await Store.ReadAsync("ns/t", b4, 10));
    }

    [Fact]
    public async Task A_long_trim_is_many_short_xtrims_and_deletes_exactly_what_it_should()
    {
        using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_server.ConnectionString + ",allowAdmin=true");
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var p = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            p.AddRange(await Store.AppendBatchAsync("ns/long", Enumerable.Range(0, 1000).Select(j => Event("l" + j)).ToArray()));
        }

        server.ConfigResetStatistics();
        Assert.Equal(3456, await Store.TrimAsync("ns/long", p[3455], keepAtMost: 100_000));
        Assert.Equal(1000, await Store.TrimAsync("ns/long", 0, keepAtMost: 544)); // the retention bound
        Assert.Equal(p[4456..], (await Store.ReadAsync("ns/long", 0, 10_000)).Select(e => e.Sequence));
        var xtrims = server.Info("commandstats").SelectMany(g => g).Single(kv => kv.Key == "cmdstat_xtrim").Value;
        var calls = int.Parse(xtrims.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(calls > 6, $"one XTRIM per strategy and trim would be 4 calls: {xtrims}"); // ≥ 2 chunks of 1000 + empty + exact, twice
    }

    [Fact]
    public async Task Appends_fail_fast_while_redis_is_down_and_succeed_again_after_it_restarts()
    {
        await Store.AppendAsync("ns/d", Event("before"));
        await _server.KillAsync();
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<Exception>(() => Store.AppendAsync("ns/d", Event("lost")));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "a down Redis must fail the append, not queue it");

        await _server.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await Store.AppendAsync("ns/d", Event("after"));
                break;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100); // the multiplexer reconnects by itself
            }
        }

        Assert.Equal(["before", "after"], (await Store.ReadAsync("ns/d", 0, 10)).Select(e => Encoding.UTF8.GetString(e.Event.Payload)));
    }
}
