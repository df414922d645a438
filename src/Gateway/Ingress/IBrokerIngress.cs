using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Gateway.Ingress;

/// <summary>The grain call broker ingress makes, as a port (tests use a fake).</summary>
public interface IBrokerIngress
{
    /// <summary>Offers an event to broker <paramref name="brokerKey"/> (<c>{namespace}/{name}</c>).</summary>
    Task<IngestOutcome> IngestAsync(string brokerKey, BrokerEvent cloudEvent);
}

/// <summary><see cref="IBrokerIngress"/> over <see cref="IBrokerGrain"/>; the grain factory is resolved on first use.</summary>
public sealed class OrleansBrokerIngress(IServiceProvider services) : IBrokerIngress
{
    /// <inheritdoc />
    public Task<IngestOutcome> IngestAsync(string brokerKey, BrokerEvent cloudEvent) =>
        services.GetRequiredService<IGrainFactory>().GetGrain<IBrokerGrain>(brokerKey).IngestAsync(cloudEvent);
}
