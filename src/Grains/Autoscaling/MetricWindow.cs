namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// 1-second buckets of one revision metric, averaged over a window: knative/serving
/// <c>pkg/autoscaler/aggregation/bucketing.go</c> (<c>TimedFloat64Buckets</c> and <c>WeightedFloat64Buckets</c>).
/// <list type="bullet">
/// <item><see cref="Record"/> adds values that land in the same second (one sample per gateway per second).</item>
/// <item>Linear <see cref="WindowAverage"/>: the mean of the buckets from the first write to the last write, capped at the
/// window; holes between writes count as 0, time after the last write is left out, and a run of writes starts again after
/// a silence of a whole window. Nothing written within the window gives 0. Rounded down to 6 decimals like Knative.</item>
/// <item>Weighted-exponential: newer buckets weigh more; the seconds after the last write count as zeros.</item>
/// </list>
/// Knative keeps one ring per window (stable and panic); this keeps one ring of <see cref="Capacity"/> (the stable window),
/// remembers for each bucket how long the silence before it was, and derives the start of the run for any shorter window
/// from that, so memory stays bounded by the capacity. Not thread-safe; the owning grain is single-threaded.
/// </summary>
public sealed class MetricWindow
{
    // pkg/autoscaler/aggregation/bucketing.go: minExponent, weightPrecision, precision.
    private const double MinWeight = 0.2;
    private const double WeightPrecision = 0.9999;
    private const double Precision = 1e6;
    private const long FirstEver = long.MaxValue;

    private readonly double[] _values;

    // Seconds since the previous written bucket (FirstEver when none); 0 marks a bucket nobody wrote.
    private readonly long[] _gapBefore;
    private long _lastWrite;
    private bool _written;

    /// <summary>Creates an empty window holding <paramref name="capacity"/> (rounded up to whole seconds, at least 1 s).</summary>
    public MetricWindow(TimeSpan capacity, MetricAggregationAlgorithm algorithm = MetricAggregationAlgorithm.Linear)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(capacity.TotalSeconds));
        _values = new double[seconds];
        _gapBefore = new long[seconds];
        Capacity = TimeSpan.FromSeconds(seconds);
        Algorithm = algorithm;
    }

    /// <summary>The longest window this can average (the stable window).</summary>
    public TimeSpan Capacity { get; }

    /// <summary>How <see cref="WindowAverage"/> weighs the buckets.</summary>
    public MetricAggregationAlgorithm Algorithm { get; }

    /// <summary>
    /// Adds <paramref name="value"/> to the bucket of <paramref name="time"/>'s second. A sample older than the newest one
    /// by a whole capacity or more is dropped, as in Knative.
    /// </summary>
    public void Record(DateTimeOffset time, double value)
    {
        var t = time.ToUnixTimeSeconds();
        var n = _values.Length;
        if (!_written || t - _lastWrite >= n)
        {
            // First write, or a whole window of silence: start a new run.
            Array.Clear(_values);
            Array.Clear(_gapBefore);
            Write(t, value, _written ? t - _lastWrite : FirstEver);
            _lastWrite = t;
            _written = true;
        }
        else if (t > _lastWrite)
        {
            // The ring slots between the last write and now still hold values from a window ago.
            for (var s = _lastWrite + 1; s < t; s++)
            {
                Write(s, 0, 0);
            }

            Write(t, value, t - _lastWrite);
            _lastWrite = t;
        }
        else if (t > _lastWrite - n)
        {
            RecordLate(t, value);
        }
    }

    /// <summary>True when nothing was written within <see cref="Capacity"/> before <paramref name="now"/>.</summary>
    public bool IsEmpty(DateTimeOffset now) => IsEmpty(now, _values.Length);

    /// <summary>
    /// The average over <paramref name="window"/> (whole seconds, capped at <see cref="Capacity"/>) ending at
    /// <paramref name="now"/>; 0 when nothing was written within it.
    /// </summary>
    public double WindowAverage(DateTimeOffset now, TimeSpan window)
    {
        var w = Math.Clamp((long)Math.Ceiling(window.TotalSeconds), 1, _values.Length);
        var nowSecond = now.ToUnixTimeSeconds();
        if (!_written || nowSecond - _lastWrite >= w)
        {
            return 0;
        }

        var end = Math.Max(nowSecond, _lastWrite);
        var lower = end - w + 1;
        return Algorithm == MetricAggregationAlgorithm.WeightedExponential
            ? WeightedAverage(lower, end, w)
            : LinearAverage(lower, w);
    }

    /// <summary>
    /// The stable and panic averages at <paramref name="now"/>, or <see cref="MetricSnapshot.NoData"/> when nothing was
    /// written within <paramref name="stableWindow"/> (knative/serving <c>pkg/autoscaler/metrics/collector.go</c>).
    /// </summary>
    public MetricSnapshot Snapshot(DateTimeOffset now, TimeSpan stableWindow, TimeSpan panicWindow)
    {
        var w = Math.Clamp((long)Math.Ceiling(stableWindow.TotalSeconds), 1, _values.Length);
        return IsEmpty(now, w)
            ? MetricSnapshot.NoData
            : MetricSnapshot.Of(WindowAverage(now, stableWindow), WindowAverage(now, panicWindow));
    }

    private bool IsEmpty(DateTimeOffset now, long windowSeconds) =>
        !_written || now.ToUnixTimeSeconds() - _lastWrite > windowSeconds;

    private double LinearAverage(long lower, long w)
    {
        // The run for this window starts at the newest bucket that follows a silence of at least w seconds; when there is
        // none within the window, the run began before it and the window is full.
        var start = lower;
        for (var s = _lastWrite; s >= lower; s--)
        {
            if (_gapBefore[Index(s)] >= w)
            {
                start = s;
                break;
            }
        }

        double sum = 0;
        for (var s = start; s <= _lastWrite; s++)
        {
            sum += _values[Index(s)];
        }

        return Math.Floor(sum / (_lastWrite - start + 1) * Precision) / Precision;
    }

    private double WeightedAverage(long lower, long end, long w)
    {
        var coefficient = Math.Max(1 - Math.Pow(1 - WeightPrecision, 1.0 / w), MinWeight);
        var multiplier = coefficient * Math.Pow(1 - coefficient, end - _lastWrite);
        double sum = 0;
        for (var s = _lastWrite; s >= lower; s--)
        {
            sum += _values[Index(s)] * multiplier;
            multiplier *= 1 - coefficient;
        }

        return sum;
    }

    private void RecordLate(long t, double value)
    {
        var i = Index(t);
        if (_gapBefore[i] == 0)
        {
            // A late sample fills a hole: it splits the silence before the next written bucket.
            var next = t + 1;
            while (_gapBefore[Index(next)] == 0)
            {
                next++;
            }

            var nextGap = _gapBefore[Index(next)];
            _gapBefore[i] = nextGap == FirstEver ? FirstEver : nextGap - (next - t);
            _gapBefore[Index(next)] = next - t;
        }

        _values[i] += value;
    }

    private void Write(long second, double value, long gapBefore)
    {
        var i = Index(second);
        _values[i] = value;
        _gapBefore[i] = gapBefore;
    }

    private int Index(long second) => (int)(((second % _values.Length) + _values.Length) % _values.Length);
}
