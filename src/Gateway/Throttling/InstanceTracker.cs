using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Throttling;

/// <summary>
/// Requests this gateway has in flight to one instance (Knative's podTracker). Mutated only under its
/// <see cref="RevisionThrottler"/>'s lock; it outlives the instance's place in the snapshot while requests remain.
/// </summary>
internal sealed class InstanceTracker(Endpoint endpoint)
{
    public Endpoint Endpoint { get; } = endpoint;

    public int InFlight { get; set; }
}
