using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Ports;

/// <summary>
/// The durable event log of the brokers. <see cref="AppendAsync"/> returns only once the event is on disk; a failure
/// throws and nothing is kept. Positions increase across all brokers.
/// </summary>
public interface IEventStore
{
    /// <summary>Stores one event of broker <paramref name="brokerKey"/> (<c>{namespace}/{name}</c>); returns its position.</summary>
    Task<long> AppendAsync(string brokerKey, BrokerEvent cloudEvent, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> events of the broker after position <paramref name="after"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredEvent>> ReadAsync(string brokerKey, long after, int max, CancellationToken cancellationToken = default);

    /// <summary>The position of the broker's newest event, 0 when it has none.</summary>
    Task<long> GetHeadAsync(string brokerKey, CancellationToken cancellationToken = default);
}
