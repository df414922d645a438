using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>Persisted state of a <see cref="BrokerGrain"/>.</summary>
[GenerateSerializer, Alias("kn.BrokerState")]
public sealed class BrokerState
{
    /// <summary>The broker as stored (defaulted spec, metadata); null when it does not exist.</summary>
    [Id(0)] public Broker? Broker { get; set; }

    /// <summary>Names of the triggers to wake after each accepted event (kept even while the broker is absent).</summary>
    [Id(1)] public List<string> Triggers { get; set; } = [];

    /// <summary>Bumped on every stored change (metadata.resourceVersion).</summary>
    [Id(2)] public long ResourceVersion { get; set; }
}
