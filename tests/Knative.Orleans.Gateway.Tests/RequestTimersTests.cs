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
