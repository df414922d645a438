using System.Runtime.CompilerServices;

namespace Knative.Orleans.Gateway.Throttling;

/// <summary>
/// Where <see cref="RequestTimers"/> wait while their earliest deadline is still far away, so that a request that ends
/// within <see cref="Horizon"/> (nearly all of them) never creates or arms a timer of its own. One sweep per
/// <see cref="SweepPeriod"/> hands every entry whose deadline comes within the horizon back to its
/// <see cref="RequestTimers"/>, which then arms an exact timer: every deadline still fires at its exact time.
/// </summary>
/// <remarks>
/// One set per <see cref="TimeProvider"/> (tests run on scripted clocks). Entries live in striped intrusive lists
/// (insert and remove are O(1) under a stripe's lock, no allocation). Lock order: a <see cref="RequestTimers"/>' own lock,
/// then a stripe's; the sweep takes only stripe locks and calls back into the timers outside them.
/// </remarks>
internal sealed class DeferredTimers
{
    /// <summary>Deadlines closer than this get an exact timer at once.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(2);

    /// <summary>How often the set is swept; shorter than <see cref="Horizon"/>, so a deadline is armed at least Horizon − SweepPeriod ahead.</summary>
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(1);

    private static readonly ConditionalWeakTable<TimeProvider, DeferredTimers> Sets = [];
    private static readonly DeferredTimers SystemSet = new(TimeProvider.System);

    private readonly TimeProvider _time;
    private readonly Stripe[] _stripes;
    private readonly ITimer _sweeper;

    private DeferredTimers(TimeProvider time)
    {
        _time = time;
        HorizonTicks = (long)(Horizon.TotalSeconds * time.TimestampFrequency);
        _stripes = new Stripe[Math.Clamp(Environment.ProcessorCount, 1, 16)];
        for (var i = 0; i < _stripes.Length; i++)
        {
            _stripes[i] = new Stripe();
        }

        _sweeper = time.CreateTimer(static s => ((DeferredTimers)s!).Sweep(), this, SweepPeriod, SweepPeriod);
    }

    /// <summary><see cref="Horizon"/> in <see cref="TimeProvider.GetTimestamp"/> units.</summary>
    public long HorizonTicks { get; }

    /// <summary>The set of <paramref name="time"/>.</summary>
    public static DeferredTimers For(TimeProvider time) =>
        ReferenceEquals(time, TimeProvider.System) ? SystemSet : Sets.GetValue(time, static t => new DeferredTimers(t));

    /// <summary>Puts <paramref name="timers"/> in the set (if not there yet); its deadline is <see cref="RequestTimers.DeferredDeadline"/>.</summary>
    public void Add(RequestTimers timers)
    {
        if (Volatile.Read(ref timers.DeferredStripe) >= 0)
        {
            return; // already in; the sweep reads the updated deadline
        }

        var index = (int)((uint)Environment.CurrentManagedThreadId % (uint)_stripes.Length);
        var stripe = _stripes[index];
        lock (stripe.Gate)
        {
            timers.DeferredPrevious = null;
            timers.DeferredNext = stripe.Head;
            if (stripe.Head is not null)
            {
                stripe.Head.DeferredPrevious = timers;
            }

            stripe.Head = timers;
            Volatile.Write(ref timers.DeferredStripe, index);
        }
    }

    /// <summary>Takes <paramref name="timers"/> out of the set if it is in.</summary>
    public void Remove(RequestTimers timers)
    {
        // Only the caller (under the timers' own lock, or after disposing them) re-adds, so this settles at once.
        for (var index = Volatile.Read(ref timers.DeferredStripe); index >= 0; index = Volatile.Read(ref timers.DeferredStripe))
        {
            var stripe = _stripes[index];
            lock (stripe.Gate)
            {
                if (timers.DeferredStripe == index)
                {
                    Unlink(stripe, timers);
                    return;
                }
            }
        }
    }

    private void Sweep()
    {
        var limit = _time.GetTimestamp() + HorizonTicks;
        List<RequestTimers>? due = null;
        foreach (var stripe in _stripes)
        {
            lock (stripe.Gate)
            {
                for (var timers = stripe.Head; timers is not null;)
                {
                    var next = timers.DeferredNext;
                    if (Volatile.Read(ref timers.DeferredDeadline) < limit)
                    {
                        Unlink(stripe, timers);
                        (due ??= []).Add(timers);
                    }

                    timers = next;
                }
            }
        }

        foreach (var timers in due ?? [])
        {
            timers.ArmExact();
        }
    }

    private static void Unlink(Stripe stripe, RequestTimers timers)
    {
        if (timers.DeferredPrevious is { } previous)
        {
            previous.DeferredNext = timers.DeferredNext;
        }
        else
        {
            stripe.Head = timers.DeferredNext;
        }

        if (timers.DeferredNext is { } next)
        {
            next.DeferredPrevious = timers.DeferredPrevious;
        }

        timers.DeferredPrevious = timers.DeferredNext = null;
        Volatile.Write(ref timers.DeferredStripe, -1);
    }

    private sealed class Stripe
    {
        public readonly Lock Gate = new();

        public RequestTimers? Head;
    }
}
