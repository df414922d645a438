using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Ports;

/// <summary>
/// The durable event log of the brokers. <see cref="AppendAsync"/> returns only once the event is durable (on disk, or
/// acknowledged by a store configured to fsync before answering); a failure throws and nothing is acknowledged.
/// Positions increase within a broker and are never reused.
/// </summary>
public interface IEventStore
{
    /// <summary>Stores one event of broker <paramref name="brokerKey"/> (<c>{namespace}/{name}</c>); returns its position.</summary>
    Task<long> AppendAsync(string brokerKey, BrokerEvent cloudEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores several events of one broker, all or nothing (one transaction), at increasing positions in the order given and
    /// with no other event between them; returns their positions. A failure throws and none of them is kept.
    /// </summary>
    Task<long[]> AppendBatchAsync(string brokerKey, IReadOnlyList<BrokerEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> events of the broker after position <paramref name="after"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAsync(string brokerKey, long after, int max, CancellationToken cancellationToken = default);

    /// <summary>The position of the broker's newest event ever appended (deleted ones included), 0 when it has none.</summary>
    Task<long> GetHeadAsync(string brokerKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compaction and retention: deletes the broker's events at positions ≤ <paramref name="through"/> (finished by every
    /// trigger), then the oldest ones beyond the newest <paramref name="keepAtMost"/>. Returns how many were deleted.
    /// </summary>
    Task<long> TrimAsync(string brokerKey, long through, long keepAtMost, CancellationToken cancellationToken = default);
}
