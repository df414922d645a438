namespace Knative.Orleans.Gateway.Throttling;

/// <summary>
/// The timeoutSeconds, responseStartTimeoutSeconds and idleTimeoutSeconds timers of one request, all counted from its
/// arrival, so time spent queued in the gateway counts. When one fires, <see cref="Token"/> is canceled and
/// <see cref="Fired"/> says which.
/// </summary>
/// <remarks>
/// While the earliest deadline is more than <see cref="DeferredTimers.Horizon"/> away, the request only sits in a shared
/// <see cref="DeferredTimers"/> set (no timer of its own: most requests end long before any deadline). Within the
/// horizon one <see cref="ITimer"/> is armed for the earliest deadline. Activity only stores a timestamp; when the timer
/// fires it re-reads the timestamps and re-arms if nothing is due yet, so a streaming response costs no timer update per write.
/// Example: idle 10 s, bytes at 3 s and 8 s: the timer fires at 10 s, sees the last byte at 8 s, re-arms for 18 s.
/// The response start (headers or a 101 from the instance) counts as the first byte.
/// Lock order: a caller may hold its own lock while calling in; the token is canceled outside this class's lock.
/// </remarks>
public sealed class RequestTimers : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _arrival;
    private readonly DeferredTimers _deferred;
    private readonly CancellationTokenSource _cts = new();
    private ITimer? _timer; // created once a deadline is within the horizon
    private RevisionTimeouts _timeouts = RevisionTimeouts.Default;
    private long _lastActivity;
    private bool _started;
    private bool _disposed;
    private TimeoutKind _fired;

    /// <summary>Creates the timers of a request that arrived at <paramref name="arrivalTimestamp"/>; arm them with <see cref="Apply"/>.</summary>
    public RequestTimers(long arrivalTimestamp, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
        _arrival = _lastActivity = arrivalTimestamp;
        _deferred = DeferredTimers.For(timeProvider);
    }

    // DeferredTimers' list links and the earliest deadline (a timestamp) while in its set; the stripe is -1 outside it.
    internal RequestTimers? DeferredPrevious;
    internal RequestTimers? DeferredNext;
    internal int DeferredStripe = -1;
    internal long DeferredDeadline;

    /// <summary>Canceled when a timer fires.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>The timer that fired, or None.</summary>
    public TimeoutKind Fired
    {
        get
        {
            lock (_gate)
            {
                return _fired;
            }
        }
    }

    /// <summary>True once the instance's response headers (or a 101) arrived.</summary>
    public bool ResponseStarted
    {
        get
        {
            lock (_gate)
            {
                return _started;
            }
        }
    }

    /// <summary>The timeouts in force.</summary>
    public RevisionTimeouts Timeouts
    {
        get
        {
            lock (_gate)
            {
                return _timeouts;
            }
        }
    }

    /// <summary>(Re)arms the timers with <paramref name="timeouts"/>, still counted from the arrival; past deadlines fire at once (asynchronously).</summary>
    public void Apply(RevisionTimeouts timeouts)
    {
        lock (_gate)
        {
            if (_fired != TimeoutKind.None || _disposed)
            {
                return;
            }

            _timeouts = timeouts;
            Arm(_time.GetTimestamp());
        }
    }

    /// <summary>The response headers arrived; false (and nothing changes) when a timer has already fired.</summary>
    public bool MarkResponseStarted()
    {
        lock (_gate)
        {
            if (_fired != TimeoutKind.None)
            {
                return false;
            }

            _started = true;
            _lastActivity = _time.GetTimestamp();
            return true;
        }
    }

    /// <summary>Bytes from the instance are on their way to the client (resets the idle timer).</summary>
    public void MarkActivity() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    /// <summary>Stops the timers (the token stays as it is).</summary>
    public void Dispose()
    {
        ITimer? timer;
        lock (_gate)
        {
            _disposed = true;
            timer = _timer;
        }

        _deferred.Remove(this);
        timer?.Dispose();
    }

    /// <summary>Called by <see cref="DeferredTimers"/> (already out of its set) when the deadline is within the horizon.</summary>
    internal void ArmExact()
    {
        lock (_gate)
        {
            if (_fired != TimeoutKind.None || _disposed)
            {
                return;
            }

            _deferred.Remove(this); // re-added by a concurrent Apply meanwhile
            ArmTimer(_time.GetTimestamp());
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_fired != TimeoutKind.None || _disposed)
            {
                return;
            }

            var now = _time.GetTimestamp();
            _fired = Due(now);
            if (_fired == TimeoutKind.None)
            {
                Arm(now);
                return;
            }
        }

        // Outside the lock: cancellation callbacks (a queued request leaving its queue) take other locks.
        _cts.Cancel();
    }

    private TimeoutKind Due(long now)
    {
        var sinceArrival = _time.GetElapsedTime(_arrival, now);
        if (sinceArrival >= Seconds(_timeouts.TimeoutSeconds))
        {
            return TimeoutKind.Total;
        }

        if (_timeouts.ResponseStartTimeoutSeconds > 0 && !_started && sinceArrival >= Seconds(_timeouts.ResponseStartTimeoutSeconds))
        {
            return TimeoutKind.ResponseStart;
        }

        if (_timeouts.IdleTimeoutSeconds > 0 && _time.GetElapsedTime(Volatile.Read(ref _lastActivity), now) >= Seconds(_timeouts.IdleTimeoutSeconds))
        {
            return TimeoutKind.Idle;
        }

        return TimeoutKind.None;
    }

    // Under the lock: an exact timer when the earliest deadline is within the horizon (or a timer already exists),
    // otherwise a place in the deferred set.
    private void Arm(long now)
    {
        if (_timer is null)
        {
            var due = DueIn(now);
            if (due.Ticks >= 0 && (long)(due.TotalSeconds * _time.TimestampFrequency) >= _deferred.HorizonTicks)
            {
                Volatile.Write(ref DeferredDeadline, now + (long)(due.TotalSeconds * _time.TimestampFrequency));
                _deferred.Add(this);
                return;
            }

            _deferred.Remove(this);
        }

        ArmTimer(now);
    }

    private void ArmTimer(long now)
    {
        _timer ??= _time.CreateTimer(static s => ((RequestTimers)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var due = DueIn(now);
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private TimeSpan DueIn(long now)
    {
        var sinceArrival = _time.GetElapsedTime(_arrival, now);
        var due = Seconds(_timeouts.TimeoutSeconds) - sinceArrival;
        if (_timeouts.ResponseStartTimeoutSeconds > 0 && !_started)
        {
            due = Min(due, Seconds(_timeouts.ResponseStartTimeoutSeconds) - sinceArrival);
        }

        if (_timeouts.IdleTimeoutSeconds > 0)
        {
            due = Min(due, Seconds(_timeouts.IdleTimeoutSeconds) - _time.GetElapsedTime(Volatile.Read(ref _lastActivity), now));
        }

        return due;
    }

    private static TimeSpan Seconds(int seconds) => TimeSpan.FromSeconds(seconds);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
