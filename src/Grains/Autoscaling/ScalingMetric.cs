namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>The metric the KPA scales on (annotation <c>autoscaling.knative.dev/metric</c>).</summary>
[GenerateSerializer, Alias("kn.ScalingMetric")]
public enum ScalingMetric
{
    /// <summary><c>concurrency</c> (default): requests in flight.</summary>
    Concurrency = 0,

    /// <summary><c>rps</c>: requests per second.</summary>
    Rps = 1,
}
