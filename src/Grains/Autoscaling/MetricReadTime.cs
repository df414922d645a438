namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// The instant a tick reads the <see cref="MetricWindow"/> at. Pure: time comes in.
/// </summary>
/// <remarks>
/// Gateways report once per <c>reportPeriod</c> (1 s), so the bucket of the current second stays empty until the next
/// report arrives: it is in progress, not idle. Read at <c>now</c>, a tick that runs before that report sees a 1 s panic
/// window (10 % of a 6 s stable window) as empty and Knative's <c>WindowAverage</c> gives 0, so panic mode misses a burst
/// for a whole tick about half of the time (bench/burst). So while the newest report is less than one period old the
/// window is read at that report, i.e. up to the latest complete second; otherwise (reports stopped) at <c>now</c>.
/// The window's averaging (<see cref="MetricWindow.WindowAverage"/>) and the decider are unchanged; with windows of
/// several seconds (the 60 s / 6 s defaults) the two instants differ by at most the oldest bucket.
/// </remarks>
public static class MetricReadTime
{
    /// <summary>
    /// <paramref name="lastReport"/> when it is at most <paramref name="now"/> and less than <paramref name="reportPeriod"/>
    /// before it; otherwise <paramref name="now"/>.
    /// </summary>
    /// <example>Reports at 10.9 s, tick at 11.2 s, period 1 s: read at 10.9 s (bucket 10 holds the report; bucket 11 is in progress).</example>
    public static DateTimeOffset At(DateTimeOffset now, DateTimeOffset lastReport, TimeSpan reportPeriod) =>
        lastReport <= now && now - lastReport < reportPeriod ? lastReport : now;
}
