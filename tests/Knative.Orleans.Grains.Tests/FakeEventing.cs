using System.Collections.Concurrent;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Tests;

/// <summary>An in-memory <see cref="IEventStore"/>.</summary>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly List<(string Broker, StoredEvent Event)> _events = [];
    private readonly Dictionary<string, long> _heads = [];
    private long _next;

    public bool Broken { get; set; }

    /// <summary>Events this refuses (throws) while set, so one test can break storing some events only.</summary>
    public Func<BrokerEvent, bool>? Refuse { get; set; }

    /// <summary>Brokers whose store is down: every operation on them throws (one test's broker only).</summary>
    public ConcurrentDictionary<string, bool> Down { get; } = new();

    public Task<long> AppendAsync(string brokerKey, BrokerEvent cloudEvent, CancellationToken cancellationToken = default)
    {
        if (Broken || Refuse?.Invoke(cloudEvent) == true || Down.ContainsKey(brokerKey))
        {
            throw new IOException("disk on fire");
        }

        lock (_events)
        {
            var seq = ++_next;
            _events.Add((brokerKey, new StoredEvent { Sequence = seq, Event = cloudEvent }));
            _heads[brokerKey] = seq;
            return Task.FromResult(seq);
        }
    }

    /// <summary>All or nothing: a refused event fails the whole batch and none of it is kept.</summary>
    public Task<long[]> AppendBatchAsync(string brokerKey, IReadOnlyList<BrokerEvent> events, CancellationToken cancellationToken = default)
    {
        if (Broken || Down.ContainsKey(brokerKey) || events.Any(e => Refuse?.Invoke(e) == true))
        {
            throw new IOException("disk on fire");
        }

        lock (_events)
        {
            var positions = new long[events.Count];
            for (var i = 0; i < events.Count; i++)
            {
                positions[i] = ++_next;
                _events.Add((brokerKey, new StoredEvent { Sequence = positions[i], Event = events[i] }));
                _heads[brokerKey] = positions[i];
            }

            Batches.Enqueue((brokerKey, events.Count));
            return Task.FromResult(positions);
        }
    }

    /// <summary>Every batch appended: broker and size.</summary>
    public ConcurrentQueue<(string Broker, int Size)> Batches { get; } = new();

    public Task<IReadOnlyList<StoredEvent>> ReadAsync(string brokerKey, long after, int max, CancellationToken cancellationToken = default)
    {
        lock (_events)
        {
            var events = _events.Where(e => e.Broker == brokerKey && e.Event.Sequence > after).Take(max).Select(e => e.Event).ToList();
            ReturnedByBroker.AddOrUpdate(brokerKey, events.Count, (_, n) => n + events.Count);
            if (events.Count == 0)
            {
                EmptyReadsByBroker.AddOrUpdate(brokerKey, 1, (_, n) => n + 1);
            }

            return Task.FromResult<IReadOnlyList<StoredEvent>>(events);
        }
    }

    /// <summary>How many events <see cref="ReadAsync"/> returned per broker (what triggers took into memory).</summary>
    public ConcurrentDictionary<string, long> ReturnedByBroker { get; } = new();

    /// <summary>How many reads per broker found nothing.</summary>
    public ConcurrentDictionary<string, long> EmptyReadsByBroker { get; } = new();

    public Task<long> GetHeadAsync(string brokerKey, CancellationToken cancellationToken = default)
    {
        if (Down.ContainsKey(brokerKey))
        {
            throw new IOException("store down");
        }

        lock (_events)
        {
            return Task.FromResult(_heads.GetValueOrDefault(brokerKey));
        }
    }

    public Task<long> TrimAsync(string brokerKey, long through, long keepAtMost, CancellationToken cancellationToken = default)
    {
        lock (_events)
        {
            var removed = (long)_events.RemoveAll(e => e.Broker == brokerKey && e.Event.Sequence <= through);
            var kept = _events.Where(e => e.Broker == brokerKey).Select(e => e.Event.Sequence).ToList();
            if (kept.Count > keepAtMost)
            {
                var cut = kept[kept.Count - (int)keepAtMost - 1];
                removed += _events.RemoveAll(e => e.Broker == brokerKey && e.Event.Sequence <= cut);
            }

            return Task.FromResult(removed);
        }
    }

    public int Count(string brokerKey)
    {
        lock (_events)
        {
            return _events.Count(e => e.Broker == brokerKey);
        }
    }
}

/// <summary>An <see cref="IEventDispatcher"/> that records requests and answers with scripted status codes per host.</summary>
public sealed class FakeEventDispatcher : IEventDispatcher
{
    public ConcurrentQueue<DispatchRequest> Requests { get; } = new();

    /// <summary>Status by target host; 200 when absent.</summary>
    public ConcurrentDictionary<string, int> StatusByHost { get; } = new();

    /// <summary>Scripted answers by target host (replies, bad bodies); take precedence over <see cref="StatusByHost"/>.</summary>
    public ConcurrentDictionary<string, Func<DispatchRequest, DispatchResult>> AnswerByHost { get; } = new();

    public Task<DispatchResult> SendAsync(DispatchRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        if (AnswerByHost.TryGetValue(request.Target.Host, out var answer))
        {
            return Task.FromResult(answer(request));
        }

        var status = StatusByHost.GetValueOrDefault(request.Target.Host, 200);
        return Task.FromResult(new DispatchResult(status, status >= 300 ? "nope"u8.ToArray() : []));
    }
}
