using System.Globalization;

using Knative.Orleans.Grains.Autoscaling;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary><see cref="DeciderSpecBuilder"/>: target resolution (notes 2.3) and annotation overrides (notes 2.1).</summary>
public sealed class DeciderSpecBuilderTests
{
    private const string Group = "autoscaling.knative.dev/";

    [Theory]
    // annotations ("key=value;..."), containerConcurrency, TargetValue, TotalValue
    [InlineData("", 0, 70, 100)]
    [InlineData("", 10, 7, 10)]
    [InlineData("", 1, 0.7, 1)]
    [InlineData("target=50", 0, 35, 50)]
    // The target never exceeds containerConcurrency.
    [InlineData("target=50", 10, 7, 10)]
    [InlineData("target=50", 100, 35, 50)]
    [InlineData("metric=rps", 0, 140, 200)]
    // rps ignores containerConcurrency.
    [InlineData("metric=rps;target=150", 10, 105, 150)]
    [InlineData("target-utilization-percentage=50", 0, 50, 100)]
    [InlineData("targetUtilizationPercentage=50", 10, 5, 10)]
    [InlineData("metric=rps;target-utilization-percentage=100", 0, 200, 200)]
    // TargetValue never goes below 0.01.
    [InlineData("target=0.01;target-utilization-percentage=1", 0, 0.01, 0.01)]
    // Unparsable values fall back to the config.
    [InlineData("target=abc;target-utilization-percentage=0", 0, 70, 100)]
    public void ResolvesTargetAndTotal(string annotations, long containerConcurrency, double target, double total)
    {
        var spec = DeciderSpecBuilder.Build(AutoscalerConfig.Default, Parse(annotations), containerConcurrency);

        Assert.Equal((target, total), (Math.Round(spec.TargetValue, 9), spec.TotalValue));
    }

    [Fact]
    public void ConfigTargetPercentageAppliesToContainerConcurrency()
    {
        var config = AutoscalerConfig.Default with { ContainerConcurrencyTargetFraction = 0.5 };

        Assert.Equal(5, DeciderSpecBuilder.Build(config, null, 10).TargetValue);
    }

