using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Knative.Orleans.Contracts.Routing;
using Yarp.ReverseProxy.Utilities;
using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Proxy;

/// <summary>
/// Spreads requests over a revision's ready instances with power-of-two-choices on in-flight counts (Knative's
/// policy for containerConcurrency 0): pick two distinct instances at random, send to the less busy one.
/// </summary>
/// <remarks>
/// In-flight counts live here, apart from the immutable endpoint snapshots, keyed by <see cref="Endpoint"/> (value
/// equality). A counter is dropped when it returns to zero, so the map holds only busy instances. The later
/// containerConcurrency policies (first free slot, round robin) plug in beside <see cref="Choose"/>.
/// </remarks>
public sealed class EndpointBalancer(IRandomFactory randomFactory)
{
    private readonly ConcurrentDictionary<Endpoint, StrongBox<int>> _inFlight = new();

    /// <summary>Requests this gateway has in flight to <paramref name="endpoint"/>.</summary>
    public int GetInFlight(Endpoint endpoint) => _inFlight.TryGetValue(endpoint, out var count) ? Volatile.Read(ref count.Value) : 0;

    /// <summary>
    /// Chooses one of <paramref name="ready"/> (non-empty), avoiding <paramref name="exclude"/> when another is available.
    /// </summary>
    public Endpoint Choose(IReadOnlyList<Endpoint> ready, Endpoint? exclude = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(ready.Count);
        if (exclude is not null && ready.Count > 1)
        {
            var others = new List<Endpoint>(ready.Count);
            foreach (var endpoint in ready)
            {
                if (endpoint != exclude)
                {
                    others.Add(endpoint);
                }
            }

            ready = others.Count > 0 ? others : ready;
        }

        if (ready.Count == 1)
        {
            return ready[0];
        }

        var random = randomFactory.CreateRandomInstance();
        var first = random.Next(ready.Count);
        var second = random.Next(ready.Count - 1);
        if (second >= first)
        {
            second++;
        }

        var a = ready[first];
        var b = ready[second];
        return GetInFlight(b) < GetInFlight(a) ? b : a;
    }

    /// <summary>Counts a request to <paramref name="endpoint"/> until the returned lease is disposed.</summary>
    public Lease Acquire(Endpoint endpoint)
    {
        var count = _inFlight.GetOrAdd(endpoint, static _ => new StrongBox<int>());
        Interlocked.Increment(ref count.Value);
        return new Lease(this, endpoint, count);
    }

    /// <summary>One request to one endpoint; dispose it once.</summary>
    public readonly struct Lease(EndpointBalancer owner, Endpoint endpoint, StrongBox<int> count) : IDisposable
    {
        public void Dispose()
        {
            if (Interlocked.Decrement(ref count.Value) == 0)
            {
                // A racing Acquire may still increment this detached box; that only blurs one count for a moment.
                owner._inFlight.TryRemove(new KeyValuePair<Endpoint, StrongBox<int>>(endpoint, count));
            }
        }
    }
}
