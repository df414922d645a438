using System.Globalization;

using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// Reads <see cref="AutoscalerConfig"/> from <c>Autoscaler:&lt;key&gt;</c> values and validates them with Knative's rules
/// (knative/serving pkg/autoscaler/config/config.go). Every error names the key, the value and the allowed range.
/// </summary>
public static class AutoscalerConfigParser
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Autoscaler";

    private static readonly TimeSpan WindowMin = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan WindowMax = TimeSpan.FromHours(1);

    /// <summary>Knative's <c>autoscaling.TargetMin</c>: the smallest target per instance.</summary>
    private const double TargetMin = 0.01;

    /// <summary>Every key Knative's config-autoscaler knows.</summary>
    public static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "container-concurrency-target-percentage", "container-concurrency-target-default", "requests-per-second-target-default",
        "target-burst-capacity", "stable-window", "panic-window-percentage", "panic-threshold-percentage", "max-scale-up-rate",
        "max-scale-down-rate", "enable-scale-to-zero", "scale-to-zero-grace-period", "scale-to-zero-pod-retention-period",
        "scale-down-delay", "activator-capacity", "initial-scale", "allow-zero-initial-scale", "min-scale", "max-scale",
        "max-scale-limit", "pod-autoscaler-class",
    };

    /// <summary>Parses and validates; returns the config and every error (empty when valid).</summary>
    public static (AutoscalerConfig Config, IReadOnlyList<string> Errors) Parse(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var errors = new List<string>();
        var map = ConfigMapValues.Collect(values, Section, "config-autoscaler", Keys, errors);

        var d = AutoscalerConfig.Default;
        var reader = new Reader(map, errors);
        var fraction = reader.Double("container-concurrency-target-percentage", d.ContainerConcurrencyTargetFraction * 100);
        var config = new AutoscalerConfig
        {
            // Knative reads a value <= 1.0 as a fraction already (0.7 == 70%).
            ContainerConcurrencyTargetFraction = fraction <= 1.0 ? fraction : fraction / 100,
            ContainerConcurrencyTargetDefault = reader.Double("container-concurrency-target-default", d.ContainerConcurrencyTargetDefault),
            RpsTargetDefault = reader.Double("requests-per-second-target-default", d.RpsTargetDefault),
            TargetBurstCapacity = reader.Double("target-burst-capacity", d.TargetBurstCapacity),
            StableWindow = reader.Duration("stable-window", d.StableWindow),
            PanicWindowPercentage = reader.Double("panic-window-percentage", d.PanicWindowPercentage),
            PanicThresholdPercentage = reader.Double("panic-threshold-percentage", d.PanicThresholdPercentage),
            MaxScaleUpRate = reader.Double("max-scale-up-rate", d.MaxScaleUpRate),
            MaxScaleDownRate = reader.Double("max-scale-down-rate", d.MaxScaleDownRate),
            EnableScaleToZero = reader.Bool("enable-scale-to-zero", d.EnableScaleToZero),
            ScaleToZeroGracePeriod = reader.Duration("scale-to-zero-grace-period", d.ScaleToZeroGracePeriod),
            ScaleToZeroPodRetentionPeriod = reader.Duration("scale-to-zero-pod-retention-period", d.ScaleToZeroPodRetentionPeriod),
            ScaleDownDelay = reader.Duration("scale-down-delay", d.ScaleDownDelay),
            ActivatorCapacity = reader.Double("activator-capacity", d.ActivatorCapacity),
            InitialScale = reader.Int("initial-scale", d.InitialScale),
            AllowZeroInitialScale = reader.Bool("allow-zero-initial-scale", d.AllowZeroInitialScale),
            MinScale = reader.Int("min-scale", d.MinScale),
            MaxScale = reader.Int("max-scale", d.MaxScale),
            MaxScaleLimit = reader.Int("max-scale-limit", d.MaxScaleLimit),
            PodAutoscalerClass = map.GetValueOrDefault("pod-autoscaler-class", d.PodAutoscalerClass),
        };
        Validate(config, errors);
        return (config, errors);
    }

    /// <summary>Knative's checks and messages in Knative's order (config.go <c>validate</c>), then our own for min-scale,
    /// panic-threshold-percentage and pod-autoscaler-class, which Knative does not check.</summary>
    private static void Validate(AutoscalerConfig c, List<string> errors)
    {
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add($"{Section}:{message}");
            }
        }

        static string D(TimeSpan value) => GoDuration.Format(value);
        static string V(double value) => GoFloat.FormatV(value);
        var inv = CultureInfo.InvariantCulture;

        Check(c.ScaleToZeroGracePeriod > TimeSpan.Zero, $"scale-to-zero-grace-period must be positive, was: {D(c.ScaleToZeroGracePeriod)}");
        Check(c.ScaleDownDelay >= TimeSpan.Zero, $"scale-down-delay cannot be negative, was: {D(c.ScaleDownDelay)}");
        Check(c.ScaleDownDelay.Ticks % TimeSpan.TicksPerSecond == 0,
            $"scale-down-delay = {D(c.ScaleDownDelay)}, must be specified with at most second precision");
        Check(c.ScaleToZeroPodRetentionPeriod >= TimeSpan.Zero,
            $"scale-to-zero-pod-retention-period cannot be negative, was: {D(c.ScaleToZeroPodRetentionPeriod)}");
        Check(c.TargetBurstCapacity >= 0 || c.TargetBurstCapacity == -1,
            $"target-burst-capacity must be either non-negative or -1 (for unlimited), was: {GoFloat.FormatF(c.TargetBurstCapacity)}");

        // Knative prints the fraction here (150 → 1.500000), not the percentage that was written.
        Check(c.ContainerConcurrencyTargetFraction is > 0 and <= 1,
            $"container-concurrency-target-percentage = {GoFloat.FormatF(c.ContainerConcurrencyTargetFraction)} is outside of valid range of (0, 100]");
        var target = c.ContainerConcurrencyTargetFraction * c.ContainerConcurrencyTargetDefault;
        Check(target >= TargetMin,
            $"container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of {V(target)}, can't be less than {V(TargetMin)}");
        Check(c.RpsTargetDefault >= TargetMin, $"requests-per-second-target-default must be at least {V(TargetMin)}, was: {V(c.RpsTargetDefault)}");
        Check(c.ActivatorCapacity >= 1, $"activator-capacity = {V(c.ActivatorCapacity)}, must be at least 1");
        Check(c.MaxScaleUpRate > 1, $"max-scale-up-rate = {V(c.MaxScaleUpRate)}, must be greater than 1.0");
        Check(c.MaxScaleDownRate > 1, $"max-scale-down-rate = {V(c.MaxScaleDownRate)}, must be greater than 1.0");
        Check(c.StableWindow >= WindowMin && c.StableWindow <= WindowMax,
            $"stable-window = {D(c.StableWindow)}, must be in [{D(WindowMin)}; {D(WindowMax)}] range");
        Check(c.StableWindow.Ticks % TimeSpan.TicksPerSecond == 0,
            $"stable-window = {D(c.StableWindow)}, must be specified with at most second precision");
        Check(c.PanicWindowPercentage is >= 1 and <= 100,
            $"panic-window-percentage = {V(c.PanicWindowPercentage)}, must be in [1, 100] interval");
        Check(c.InitialScale > 0 || (c.InitialScale == 0 && c.AllowZeroInitialScale),
            string.Create(inv, $"initial-scale = {c.InitialScale}, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)"));

        // With a max-scale-limit, max-scale 0 (unlimited) is out of range too.
        var minMaxScale = c.MaxScaleLimit > 0 ? 1 : 0;
        Check(c.MaxScale >= minMaxScale && (c.MaxScaleLimit <= 0 || c.MaxScale <= c.MaxScaleLimit),
            string.Create(inv, $"max-scale = {c.MaxScale}, must be in [{minMaxScale}, max-scale-limit({c.MaxScaleLimit})] range"));
        Check(c.MaxScaleLimit >= 0, string.Create(inv, $"max-scale-limit = {c.MaxScaleLimit}, must be at least 0"));

        Check(c.PanicThresholdPercentage >= 110, $"panic-threshold-percentage = {V(c.PanicThresholdPercentage)}, must be at least 110");
        Check(c.MinScale >= 0 && (c.MaxScale <= 0 || c.MinScale <= c.MaxScale),
            string.Create(inv, $"min-scale = {c.MinScale}, must be in [0, max-scale] range"));
        Check(c.PodAutoscalerClass is "kpa.autoscaling.knative.dev" or "hpa.autoscaling.knative.dev",
            $"pod-autoscaler-class = {c.PodAutoscalerClass}, must be kpa.autoscaling.knative.dev or hpa.autoscaling.knative.dev");
    }

    private sealed class Reader(Dictionary<string, string> map, List<string> errors)
    {
        public double Double(string key, double fallback)
        {
            if (!map.TryGetValue(key, out var s))
            {
                return fallback;
            }

            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
            {
                return v;
            }

            errors.Add($"{Section}:{key} = {s}, must be a number");
            return fallback;
        }

        public int Int(string key, int fallback)
        {
            if (!map.TryGetValue(key, out var s))
            {
                return fallback;
            }

            if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            {
                return v;
            }

            errors.Add($"{Section}:{key} = {s}, must be an integer");
            return fallback;
        }

        public bool Bool(string key, bool fallback)
        {
            if (!map.TryGetValue(key, out var s))
            {
                return fallback;
            }

            // Go's strconv.ParseBool spellings, which Knative accepts.
            switch (s)
            {
                case "1" or "t" or "T" or "TRUE" or "true" or "True":
                    return true;
                case "0" or "f" or "F" or "FALSE" or "false" or "False":
                    return false;
            }

            errors.Add($"{Section}:{key} = {s}, must be true or false");
            return fallback;
        }

        public TimeSpan Duration(string key, TimeSpan fallback)
        {
            if (!map.TryGetValue(key, out var s))
            {
                return fallback;
            }

            if (GoDuration.TryParseTimeSpan(s, out var v))
            {
                return v;
            }

            errors.Add($"{Section}:{key} = {s}, must be a duration such as 30s, 1m or 1h0m0s");
            return fallback;
        }
    }
}