    [Theory]
    // annotation (key=value), property, expected value (invariant ToString)
    [InlineData("", nameof(DeciderSpec.Class), "kpa.autoscaling.knative.dev")]
    [InlineData("class=hpa.autoscaling.knative.dev", nameof(DeciderSpec.Class), "hpa.autoscaling.knative.dev")]
    [InlineData("class=other", nameof(DeciderSpec.Class), "kpa.autoscaling.knative.dev")]
    [InlineData("metric=rps", nameof(DeciderSpec.ScalingMetric), "Rps")]
    [InlineData("metric=cpu", nameof(DeciderSpec.ScalingMetric), "Concurrency")]
    [InlineData("", nameof(DeciderSpec.TargetBurstCapacity), "211")]
    [InlineData("target-burst-capacity=-1", nameof(DeciderSpec.TargetBurstCapacity), "-1")]
    [InlineData("targetBurstCapacity=0", nameof(DeciderSpec.TargetBurstCapacity), "0")]
    [InlineData("target-burst-capacity=-2", nameof(DeciderSpec.TargetBurstCapacity), "211")]
    [InlineData("min-scale=2", nameof(DeciderSpec.MinScale), "2")]
    [InlineData("minScale=3", nameof(DeciderSpec.MinScale), "3")]
    [InlineData("min-scale=2;minScale=3", nameof(DeciderSpec.MinScale), "2")]
    [InlineData("max-scale=5", nameof(DeciderSpec.MaxScale), "5")]
    [InlineData("maxScale=x", nameof(DeciderSpec.MaxScale), "0")]
    [InlineData("initial-scale=3", nameof(DeciderSpec.InitialScale), "3")]
    [InlineData("initialScale=0", nameof(DeciderSpec.InitialScale), "1")]
    [InlineData("", nameof(DeciderSpec.ActivationScale), "1")]
    [InlineData("activation-scale=3", nameof(DeciderSpec.ActivationScale), "3")]
    [InlineData("activation-scale=0", nameof(DeciderSpec.ActivationScale), "1")]
    [InlineData("scale-down-delay=30s", nameof(DeciderSpec.ScaleDownDelay), "00:00:30")]
    [InlineData("scaleDownDelay=1m", nameof(DeciderSpec.ScaleDownDelay), "00:01:00")]
    [InlineData("scale-down-delay=1.5s", nameof(DeciderSpec.ScaleDownDelay), "00:00:00")]
    [InlineData("window=2m", nameof(DeciderSpec.StableWindow), "00:02:00")]
    [InlineData("window=3s", nameof(DeciderSpec.StableWindow), "00:01:00")]
    [InlineData("", nameof(DeciderSpec.PanicWindow), "00:00:06")]
    [InlineData("window=2m", nameof(DeciderSpec.PanicWindow), "00:00:12")]
    [InlineData("panic-window-percentage=20", nameof(DeciderSpec.PanicWindow), "00:00:12")]
    [InlineData("panicWindowPercentage=100", nameof(DeciderSpec.PanicWindow), "00:01:00")]
    [InlineData("", nameof(DeciderSpec.PanicThreshold), "2")]
    [InlineData("panic-threshold-percentage=150", nameof(DeciderSpec.PanicThreshold), "1.5")]
    [InlineData("panicThresholdPercentage=100", nameof(DeciderSpec.PanicThreshold), "2")]
    [InlineData("scale-to-zero-pod-retention-period=1m5s", nameof(DeciderSpec.ScaleToZeroPodRetentionPeriod), "00:01:05")]
    [InlineData("scaleToZeroPodRetentionPeriod=10s", nameof(DeciderSpec.ScaleToZeroPodRetentionPeriod), "00:00:10")]
    [InlineData("", nameof(DeciderSpec.AggregationAlgorithm), "Linear")]
    [InlineData("metric-aggregation-algorithm=weighted-exponential", nameof(DeciderSpec.AggregationAlgorithm), "WeightedExponential")]
    [InlineData("metricAggregationAlgorithm=weightedExponential", nameof(DeciderSpec.AggregationAlgorithm), "WeightedExponential")]
    public void AnnotationsOverrideTheConfig(string annotations, string property, string expected)
    {
        var spec = DeciderSpecBuilder.Build(AutoscalerConfig.Default, Parse(annotations), 0);

        var value = typeof(DeciderSpec).GetProperty(property)!.GetValue(spec);
        Assert.Equal(expected, Convert.ToString(value, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(false, "initial-scale=0", 1)]
    [InlineData(true, "initial-scale=0", 0)]
    [InlineData(true, "", 0)]
    public void ZeroInitialScaleNeedsAllowZeroInitialScale(bool allowZero, string annotations, int expected)
    {
        var config = AutoscalerConfig.Default with { AllowZeroInitialScale = allowZero, InitialScale = allowZero ? 0 : 1 };

        Assert.Equal(expected, DeciderSpecBuilder.Build(config, Parse(annotations), 0).InitialScale);
    }

    [Fact]
    public void WithoutAnnotationsEverythingComesFromTheConfig()
    {
        var config = AutoscalerConfig.Default with
        {
            TargetBurstCapacity = 0,
            StableWindow = TimeSpan.FromSeconds(30),
            PanicWindowPercentage = 20,
            PanicThresholdPercentage = 300,
            MaxScaleUpRate = 10,
            MaxScaleDownRate = 4,
            EnableScaleToZero = false,
            ScaleToZeroPodRetentionPeriod = TimeSpan.FromSeconds(5),
            ScaleDownDelay = TimeSpan.FromSeconds(10),
            InitialScale = 2,
            MinScale = 1,
            MaxScale = 9,
            ActivatorCapacity = 50,
        };

        var expected = new DeciderSpec
        {
            TargetBurstCapacity = 0,
            StableWindow = TimeSpan.FromSeconds(30),
            PanicWindow = TimeSpan.FromSeconds(6),
            PanicThreshold = 3,
            MaxScaleUpRate = 10,
            MaxScaleDownRate = 4,
            EnableScaleToZero = false,
            ScaleToZeroPodRetentionPeriod = TimeSpan.FromSeconds(5),
            ScaleDownDelay = TimeSpan.FromSeconds(10),
            InitialScale = 2,
            MinScale = 1,
            MaxScale = 9,
            ActivatorCapacity = 50,
        };
        Assert.Equal(expected, DeciderSpecBuilder.Build(config, new Dictionary<string, string>(), 0));
        Assert.Equal(DeciderSpec.Default, DeciderSpecBuilder.Build(AutoscalerConfig.Default, null, 0));
    }

    [Theory]
    // stable window (s), panic-window-percentage, panic window (s): rounded half away from zero, at least 1 s.
    [InlineData(60, 10, 6)]
    [InlineData(61, 10, 6)]
    [InlineData(65, 10, 7)]
    [InlineData(6, 1, 1)]
    [InlineData(3600, 100, 3600)]
    public void PanicWindowIsARoundedShareOfTheStableWindow(int stableSeconds, double percentage, int panicSeconds)
    {
        Assert.Equal(
            TimeSpan.FromSeconds(panicSeconds),
            DeciderSpecBuilder.PanicWindow(TimeSpan.FromSeconds(stableSeconds), percentage));
    }

    private static Dictionary<string, string> Parse(string annotations) =>
        annotations.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(kv => Group + kv[0], kv => kv[1]);
}
