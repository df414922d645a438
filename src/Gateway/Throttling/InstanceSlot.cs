using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Throttling;

/// <summary>
/// One request's hold on one instance's slot; disposing it (once is enough, more is harmless) frees the slot and hands
/// it to the next queued request.
/// </summary>
public sealed class InstanceSlot : IDisposable
{
    private readonly RevisionThrottler _owner;
    private int _released;

    internal InstanceSlot(RevisionThrottler owner, InstanceTracker tracker)
    {
        _owner = owner;
        Tracker = tracker;
    }

    /// <summary>The instance.</summary>
    public Endpoint Endpoint => Tracker.Endpoint;

    internal InstanceTracker Tracker { get; }

    /// <summary>Frees the slot.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _owner.Release(this);
        }
    }
}
