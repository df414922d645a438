using System.Collections.Immutable;

namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// The maximum desired scale recorded within the last <c>scale-down-delay</c>, in 2 s steps (the decision tick), so a
/// lower value takes effect only once every higher one has aged out. Immutable: <see cref="Record"/> returns a new window.
/// A descending-maxima list, like knative/serving <c>pkg/autoscaler/aggregation/max/timewindow.go</c> and
/// <c>window.go</c>: a value recorded at step <c>i</c> is dropped at step <c>i + ceil(delay / 2 s)</c>.
/// </summary>
public sealed class ScaleDownDelayWindow
{
    /// <summary>The step length: Knative's autoscaler tick interval.</summary>
    public static readonly TimeSpan Granularity = TimeSpan.FromSeconds(2);

    // Oldest first; values strictly decrease, indexes strictly increase.
    private readonly ImmutableArray<(long Index, int Value)> _maxima;

    private ScaleDownDelayWindow(ImmutableArray<(long Index, int Value)> maxima) => _maxima = maxima;

    /// <summary>A window with nothing recorded.</summary>
    public static ScaleDownDelayWindow Empty { get; } = new(ImmutableArray<(long Index, int Value)>.Empty);

    /// <summary>The maximum still inside the window, or null when nothing was recorded.</summary>
    public int? Current => _maxima.IsEmpty ? null : _maxima[0].Value;

    /// <summary>Records <paramref name="value"/> at <paramref name="now"/> for a window of <paramref name="delay"/>.</summary>
    public ScaleDownDelayWindow Record(DateTimeOffset now, int value, TimeSpan delay)
    {
        var steps = Math.Max(1, (long)Math.Ceiling(delay / Granularity));
        var index = now.ToUnixTimeSeconds() / (long)Granularity.TotalSeconds;
        var maxima = _maxima.ToBuilder();

        // A smaller, older value can never be the maximum again.
        while (maxima.Count > 0 && value >= maxima[^1].Value)
        {
            maxima.RemoveAt(maxima.Count - 1);
        }

        while (maxima.Count > 0 && index - maxima[0].Index >= steps)
        {
            maxima.RemoveAt(0);
        }

        // Two decisions in the same step keep the larger one.
        if (maxima.Count > 0 && maxima[^1].Index == index)
        {
            value = Math.Max(value, maxima[^1].Value);
            maxima.RemoveAt(maxima.Count - 1);
        }

        maxima.Add((index, value));
        return new ScaleDownDelayWindow(maxima.ToImmutable());
    }
}
