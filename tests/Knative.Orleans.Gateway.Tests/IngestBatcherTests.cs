using System.Collections.Concurrent;
using System.Text;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Gateway.Ingress;
using Knative.Orleans.Gateway.Tests.Infrastructure;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>The broker ingress batcher: calls in flight, batch size and order, per-batch outcomes, retirement.</summary>
public sealed class IngestBatcherTests
{
    private static BrokerEvent Event(int n) => new() { Payload = Encoding.UTF8.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture)) };

    private static int Number(BrokerEvent e) => int.Parse(Encoding.UTF8.GetString(e.Payload), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A broker whose calls are answered by the test.</summary>
    private sealed class ScriptedBroker
    {
        private int _inFlight;

        public ConcurrentQueue<(BrokerEvent[] Events, TaskCompletionSource<IngestOutcome> Answer)> Calls { get; } = new();

        public int MaxInFlight { get; private set; }

        public (BrokerEvent[] Events, TaskCompletionSource<IngestOutcome> Answer) this[int i] => Calls.ElementAt(i);

        public Task<IngestOutcome> SendAsync(BrokerEvent[] events)
        {
            var answer = new TaskCompletionSource<IngestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (this)
            {
                MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
            }

            Calls.Enqueue((events, answer));
            return answer.Task.ContinueWith(t =>
            {
                lock (this)
                {
                    _inFlight--;
                }

                return t;
            }, TaskScheduler.Default).Unwrap();
        }
    }

    [Fact]
    public async Task Events_wait_while_two_calls_are_in_flight_then_go_in_batches_of_at_most_256_in_arrival_order_with_their_batchs_outcome()
    {
        var broker = new ScriptedBroker();
        var batcher = new IngestBatcher(broker.SendAsync, TimeSpan.FromMinutes(5), _ => { });

        var first = batcher.TryIngest(Event(0))!;
        var second = batcher.TryIngest(Event(1))!;
        Assert.Equal(2, broker.Calls.Count); // an idle broker gets each event at once
        var waiting = Enumerable.Range(2, 300).Select(i => batcher.TryIngest(Event(i))!).ToArray();
        Assert.Equal(2, broker.Calls.Count); // the other 300 wait for a free slot
        Assert.All(waiting, t => Assert.False(t.IsCompleted));

        broker[0].Answer.SetResult(IngestOutcome.Accepted);
        Assert.Equal(IngestOutcome.Accepted, await first);
        await Eventually.True(() => broker.Calls.Count == 3);
        Assert.Equal(Enumerable.Range(2, 256), broker[2].Events.Select(Number)); // the oldest 256, in order
        Assert.False(second.IsCompleted);

        broker[1].Answer.SetResult(IngestOutcome.StoreUnavailable);
        Assert.Equal(IngestOutcome.StoreUnavailable, await second);
        await Eventually.True(() => broker.Calls.Count == 4);
        Assert.Equal(Enumerable.Range(258, 44), broker[3].Events.Select(Number));

        // A failed call fails every event of its batch and no other.
        broker[2].Answer.SetException(new TimeoutException("silo gone"));
        foreach (var task in waiting[..256])
        {
            Assert.Equal("silo gone", (await Assert.ThrowsAsync<TimeoutException>(() => task)).Message);
        }

        Assert.All(waiting[256..], t => Assert.False(t.IsCompleted));
        broker[3].Answer.SetResult(IngestOutcome.Accepted);
        Assert.All(await Task.WhenAll(waiting[256..]), o => Assert.Equal(IngestOutcome.Accepted, o));
        Assert.Equal(4, broker.Calls.Count);
        Assert.Equal(2, broker.MaxInFlight);
    }

    [Fact]
    public async Task Concurrent_producers_get_every_event_sent_exactly_once_with_its_own_batchs_outcome()
    {
        var sent = new ConcurrentDictionary<int, IngestOutcome>();
        var inFlight = 0;
        var maxInFlight = 0;
        async Task<IngestOutcome> SendAsync(BrokerEvent[] events)
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            await Task.Yield();
            // Batches whose first event is a multiple of 3 fail to store: all of their events must see it.
            var outcome = Number(events[0]) % 3 == 0 ? IngestOutcome.StoreUnavailable : IngestOutcome.Accepted;
            foreach (var e in events)
            {
                Assert.True(sent.TryAdd(Number(e), outcome), $"event {Number(e)} sent twice");
            }

            Interlocked.Decrement(ref inFlight);
            return outcome;
        }

        // As OrleansBrokerIngress does: a batcher that retired (idle after a failed batch) is replaced by a new one.
        IngestBatcher? batcher = null;
        IngestBatcher Create() => new(SendAsync, TimeSpan.FromMinutes(5), retired => Interlocked.CompareExchange(ref batcher, Create(), retired));
        batcher = Create();
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            var mine = new List<(int, IngestOutcome)>();
            for (var i = 0; i < 500; i++)
            {
                var n = p * 500 + i;
                Task<IngestOutcome>? outcome;
                while ((outcome = Volatile.Read(ref batcher)!.TryIngest(Event(n))) is null)
                {
                }

                mine.Add((n, await outcome));
            }

            return mine;
        })));

        var answered = results.SelectMany(r => r).ToList();
        Assert.Equal(4000, sent.Count);
        Assert.Equal(4000, answered.Count);
        Assert.All(answered, a => Assert.Equal(sent[a.Item1], a.Item2));
        Assert.Contains(answered, a => a.Item2 == IngestOutcome.StoreUnavailable);
        Assert.InRange(maxInFlight, 1, 2);
    }

    [Fact]
    public async Task A_call_unanswered_after_the_limit_fails_its_events_and_frees_its_slot_for_the_next_batch()
    {
        var broker = new ScriptedBroker();
        var batcher = new IngestBatcher(broker.SendAsync, TimeSpan.FromMilliseconds(100), _ => { }, maxInFlight: 1);
        var stuck = batcher.TryIngest(Event(0))!;
        var next = batcher.TryIngest(Event(1))!;

        await Assert.ThrowsAsync<TimeoutException>(() => stuck); // the first call never answers
        await Eventually.True(() => broker.Calls.Count == 2);
        Assert.Equal([1], broker[1].Events.Select(Number));
        broker[1].Answer.SetResult(IngestOutcome.Accepted);
        Assert.Equal(IngestOutcome.Accepted, await next);
    }

    [Fact]
    public async Task An_idle_batcher_retires_after_an_unknown_broker_but_not_after_stored_events()
    {
        var retired = new TaskCompletionSource<IngestBatcher>(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcome = IngestOutcome.Accepted;
        var batcher = new IngestBatcher(_ => Task.FromResult(outcome), TimeSpan.FromMinutes(5), b => retired.SetResult(b));

        Assert.Equal(IngestOutcome.Accepted, await batcher.TryIngest(Event(0))!);
        Assert.NotNull(batcher.TryIngest(Event(1)));
        Assert.False(retired.Task.IsCompleted);

        outcome = IngestOutcome.BrokerNotFound;
        Assert.Equal(IngestOutcome.BrokerNotFound, await batcher.TryIngest(Event(2))!);
        Assert.Same(batcher, await retired.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(batcher.TryIngest(Event(3))); // the caller takes a new batcher
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
