namespace Knative.Orleans.Gateway.Metrics;

/// <summary>One request counted by <see cref="InFlightTracker"/>; dispose it exactly once when the request ends.</summary>
public readonly struct InFlightLease : IDisposable
{
    private readonly InFlightTracker.RevisionLoad? _load;

    internal InFlightLease(InFlightTracker.RevisionLoad load) => _load = load;

    /// <summary>Ends the request.</summary>
    public void Dispose() => _load?.End();
}
