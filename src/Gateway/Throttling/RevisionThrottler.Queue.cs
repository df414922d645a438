using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Throttling;

public sealed partial class RevisionThrottler
{
    /// <summary>
    /// A slot at one of the revision's instances: at once when one is free and nobody is queued, otherwise after
    /// waiting in the queue until a slot frees, a timer of <paramref name="timers"/> fires (TimedOut), the client goes
    /// away (Canceled) or the revision turns out failed or missing. QueueFull when the queue is at its limit.
    /// </summary>
    /// <param name="timers">The request's timers; armed here with the revision's timeouts.</param>
    /// <param name="avoid">An instance to skip when another has a free slot (one that just refused a connection).</param>
    /// <param name="cancellationToken">The client's request-aborted token.</param>
    public async ValueTask<ThrottleResult> AcquireAsync(RequestTimers timers, Endpoint? avoid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timers);
        Waiter waiter;
        bool needsInstances;
        lock (_gate)
        {
            timers.Apply(RevisionTimeouts.Of(_endpoints));
            if (_queue.Count == 0 && TryTake(avoid) is { } tracker)
            {
                return ThrottleResult.Acquired(new InstanceSlot(this, tracker));
            }

            if (_queue.Count >= _maxQueued)
            {
                return ThrottleResult.QueueFull;
            }

            waiter = new Waiter(this, timers);
            waiter.Node = _queue.AddLast(waiter);
            needsInstances = _assigned.Length == 0;
        }

        if (needsInstances)
        {
            _instancesNeeded(this);
        }

        using var timedOut = timers.Token.UnsafeRegister(
            static s => ((Waiter)s!).Owner.Abandon((Waiter)s!, ThrottleResult.TimedOut), waiter);
        using var canceled = cancellationToken.UnsafeRegister(
            static s => ((Waiter)s!).Owner.Abandon((Waiter)s!, ThrottleResult.Canceled), waiter);
        return await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Ends every queued request with <paramref name="result"/> (the revision failed or does not exist), unless an
    /// instance became ready meanwhile.
    /// </summary>
    public void Reject(ThrottleResult result)
    {
        List<Waiter> rejected;
        lock (_gate)
        {
            if (_assigned.Length > 0)
            {
                return;
            }

            rejected = [.. _queue];
            _queue.Clear();
            rejected.ForEach(w => w.Node = null);
        }

        rejected.ForEach(w => w.TrySetResult(result));
    }

    internal void Release(InstanceSlot slot)
    {
        lock (_gate)
        {
            var tracker = slot.Tracker;
            tracker.InFlight--;
            if (tracker.InFlight == 0)
            {
                _detached.Remove(tracker);
            }

            Dispatch();
        }
    }

    private void Abandon(Waiter waiter, ThrottleResult result)
    {
        lock (_gate)
        {
            if (waiter.Node is null)
            {
                return; // already given a slot or rejected
            }

            _queue.Remove(waiter.Node);
            waiter.Node = null;
        }

        waiter.TrySetResult(result);
    }

    // Under the lock: hands free slots to the head of the queue, in order.
    private void Dispatch()
    {
        while (_queue.First is { } head && TryTake(null) is { } tracker)
        {
            _queue.RemoveFirst();
            head.Value.Node = null;
            head.Value.TrySetResult(ThrottleResult.Acquired(new InstanceSlot(this, tracker)));
        }
    }

    // Under the lock: picks an assigned instance with a free slot and counts the request there.
    private InstanceTracker? TryTake(Endpoint? avoid)
    {
        var count = _assigned.Length;
        if (count == 0)
        {
            return null;
        }

        Span<int> inFlight = count <= 64 ? stackalloc int[count] : new int[count];
        var excluded = -1;
        for (var i = 0; i < count; i++)
        {
            inFlight[i] = _assigned[i].InFlight;
            if (avoid is not null && _assigned[i].Endpoint == avoid)
            {
                excluded = i;
            }
        }

        var cc = _endpoints?.ContainerConcurrency ?? 0;
        var random = _randomFactory.CreateRandomInstance();
        var chosen = LoadBalancingPolicy.Choose(cc, inFlight, ref _roundRobin, random, excluded);
        if (chosen < 0 && excluded >= 0)
        {
            chosen = LoadBalancingPolicy.Choose(cc, inFlight, ref _roundRobin, random);
        }

        if (chosen < 0)
        {
            return null;
        }

        var tracker = _assigned[chosen];
        tracker.InFlight++;
        return tracker;
    }

    private sealed class Waiter(RevisionThrottler owner, RequestTimers timers)
        : TaskCompletionSource<ThrottleResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public RevisionThrottler Owner { get; } = owner;

        public RequestTimers Timers { get; } = timers;

        /// <summary>The waiter's place in the queue; null once it has left it (slot given, rejected or abandoned).</summary>
        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
