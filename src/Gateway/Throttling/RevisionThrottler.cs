using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;
using Yarp.ReverseProxy.Utilities;
using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Throttling;

/// <summary>
/// Knative's revision throttler for one revision: at most containerConcurrency (CC) requests in flight per instance
/// from this gateway, and a bounded FIFO queue for the rest, held cold-start requests included.
/// </summary>
/// <remarks>
/// <para>
/// The throttler mirrors the revision's <see cref="RevisionEndpoints"/> in <see cref="RouteCache"/> and the live
/// gateways in <see cref="GatewayMembership"/>: <see cref="Refresh"/> re-reads both under the lock, so concurrent
/// refreshes always end on the newest state. It keeps one <see cref="InstanceTracker"/> per assigned instance: the
/// ready instances this gateway owns (<see cref="InstanceOwnership"/>), or every ready instance when it owns none.
/// Trackers are keyed by endpoint and carried over between snapshots, so in-flight counts survive updates.
/// </para>
/// <para>
/// A request takes a slot at once only when nobody is queued (FIFO fairness); otherwise it queues, up to the queue
/// limit. A freed slot goes to the head of the queue. CC = 0 means unlimited: requests then queue only while no
/// instance is ready. Expected endings (queue full, timeout, client gone, failure) are results, not exceptions.
/// </para>
/// </remarks>
public sealed partial class RevisionThrottler
{
    private readonly Lock _gate = new();
    private readonly RouteCache _cache;
    private readonly GatewayMembership _membership;
    private readonly IRandomFactory _randomFactory;
    private readonly int _maxQueued;
    private readonly Action<RevisionThrottler> _instancesNeeded;
    private readonly LinkedList<Waiter> _queue = new();
    private readonly List<InstanceTracker> _detached = []; // no longer assigned, still with requests in flight
    private InstanceTracker[] _assigned = [];
    private RevisionEndpoints? _endpoints;
    private GatewaySet? _gateways;
    private int _roundRobin;

    /// <param name="revisionKey"><c>{namespace}/{revision}</c>.</param>
    /// <param name="cache">Where the revision's endpoints come from.</param>
    /// <param name="membership">The live gateways, for the ownership split.</param>
    /// <param name="randomFactory">Randomness for power of two choices.</param>
    /// <param name="maxQueued">Queue limit.</param>
    /// <param name="instancesNeeded">Called (outside the lock) when requests are queued and no instance is ready.</param>
    internal RevisionThrottler(
        string revisionKey, RouteCache cache, GatewayMembership membership, IRandomFactory randomFactory, int maxQueued,
        Action<RevisionThrottler> instancesNeeded)
    {
        RevisionKey = revisionKey;
        _cache = cache;
        _membership = membership;
        _randomFactory = randomFactory;
        _maxQueued = maxQueued;
        _instancesNeeded = instancesNeeded;
        Refresh();
    }

    /// <summary><c>{namespace}/{revision}</c>.</summary>
    public string RevisionKey { get; }

    /// <summary>True while requests are queued and no instance is ready: the revision must be activated.</summary>
    public bool NeedsInstances
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count > 0 && _assigned.Length == 0;
            }
        }
    }

    /// <summary>Requests waiting in the queue.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>True with nothing queued and nothing in flight.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count == 0 && _detached.Count == 0 && Array.TrueForAll(_assigned, t => t.InFlight == 0);
            }
        }
    }

    /// <summary>The instances this gateway sends to, in order (the policies' candidates).</summary>
    public IReadOnlyList<Endpoint> Assigned
    {
        get
        {
            lock (_gate)
            {
                return Array.ConvertAll(_assigned, t => t.Endpoint);
            }
        }
    }

    /// <summary>Re-reads the revision's endpoints and the live gateways; hands freed capacity to queued requests.</summary>
    public void Refresh()
    {
        RequestTimers[]? rearm = null;
        RevisionTimeouts timeouts;
        bool needsInstances;
        lock (_gate)
        {
            var endpoints = _cache.TryGetEndpoints(RevisionKey, out var cached) ? cached : null;
            var gateways = _membership.Current;
            if (ReferenceEquals(endpoints, _endpoints) && ReferenceEquals(gateways, _gateways))
            {
                return;
            }

            timeouts = RevisionTimeouts.Of(endpoints);
            if (timeouts != RevisionTimeouts.Of(_endpoints) && _queue.Count > 0)
            {
                rearm = [.. _queue.Select(w => w.Timers)];
            }

            _endpoints = endpoints;
            _gateways = gateways;
            Reassign(endpoints?.Ready ?? [], gateways);
            Dispatch();
            needsInstances = _queue.Count > 0 && _assigned.Length == 0;
        }

        // Timers count from each request's arrival: a request queued before the revision's timeouts were known
        // (a cold start from an empty cache) is re-armed with them, and times out at once if they have passed.
        foreach (var timers in rearm ?? [])
        {
            timers.Apply(timeouts);
        }

        if (needsInstances)
        {
            _instancesNeeded(this);
        }
    }

    /// <summary>In-flight requests per instance from this gateway: assigned instances (zeros included) and detached ones.</summary>
    public InstanceInFlight[] GetInstanceLoads()
    {
        lock (_gate)
        {
            var loads = new Dictionary<string, int>(_assigned.Length + _detached.Count, StringComparer.Ordinal);
            foreach (var tracker in _assigned.Concat(_detached))
            {
                loads[tracker.Endpoint.InstanceId] = loads.GetValueOrDefault(tracker.Endpoint.InstanceId) + tracker.InFlight;
            }

            return [.. loads.Select(l => new InstanceInFlight { InstanceId = l.Key, InFlight = l.Value })];
        }
    }

    private void Reassign(Endpoint[] ready, GatewaySet gateways)
    {
        var sorted = ready.Order(EndpointOrder.Instance).ToList();
        var owned = gateways.Ids.Length == 1 ? sorted : InstanceOwnership.Owned(sorted, gateways.SelfIndex, gateways.Ids.Length, RevisionKey);
        if (owned.Count == 0)
        {
            // Other gateways own every ready instance: use them all rather than hold requests. CC then holds per gateway
            // only (see the README). It happens when a revision has fewer instances than there are gateways.
            owned = sorted;
        }

        var previous = new Dictionary<Endpoint, InstanceTracker>(_assigned.Length + _detached.Count);
        foreach (var tracker in _assigned.Concat(_detached))
        {
            previous[tracker.Endpoint] = tracker;
        }

        var next = new InstanceTracker[owned.Count];
        for (var i = 0; i < next.Length; i++)
        {
            next[i] = previous.Remove(owned[i], out var kept) ? kept : new InstanceTracker(owned[i]);
        }

        _detached.Clear();
        _detached.AddRange(previous.Values.Where(t => t.InFlight > 0));
        _assigned = next;
    }
}
