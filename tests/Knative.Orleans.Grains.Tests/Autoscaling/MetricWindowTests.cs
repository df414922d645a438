using System.Globalization;

using Knative.Orleans.Grains.Autoscaling;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>
/// <see cref="MetricWindow"/> on scripted time. A script is <c>offset=value</c> pairs in seconds after
/// <see cref="T0"/>, recorded in order (knative/serving <c>pkg/autoscaler/aggregation/bucketing_test.go</c> semantics).
/// </summary>
public sealed class MetricWindowTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    // A single write, and a partial window: the mean of the buckets written so far, not of the whole window.
    [InlineData("0=5", 0, 60, 5)]
    [InlineData("0=1;1=2;2=3;3=4;4=5;5=6", 5, 60, 3.5)]
    // Holes between writes count as zeros: (10 + 0 + 0 + 20) / 4.
    [InlineData("0=10;3=20", 3, 60, 7.5)]
    // Time after the last write is left out: still (10 + 20) / 2 nine seconds later.
    [InlineData("0=10;1=20", 10, 60, 15)]
    // Several gateways in the same second add up: (3 + 4) and 1.
    [InlineData("0.2=3;0.9=4;1=1", 1, 60, 4)]
    // Nothing within the window: 0 (the last write is a whole window old).
    [InlineData("0=10", 60, 60, 0)]
    [InlineData("0=10", 6, 6, 0)]
    [InlineData("0=10", 5, 6, 10)]
    // A whole window of silence starts a new run: the old 100 is gone.
    [InlineData("0=100;70=2", 70, 60, 2)]
    // Silence shorter than the stable window but as long as the panic window: the panic run restarts, the stable one
    // keeps the holes as zeros: (1 × 5 + 8) / 21 = 0.619047 (rounded down to 6 decimals).
    [InlineData("0=1;1=1;2=1;3=1;4=1;20=8", 20, 6, 8)]
    [InlineData("0=1;1=1;2=1;3=1;4=1;20=8", 20, 60, 0.619047)]
    // Late samples land in their bucket; samples a whole window older than the newest are dropped.
    [InlineData("0=2;2=2;1=5", 2, 60, 3)]
    [InlineData("100=7;30=50", 100, 60, 7)]
    // Rounded down to 6 decimals, like Knative's roundToNDigits.
    [InlineData("0=1;1=0;2=0", 2, 60, 0.333333)]
    public void LinearAverage(string script, double nowOffset, int windowSeconds, double expected)
    {
        var window = Replay(new MetricWindow(TimeSpan.FromSeconds(60)), script);

        Assert.Equal(expected, window.WindowAverage(At(nowOffset), TimeSpan.FromSeconds(windowSeconds)), 6);
    }

    [Fact]
    public void WindowIsCappedAndPanicWindowReadsTheSameBuckets()
    {
        // 1 for 50 s, then 3 for 50 s; the stable window sees 10 × 1 + 50 × 3 over 60 buckets, the panic window only 3s.
        var window = new MetricWindow(TimeSpan.FromSeconds(60));
        for (var s = 0; s < 100; s++)
        {
            window.Record(At(s), s < 50 ? 1 : 3);
        }

        Assert.Equal(MetricSnapshot.Of(2.666666, 3), window.Snapshot(At(99), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(6)));
    }

    [Theory]
    [InlineData("", 0, true)]
    [InlineData("0=1", 60, false)]
    [InlineData("0=1", 61, true)]
    [InlineData("0=0", 30, false)]
    public void NoDataOnlyWhenNothingWasWrittenWithinTheStableWindow(string script, double nowOffset, bool empty)
    {
        var window = Replay(new MetricWindow(TimeSpan.FromSeconds(60)), script);

        Assert.Equal(empty, window.IsEmpty(At(nowOffset)));
        Assert.Equal(!empty, window.Snapshot(At(nowOffset), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(6)).HasData);
    }

    [Theory]
    // 4 s window: weight 1 - 0.0001^(1/4) = 0.9, newest first: 5×0.9 + 5×0.09 + 10×0.009 + 10×0.0009.
    [InlineData("0=10;1=10;2=5;3=5", 3, 5.049)]
    // One second after the last write the newest bucket is a zero: 5×0.09 + 5×0.009 + 10×0.0009.
    [InlineData("0=10;1=10;2=5;3=5", 4, 0.504)]
    // Reversed data weighs the 10s: 10×0.9 + 10×0.09 + 5×0.009 + 5×0.0009.
    [InlineData("0=5;1=5;2=10;3=10", 3, 9.9495)]
    public void WeightedExponentialAverage(string script, double nowOffset, double expected)
    {
        var window = Replay(new MetricWindow(TimeSpan.FromSeconds(4), MetricAggregationAlgorithm.WeightedExponential), script);

        Assert.Equal(expected, window.WindowAverage(At(nowOffset), TimeSpan.FromSeconds(4)), 9);
    }

    [Fact]
    public void WeightedExponentialOverLongWindowsUsesTheMinimumWeight()
    {
        // 60 buckets would need a weight of 0.142; the floor is 0.2, so 60 tens average 10 × (1 - 0.8^60).
        var window = new MetricWindow(TimeSpan.FromSeconds(60), MetricAggregationAlgorithm.WeightedExponential);
        for (var s = 0; s < 60; s++)
        {
            window.Record(At(s), 10);
        }

        Assert.Equal(10 * (1 - Math.Pow(0.8, 60)), window.WindowAverage(At(59), TimeSpan.FromSeconds(60)), 9);
    }

    [Fact]
    public void MemoryIsBoundedByTheCapacity()
    {
        var window = new MetricWindow(TimeSpan.FromSeconds(6));
        for (var s = 0; s < 1000; s++)
        {
            window.Record(At(s), s);
        }

        // Only 994..999 remain; a longer window is capped at the capacity.
        Assert.Equal(TimeSpan.FromSeconds(6), window.Capacity);
        Assert.Equal(996.5, window.WindowAverage(At(999), TimeSpan.FromSeconds(60)));
    }

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    private static MetricWindow Replay(MetricWindow window, string script)
    {
        foreach (var step in script.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = step.Split('=');
            window.Record(At(double.Parse(parts[0], CultureInfo.InvariantCulture)), double.Parse(parts[1], CultureInfo.InvariantCulture));
        }

        return window;
    }
}
