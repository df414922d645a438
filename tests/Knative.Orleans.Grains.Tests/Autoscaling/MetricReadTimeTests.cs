using Knative.Orleans.Grains.Autoscaling;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary><see cref="MetricReadTime"/>: where a tick reads the metric window, on scripted time.</summary>
public sealed class MetricReadTimeTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    [Theory]
    // The newest report is less than a period old: read at it (the current second is in progress).
    [InlineData(11.2, 10.9, 10.9)]
    [InlineData(11.0, 10.05, 10.05)]
    [InlineData(11.5, 11.4, 11.4)] // same second: the same buckets either way
    // A whole period or more without a report: the reports stopped, read at now.
    [InlineData(12.0, 11.0, 12.0)]
    [InlineData(20.0, 10.9, 20.0)]
    // A report stamped after now (a clock step): now.
    [InlineData(11.0, 11.3, 11.0)]
    public void ReadsUpToTheLatestCompleteSecond(double now, double lastReport, double expected)
    {
        Assert.Equal(At(expected), MetricReadTime.At(At(now), At(lastReport), Period));
    }

    [Fact]
    public void ABurstReportedJustBeforeTheTickIsSeenByThePanicWindow()
    {
        // bench/burst: stable window 6 s ⇒ panic window 1 s; containerConcurrency 1 ⇒ target 0.7 per instance. Ten
        // clients start at 9.5 s; the gateway reports its windows at x.9 s; the tick runs at 11.2 s with 1 ready instance.
        var spec = DeciderSpecBuilder.Build(AutoscalerConfig.Default with { StableWindow = TimeSpan.FromSeconds(6) }, null, containerConcurrency: 1);
        var window = new MetricWindow(spec.StableWindow);
        window.Record(At(9.9), 4);   // the first, partial second
        window.Record(At(10.9), 10); // a full second of 10 in flight
        var now = At(11.2);

        // Read at now, bucket 11 is empty and the 1 s panic window averages 0 (Knative's WindowAverage does the same).
        var atNow = window.Snapshot(now, spec.StableWindow, spec.PanicWindow);
        Assert.Equal(MetricSnapshot.Of(7, 0), atNow);
        var (late, _) = Decider.Decide(DeciderState.Initial(1, At(9)), spec, atNow, readyCount: 1, reachable: true, now);
        Assert.Equal((10, DeciderMode.Stable), (late.DesiredScale, late.Mode)); // ceil(7 / 0.7): the stable average only

        // Read at the latest report, the panic window holds the full second: ceil(10 / 0.7) = 15 at once.
        var read = window.Snapshot(MetricReadTime.At(now, At(10.9), Period), spec.StableWindow, spec.PanicWindow);
        Assert.Equal(MetricSnapshot.Of(7, 10), read);
        var (onTime, _) = Decider.Decide(DeciderState.Initial(1, At(9)), spec, read, readyCount: 1, reachable: true, now);
        Assert.Equal((15, DeciderMode.Panic), (onTime.DesiredScale, onTime.Mode));
    }

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);
}

/// <summary><see cref="GatewaySecond"/>: one bucket per report of a gateway; its poke and report in one second count once.</summary>
public sealed class GatewaySecondTests
{
    [Theory]
    // (received second, value, poke or report) steps, then the (bucket, added value) of each.
    [InlineData("10:6:p;10:8:r", "10+6;10+2")]          // poke 6, then the report of 8: bucket 10 holds 8, not 14
    [InlineData("10:8:r;10:3:p", "10+8;10+0")]          // a smaller poke after the report adds nothing
    [InlineData("10:8:r;10:12:p", "10+8;10+4")]         // a larger poke adds the excess
    [InlineData("10:2:p;11:8:r", "10+2;11+8")]          // different seconds: both count in full
    [InlineData("10:3:p;10:5:p;10:4:r", "10+3;10+2;10+0")] // pokes: the largest; a report below it adds nothing
    [InlineData("12:4:r;12:5:r;13:6:r", "12+4;13+5;14+6")] // bunched reports keep a bucket each
    [InlineData("12:4:r;12:5:r;15:6:r", "12+4;13+5;15+6")] // a later report catches up with its own second
    [InlineData("12:4:r;12:5:r;13:2:p", "12+4;13+5;13+0")] // a poke meets the shifted report's bucket: the larger counts
    public void OneBucketPerReportAndPokesCountOnce(string steps, string expected)
    {
        GatewaySecond? state = null;
        var added = new List<string>();
        foreach (var step in steps.Split(';'))
        {
            var parts = step.Split(':');
            var (second, add, next) = GatewaySecond.Add(state, long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2] == "p");
            added.Add($"{second}+{add}");
            state = next;
        }

        Assert.Equal(expected, string.Join(';', added));
    }
}
