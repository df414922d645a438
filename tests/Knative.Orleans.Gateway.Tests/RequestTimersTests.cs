using Knative.Orleans.Gateway.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>The three request timers on a scripted clock: every deadline counts from the arrival.</summary>
public sealed class RequestTimersTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Timeout_seconds_counts_from_the_arrival_even_when_armed_later()
    {
        using var timers = new RequestTimers(_time.GetTimestamp(), _time);
        _time.Advance(TimeSpan.FromMilliseconds(600)); // queued before the revision's timeouts were known
        timers.Apply(new RevisionTimeouts(1, 0, 0));

        _time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.Equal(TimeoutKind.None, timers.Fired);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeoutKind.Total, timers.Fired);
        Assert.True(timers.Token.IsCancellationRequested);
    }

    [Fact]
    public void Response_start_timeout_is_disarmed_by_the_response_start()
    {
        using var timers = new RequestTimers(_time.GetTimestamp(), _time);
        timers.Apply(new RevisionTimeouts(10, 1, 0));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(timers.MarkResponseStarted());

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeoutKind.None, timers.Fired);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeoutKind.Total, timers.Fired);
    }

    [Fact]
    public void Response_start_timeout_fires_without_headers()
    {
        using var timers = new RequestTimers(_time.GetTimestamp(), _time);
        timers.Apply(new RevisionTimeouts(10, 2, 0));

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(TimeoutKind.ResponseStart, timers.Fired);
        Assert.False(timers.MarkResponseStarted()); // too late: the 504 stands
        Assert.False(timers.ResponseStarted);
    }

    [Fact]
    public void Idle_timeout_rearms_on_activity_and_fires_after_a_quiet_gap()
    {
        using var timers = new RequestTimers(_time.GetTimestamp(), _time);
        timers.Apply(new RevisionTimeouts(30, 0, 2));

        _time.Advance(TimeSpan.FromMilliseconds(1500));
        timers.MarkActivity();                          // t = 1.5
        _time.Advance(TimeSpan.FromMilliseconds(1500)); // t = 3: the first deadline (2) passed, but only 1.5 s are quiet
        Assert.Equal(TimeoutKind.None, timers.Fired);
        timers.MarkActivity();                          // t = 3
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(TimeoutKind.None, timers.Fired);
        _time.Advance(TimeSpan.FromMilliseconds(1));     // t = 5: 2 s without a byte
        Assert.Equal(TimeoutKind.Idle, timers.Fired);
    }

    [Fact]
    public void A_far_deadline_waits_in_the_deferred_set_and_still_fires_at_its_exact_time()
    {
        using var timers = new RequestTimers(_time.GetTimestamp(), _time);
        timers.Apply(new RevisionTimeouts(30, 0, 0)); // beyond the horizon: no timer of its own yet

        for (var i = 0; i < 29_999; i += 250)
        {
            _time.Advance(TimeSpan.FromMilliseconds(Math.Min(250, 29_999 - i)));
            Assert.Equal(TimeoutKind.None, timers.Fired);
        }

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeoutKind.Total, timers.Fired);
        Assert.True(timers.Token.IsCancellationRequested);
    }

    [Fact]
    public void A_far_deadline_fires_when_the_clock_jumps_past_it()
    {
        using var timers = new RequestTimers(_time.GetTimestamp(), _time);
        timers.Apply(new RevisionTimeouts(10, 5, 0));

        _time.Advance(TimeSpan.FromSeconds(4.999));
        Assert.Equal(TimeoutKind.None, timers.Fired);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeoutKind.ResponseStart, timers.Fired);

        using var later = new RequestTimers(_time.GetTimestamp(), _time);
        later.Apply(new RevisionTimeouts(10, 0, 0));
        _time.Advance(TimeSpan.FromSeconds(60)); // one jump: the sweep and the exact timer run within it
        Assert.Equal(TimeoutKind.Total, later.Fired);
    }

    [Fact]
    public void Deferred_idle_deadline_follows_activity()
    {
        using var timers = new RequestTimers(_time.GetTimestamp(), _time);
        timers.Apply(new RevisionTimeouts(300, 0, 5));

        for (var t = 0; t < 20; t++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            timers.MarkActivity(); // a byte every second: never 5 s quiet
        }

        Assert.Equal(TimeoutKind.None, timers.Fired);
        _time.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.Equal(TimeoutKind.None, timers.Fired);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeoutKind.Idle, timers.Fired);
    }

    [Fact]
    public void Disposed_deferred_timers_do_not_fire()
    {
        var timers = new RequestTimers(_time.GetTimestamp(), _time);
        timers.Apply(new RevisionTimeouts(5, 0, 0));
        timers.Dispose();

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeoutKind.None, timers.Fired);
        Assert.False(timers.Token.IsCancellationRequested);
    }

    [Fact]
    public void Disposed_timers_do_not_fire()
    {
        var timers = new RequestTimers(_time.GetTimestamp(), _time);
        timers.Apply(new RevisionTimeouts(1, 0, 0));
        timers.Dispose();

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(TimeoutKind.None, timers.Fired);
        Assert.False(timers.Token.IsCancellationRequested);
    }
}
