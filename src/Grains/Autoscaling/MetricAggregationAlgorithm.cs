namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// How <see cref="MetricWindow"/> averages its 1 s buckets (annotation
/// <c>autoscaling.knative.dev/metric-aggregation-algorithm</c>).
/// </summary>
[GenerateSerializer, Alias("kn.MetricAggregationAlgorithm")]
public enum MetricAggregationAlgorithm
{
    /// <summary><c>linear</c> (default): the plain mean of the buckets from the first to the last write.</summary>
    Linear = 0,

    /// <summary>
    /// <c>weighted-exponential</c>: newer buckets weigh more; the weights decay so that they add up to 99.99% over the window
    /// (at least 0.2 per bucket).
    /// </summary>
    WeightedExponential = 1,
}
