namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// The revision-wide window averages one decision reads: the stable and panic averages of the scaling metric (concurrent
/// requests or requests per second, summed over all instances), or no data at all.
/// </summary>
/// <param name="StableAverage">Average over the stable window.</param>
/// <param name="PanicAverage">Average over the panic window.</param>
/// <param name="HasData">False when nothing was recorded within the stable window (Knative's <c>ErrNoData</c>).</param>
public readonly record struct MetricSnapshot(double StableAverage, double PanicAverage, bool HasData)
{
    /// <summary>Nothing recorded within the stable window: the decider makes no decision.</summary>
    public static MetricSnapshot NoData => default;

    /// <summary>Both averages, with data.</summary>
    public static MetricSnapshot Of(double stableAverage, double panicAverage) => new(stableAverage, panicAverage, true);
}
