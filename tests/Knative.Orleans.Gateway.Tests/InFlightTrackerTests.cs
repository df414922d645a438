using Knative.Orleans.Gateway.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Knative.Orleans.Gateway.Tests;

public sealed class InFlightTrackerTests
{
    private const string Rev = "default/hello-00001";
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Average_concurrency_is_time_weighted_over_the_window()
    {
        var tracker = new InFlightTracker(_time);

        var first = tracker.Begin(Rev);            // t = 0: 1 in flight
        _time.Advance(TimeSpan.FromMilliseconds(250));
        var second = tracker.Begin(Rev);           // t = 0.25: 2
        _time.Advance(TimeSpan.FromMilliseconds(250));
        first.Dispose();                           // t = 0.5: 1
        _time.Advance(TimeSpan.FromMilliseconds(500));

        var sample = Assert.Single(tracker.Collect());
        Assert.Equal(Rev, sample.RevisionKey);
        Assert.Equal(1.25, sample.AverageConcurrency, 9); // (1×0.25 + 2×0.25 + 1×0.5) / 1
        Assert.Equal(2, sample.RequestCount);
        Assert.Equal(1, sample.InFlight);
        Assert.Equal(1, tracker.GetInFlight(Rev));

        // Next window: the remaining request for 0.5 s of a 2 s window, no arrivals.
        _time.Advance(TimeSpan.FromMilliseconds(500));
        second.Dispose();
        _time.Advance(TimeSpan.FromMilliseconds(1500));
        sample = Assert.Single(tracker.Collect());
        Assert.Equal(0.25, sample.AverageConcurrency, 9);
        Assert.Equal(0, sample.RequestCount);
        Assert.Equal(0, sample.InFlight);
    }

    [Fact]
    public void Reports_one_zero_window_after_activity_then_forgets_the_revision()
    {
        var tracker = new InFlightTracker(_time);
        tracker.Begin(Rev).Dispose();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, Assert.Single(tracker.Collect()).RequestCount);
        _time.Advance(TimeSpan.FromSeconds(1));
        var zero = Assert.Single(tracker.Collect());
        Assert.Equal(new LoadSample(Rev, 0, 0, 0), zero);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(tracker.Collect());

        // A later request starts a fresh window.
        using var again = tracker.Begin(Rev);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new LoadSample(Rev, 1, 1, 1), Assert.Single(tracker.Collect()));
    }

    [Fact]
    public void Revisions_are_counted_separately()
    {
        var tracker = new InFlightTracker(_time);
        using var a = tracker.Begin("ns/a");
        using var b1 = tracker.Begin("ns/b");
        using var b2 = tracker.Begin("ns/b");

        Assert.Equal(1, tracker.GetInFlight("ns/a"));
        Assert.Equal(2, tracker.GetInFlight("ns/b"));
        Assert.Equal(0, tracker.GetInFlight("ns/c"));
    }
}
