using System.Collections.Concurrent;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Gateway.Ingress;

/// <summary>The grain call broker ingress makes, as a port (tests use a fake).</summary>
public interface IBrokerIngress
{
    /// <summary>Offers an event to broker <paramref name="brokerKey"/> (<c>{namespace}/{name}</c>).</summary>
    Task<IngestOutcome> IngestAsync(string brokerKey, BrokerEvent cloudEvent);
}

/// <summary>
/// <see cref="IBrokerIngress"/> over <see cref="IBrokerGrain"/>: one <see cref="IngestBatcher"/> per broker (with its grain
/// reference), so concurrent events for a broker travel in <see cref="IBrokerGrain.IngestBatchAsync"/> batches; the grain
/// factory is resolved on first use.
/// </summary>
public sealed class OrleansBrokerIngress(IServiceProvider services) : IBrokerIngress
{
    private readonly ConcurrentDictionary<string, IngestBatcher> _batchers = new(StringComparer.Ordinal);
    private IGrainFactory? _grains;

    /// <inheritdoc />
    public Task<IngestOutcome> IngestAsync(string brokerKey, BrokerEvent cloudEvent)
    {
        while (true)
        {
            var batcher = _batchers.GetOrAdd(brokerKey, Create);
            if (batcher.TryIngest(cloudEvent) is { } outcome)
            {
                return outcome;
            }
        }
    }

    private IngestBatcher Create(string brokerKey)
    {
        var broker = (_grains ??= services.GetRequiredService<IGrainFactory>()).GetGrain<IBrokerGrain>(brokerKey);
        return new IngestBatcher(broker.IngestBatchAsync, BrokerIngressHandler.CallLimit,
            retired => _batchers.TryRemove(KeyValuePair.Create(brokerKey, retired)));
    }
}
