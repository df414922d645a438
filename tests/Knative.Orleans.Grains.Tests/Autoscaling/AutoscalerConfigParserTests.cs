using Knative.Orleans.Grains.Autoscaling;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>
/// AutoscalerConfigParser against knative/serving pkg/autoscaler/config/config.go: Knative's defaults (target-burst-capacity
/// 211 by our rule), every key, and Knative's validation messages after the <c>Autoscaler:</c> prefix.
/// </summary>
public sealed class AutoscalerConfigParserTests
{
    private const string KnownKeys =
        "activator-capacity, allow-zero-initial-scale, container-concurrency-target-default, container-concurrency-target-percentage, "
        + "enable-scale-to-zero, initial-scale, max-scale, max-scale-down-rate, max-scale-limit, max-scale-up-rate, min-scale, "
        + "panic-threshold-percentage, panic-window-percentage, pod-autoscaler-class, requests-per-second-target-default, "
        + "scale-down-delay, scale-to-zero-grace-period, scale-to-zero-pod-retention-period, stable-window, target-burst-capacity";

    /// <summary>Each config-autoscaler key and the property it sets.</summary>
    private static readonly Dictionary<string, Func<AutoscalerConfig, object>> Property = new()
    {
        ["container-concurrency-target-percentage"] = c => c.ContainerConcurrencyTargetFraction,
        ["container-concurrency-target-default"] = c => c.ContainerConcurrencyTargetDefault,
        ["requests-per-second-target-default"] = c => c.RpsTargetDefault,
        ["target-burst-capacity"] = c => c.TargetBurstCapacity,
        ["stable-window"] = c => c.StableWindow,
        ["panic-window-percentage"] = c => c.PanicWindowPercentage,
        ["panic-threshold-percentage"] = c => c.PanicThresholdPercentage,
        ["max-scale-up-rate"] = c => c.MaxScaleUpRate,
        ["max-scale-down-rate"] = c => c.MaxScaleDownRate,
        ["enable-scale-to-zero"] = c => c.EnableScaleToZero,
        ["scale-to-zero-grace-period"] = c => c.ScaleToZeroGracePeriod,
        ["scale-to-zero-pod-retention-period"] = c => c.ScaleToZeroPodRetentionPeriod,
        ["scale-down-delay"] = c => c.ScaleDownDelay,
        ["activator-capacity"] = c => c.ActivatorCapacity,
        ["initial-scale"] = c => c.InitialScale,
        ["allow-zero-initial-scale"] = c => c.AllowZeroInitialScale,
        ["min-scale"] = c => c.MinScale,
        ["max-scale"] = c => c.MaxScale,
        ["max-scale-limit"] = c => c.MaxScaleLimit,
        ["pod-autoscaler-class"] = c => c.PodAutoscalerClass,
    };

    private static (AutoscalerConfig Config, IReadOnlyList<string> Errors) Parse(params (string Key, string? Value)[] values) =>
        AutoscalerConfigParser.Parse(values.Select(v => KeyValuePair.Create(v.Key, v.Value)));

    [Fact]
    public void The_table_covers_every_key()
    {
        Assert.Equal(AutoscalerConfigParser.Keys.Order(StringComparer.Ordinal), Property.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(20, AutoscalerConfigParser.Keys.Count);
    }

    public static TheoryData<string, object> KnativeDefaults => new()
    {
        { "container-concurrency-target-percentage", 0.7 },
        { "container-concurrency-target-default", 100.0 },
        { "requests-per-second-target-default", 200.0 },
        { "target-burst-capacity", 211.0 }, // our rule; the knative.dev docs still say 200
        { "stable-window", TimeSpan.FromSeconds(60) },
        { "panic-window-percentage", 10.0 },
        { "panic-threshold-percentage", 200.0 },
        { "max-scale-up-rate", 1000.0 },
        { "max-scale-down-rate", 2.0 },
        { "enable-scale-to-zero", true },
        { "scale-to-zero-grace-period", TimeSpan.FromSeconds(30) },
        { "scale-to-zero-pod-retention-period", TimeSpan.Zero },
        { "scale-down-delay", TimeSpan.Zero },
        { "activator-capacity", 100.0 },
        { "initial-scale", 1 },
        { "allow-zero-initial-scale", false },
        { "min-scale", 0 },
        { "max-scale", 0 },
        { "max-scale-limit", 0 },
        { "pod-autoscaler-class", "kpa.autoscaling.knative.dev" },
    };

    [Theory]
    [MemberData(nameof(KnativeDefaults))]
    public void Defaults_are_Knatives(string key, object expected)
    {
        var (config, errors) = Parse();

        Assert.Empty(errors);
        Assert.Equal(expected, Property[key](config));
        Assert.Equal(expected, Property[key](AutoscalerConfig.Default));
    }

    [Fact]
    public void Every_key_written_with_its_default_gives_the_defaults()
    {
        // As deploy/local/appsettings.Local.json and Knative's config-autoscaler _example list them.
        var (config, errors) = Parse(
            ("container-concurrency-target-percentage", "70"), ("container-concurrency-target-default", "100"),
            ("requests-per-second-target-default", "200"), ("target-burst-capacity", "211"), ("stable-window", "60s"),
            ("panic-window-percentage", "10"), ("panic-threshold-percentage", "200"), ("max-scale-up-rate", "1000"),
            ("max-scale-down-rate", "2"), ("enable-scale-to-zero", "true"), ("scale-to-zero-grace-period", "30s"),
            ("scale-to-zero-pod-retention-period", "0s"), ("scale-down-delay", "0s"), ("activator-capacity", "100"),
            ("initial-scale", "1"), ("allow-zero-initial-scale", "false"), ("min-scale", "0"), ("max-scale", "0"),
            ("max-scale-limit", "0"), ("pod-autoscaler-class", "kpa.autoscaling.knative.dev"));

        Assert.Empty(errors);
        Assert.Equal(AutoscalerConfig.Default, config);
    }

    public static TheoryData<string, string, object> Values => new()
    {
        { "container-concurrency-target-percentage", "80", 0.8 },
        { "container-concurrency-target-percentage", "100", 1.0 },
        { "container-concurrency-target-percentage", "1.5", 0.015 }, // > 1.0 is a percentage
        { "container-concurrency-target-percentage", "0.8", 0.8 }, // <= 1.0 is already a fraction
        { "container-concurrency-target-percentage", "1.0", 1.0 },
        { "container-concurrency-target-percentage", "1", 1.0 }, // 1 is 100%, not 1%
        { "container-concurrency-target-percentage", "0.01", 0.01 },
        { "container-concurrency-target-default", "50", 50.0 },
        { "container-concurrency-target-default", "0.5", 0.5 },
        { "requests-per-second-target-default", "150.5", 150.5 },
        { "target-burst-capacity", "-1", -1.0 },
        { "target-burst-capacity", "0", 0.0 },
        { "target-burst-capacity", "300", 300.0 },
        { "target-burst-capacity", "1e3", 1000.0 },
        { "stable-window", "60s", TimeSpan.FromSeconds(60) },
        { "stable-window", "1m30s", TimeSpan.FromSeconds(90) },
        { "stable-window", "1h0m0s", TimeSpan.FromHours(1) },
        { "stable-window", "6s", TimeSpan.FromSeconds(6) },
        { "stable-window", "1h", TimeSpan.FromHours(1) },
        { "panic-window-percentage", "20", 20.0 },
        { "panic-window-percentage", "1", 1.0 },
        { "panic-window-percentage", "100", 100.0 },
        { "panic-threshold-percentage", "110", 110.0 },
        { "panic-threshold-percentage", "1000", 1000.0 },
        { "max-scale-up-rate", "10", 10.0 },
        { "max-scale-up-rate", "1.01", 1.01 },
        { "max-scale-down-rate", "4", 4.0 },
        { "enable-scale-to-zero", "false", false },
        { "enable-scale-to-zero", "False", false },
        { "enable-scale-to-zero", "FALSE", false },
        { "enable-scale-to-zero", "0", false },
        { "enable-scale-to-zero", "f", false },
        { "enable-scale-to-zero", "true", true },
        { "enable-scale-to-zero", "True", true },
        { "enable-scale-to-zero", "1", true },
        { "enable-scale-to-zero", "T", true },
        { "scale-to-zero-grace-period", "45s", TimeSpan.FromSeconds(45) },
        { "scale-to-zero-grace-period", "1m", TimeSpan.FromMinutes(1) },
        { "scale-to-zero-grace-period", "500ms", TimeSpan.FromMilliseconds(500) },
        { "scale-to-zero-pod-retention-period", "1m30s", TimeSpan.FromSeconds(90) },
        { "scale-down-delay", "15m", TimeSpan.FromMinutes(15) },
        { "scale-down-delay", "1h0m0s", TimeSpan.FromHours(1) },
        { "activator-capacity", "200", 200.0 },
        { "activator-capacity", "1", 1.0 },
        { "initial-scale", "3", 3 },
        { "initial-scale", "+3", 3 },
        { "allow-zero-initial-scale", "true", true },
        { "min-scale", "2", 2 },
        { "max-scale", "10", 10 },
        { "max-scale-limit", "0", 0 }, // a positive limit needs a max-scale as well: see below
        { "pod-autoscaler-class", "hpa.autoscaling.knative.dev", "hpa.autoscaling.knative.dev" },
        { "Stable-Window", "2m", TimeSpan.FromMinutes(2) }, // configuration keys are case-insensitive
        { "stable-window", " 2m ", TimeSpan.FromMinutes(2) }, // values are trimmed
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Parses_each_key(string key, string value, object expected)
    {
        var (config, errors) = Parse((key, value));

        Assert.Empty(errors);
        Assert.Equal(expected, Property[key.ToLowerInvariant()](config));
        var others = Property.Where(p => !p.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
        Assert.All(others, p => Assert.Equal(p.Value(AutoscalerConfig.Default), p.Value(config)));
    }

    [Fact]
    public void A_null_value_is_no_value()
    {
        var (config, errors) = Parse(("stable-window", null), ("unknown-key", null));

        Assert.Empty(errors);
        Assert.Equal(AutoscalerConfig.Default, config);
    }

    [Fact]
    public void Initial_scale_zero_is_allowed_only_with_allow_zero_initial_scale()
    {
        var (config, errors) = Parse(("initial-scale", "0"), ("allow-zero-initial-scale", "true"));

        Assert.Empty(errors);
        Assert.Equal((0, true), (config.InitialScale, config.AllowZeroInitialScale));
    }

    [Fact]
    public void Max_scale_limit_with_a_max_scale_within_it()
    {
        var (config, errors) = Parse(("max-scale-limit", "100"), ("max-scale", "100"), ("min-scale", "100"));

        Assert.Empty(errors);
        Assert.Equal((100, 100, 100), (config.MaxScaleLimit, config.MaxScale, config.MinScale));
    }

    public static TheoryData<(string Key, string Value)[], string[]> Invalid => new()
    {
        // knative/serving pkg/autoscaler/config/config.go validate(), message for message
        { [("stable-window", "3s")], ["Autoscaler:stable-window = 3s, must be in [6s; 1h0m0s] range"] },
        { [("stable-window", "5.999s")], ["Autoscaler:stable-window = 5.999s, must be in [6s; 1h0m0s] range", "Autoscaler:stable-window = 5.999s, must be specified with at most second precision"] },
        { [("stable-window", "1h0m1s")], ["Autoscaler:stable-window = 1h0m1s, must be in [6s; 1h0m0s] range"] },
        { [("stable-window", "61m")], ["Autoscaler:stable-window = 1h1m0s, must be in [6s; 1h0m0s] range"] },
        { [("stable-window", "6.5s")], ["Autoscaler:stable-window = 6.5s, must be specified with at most second precision"] },
        { [("max-scale-up-rate", "1")], ["Autoscaler:max-scale-up-rate = 1, must be greater than 1.0"] },
        { [("max-scale-up-rate", "0.5")], ["Autoscaler:max-scale-up-rate = 0.5, must be greater than 1.0"] },
        { [("max-scale-up-rate", "0.00001")], ["Autoscaler:max-scale-up-rate = 1e-05, must be greater than 1.0"] }, // Go's %v
        { [("max-scale-up-rate", "-3")], ["Autoscaler:max-scale-up-rate = -3, must be greater than 1.0"] },
        { [("max-scale-down-rate", "1")], ["Autoscaler:max-scale-down-rate = 1, must be greater than 1.0"] },
        { [("max-scale-down-rate", "0.25")], ["Autoscaler:max-scale-down-rate = 0.25, must be greater than 1.0"] },
        { [("target-burst-capacity", "-2")], ["Autoscaler:target-burst-capacity must be either non-negative or -1 (for unlimited), was: -2.000000"] }, // Go's %f
        { [("target-burst-capacity", "-0.5")], ["Autoscaler:target-burst-capacity must be either non-negative or -1 (for unlimited), was: -0.500000"] },
        { [("target-burst-capacity", "-1.5")], ["Autoscaler:target-burst-capacity must be either non-negative or -1 (for unlimited), was: -1.500000"] },
        {
            [("container-concurrency-target-percentage", "150")],
            ["Autoscaler:container-concurrency-target-percentage = 1.500000 is outside of valid range of (0, 100]"]
        },
        {
            [("container-concurrency-target-percentage", "0")],
            [
                "Autoscaler:container-concurrency-target-percentage = 0.000000 is outside of valid range of (0, 100]",
                "Autoscaler:container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of 0, can't be less than 0.01",
            ]
        },
        {
            [("container-concurrency-target-percentage", "-10")],
            [
                "Autoscaler:container-concurrency-target-percentage = -10.000000 is outside of valid range of (0, 100]",
                "Autoscaler:container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of -1000, can't be less than 0.01",
            ]
        },
        {
            [("container-concurrency-target-percentage", "50"), ("container-concurrency-target-default", "0.01")],
            ["Autoscaler:container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of 0.005, can't be less than 0.01"]
        },
        {
            [("container-concurrency-target-percentage", "1.0"), ("container-concurrency-target-default", "0")],
            ["Autoscaler:container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of 0, can't be less than 0.01"]
        },
        { [("requests-per-second-target-default", "0.001")], ["Autoscaler:requests-per-second-target-default must be at least 0.01, was: 0.001"] },
        { [("requests-per-second-target-default", "0")], ["Autoscaler:requests-per-second-target-default must be at least 0.01, was: 0"] },
        { [("activator-capacity", "0.5")], ["Autoscaler:activator-capacity = 0.5, must be at least 1"] },
        { [("activator-capacity", "0")], ["Autoscaler:activator-capacity = 0, must be at least 1"] },
        { [("panic-window-percentage", "0.5")], ["Autoscaler:panic-window-percentage = 0.5, must be in [1, 100] interval"] },
        { [("panic-window-percentage", "101")], ["Autoscaler:panic-window-percentage = 101, must be in [1, 100] interval"] },
        { [("panic-window-percentage", "1000000")], ["Autoscaler:panic-window-percentage = 1e+06, must be in [1, 100] interval"] },
        { [("scale-to-zero-grace-period", "0s")], ["Autoscaler:scale-to-zero-grace-period must be positive, was: 0s"] },
        { [("scale-to-zero-grace-period", "-5s")], ["Autoscaler:scale-to-zero-grace-period must be positive, was: -5s"] },
        { [("scale-to-zero-pod-retention-period", "-1s")], ["Autoscaler:scale-to-zero-pod-retention-period cannot be negative, was: -1s"] },
        { [("scale-down-delay", "-1m")], ["Autoscaler:scale-down-delay cannot be negative, was: -1m0s"] },
        { [("scale-down-delay", "1.5s")], ["Autoscaler:scale-down-delay = 1.5s, must be specified with at most second precision"] },
        { [("scale-down-delay", "500ms")], ["Autoscaler:scale-down-delay = 500ms, must be specified with at most second precision"] },
        {
            [("scale-down-delay", "-1.5s")],
            ["Autoscaler:scale-down-delay cannot be negative, was: -1.5s", "Autoscaler:scale-down-delay = -1.5s, must be specified with at most second precision"]
        },
        { [("initial-scale", "0")], ["Autoscaler:initial-scale = 0, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)"] },
        { [("initial-scale", "0"), ("allow-zero-initial-scale", "false")], ["Autoscaler:initial-scale = 0, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)"] },
        { [("initial-scale", "-1")], ["Autoscaler:initial-scale = -1, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)"] },
        { [("initial-scale", "-1"), ("allow-zero-initial-scale", "true")], ["Autoscaler:initial-scale = -1, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)"] },
        { [("max-scale", "-1")], ["Autoscaler:max-scale = -1, must be in [0, max-scale-limit(0)] range"] },
        { [("max-scale-limit", "10")], ["Autoscaler:max-scale = 0, must be in [1, max-scale-limit(10)] range"] }, // unlimited exceeds the limit
        { [("max-scale-limit", "10"), ("max-scale", "11")], ["Autoscaler:max-scale = 11, must be in [1, max-scale-limit(10)] range"] },
        { [("max-scale-limit", "-1")], ["Autoscaler:max-scale-limit = -1, must be at least 0"] },
        // Our checks, where Knative's config-autoscaler has none.
        { [("panic-threshold-percentage", "109")], ["Autoscaler:panic-threshold-percentage = 109, must be at least 110"] },
        { [("min-scale", "-1")], ["Autoscaler:min-scale = -1, must be in [0, max-scale] range"] },
        { [("min-scale", "5"), ("max-scale", "3")], ["Autoscaler:min-scale = 5, must be in [0, max-scale] range"] },
        { [("pod-autoscaler-class", "foo")], ["Autoscaler:pod-autoscaler-class = foo, must be kpa.autoscaling.knative.dev or hpa.autoscaling.knative.dev"] },
        { [("stable-windows", "60s")], [$"Autoscaler:stable-windows is not a config-autoscaler key (known keys: {KnownKeys})"] },
        // Values that do not parse: the default is kept and only the parse error is reported.
        { [("max-scale-up-rate", "fast")], ["Autoscaler:max-scale-up-rate = fast, must be a number"] },
        { [("max-scale-up-rate", "")], ["Autoscaler:max-scale-up-rate = , must be a number"] },
        { [("target-burst-capacity", "NaN")], ["Autoscaler:target-burst-capacity = NaN, must be a number"] },
        { [("activator-capacity", "Infinity")], ["Autoscaler:activator-capacity = Infinity, must be a number"] },
        { [("container-concurrency-target-percentage", "70%")], ["Autoscaler:container-concurrency-target-percentage = 70%, must be a number"] },
        { [("min-scale", "1.5")], ["Autoscaler:min-scale = 1.5, must be an integer"] },
        { [("initial-scale", "3000000000")], ["Autoscaler:initial-scale = 3000000000, must be an integer"] },
        { [("enable-scale-to-zero", "yes")], ["Autoscaler:enable-scale-to-zero = yes, must be true or false"] },
        { [("allow-zero-initial-scale", "tRuE")], ["Autoscaler:allow-zero-initial-scale = tRuE, must be true or false"] },
        { [("stable-window", "60")], ["Autoscaler:stable-window = 60, must be a duration such as 30s, 1m or 1h0m0s"] },
        { [("stable-window", "1d")], ["Autoscaler:stable-window = 1d, must be a duration such as 30s, 1m or 1h0m0s"] },
        { [("scale-down-delay", "5 s")], ["Autoscaler:scale-down-delay = 5 s, must be a duration such as 30s, 1m or 1h0m0s"] },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Reports_Knatives_message((string Key, string Value)[] values, string[] expected)
    {
        var (_, errors) = Parse(values.Select(v => (v.Key, (string?)v.Value)).ToArray());

        Assert.Equal(expected, errors);
    }

    [Fact]
    public void Reports_every_error_at_once_in_order()
    {
        var (_, errors) = Parse(
            ("stable-window", "3s"), ("max-scale-up-rate", "1"), ("target-burst-capacity", "-2"), ("foo", "bar"),
            ("initial-scale", "x"), ("scale-to-zero-grace-period", "0s"));

        // Unknown keys, then values that do not parse, then Knative's checks in Knative's order.
        Assert.Equal(
            [
                $"Autoscaler:foo is not a config-autoscaler key (known keys: {KnownKeys})",
                "Autoscaler:initial-scale = x, must be an integer",
                "Autoscaler:scale-to-zero-grace-period must be positive, was: 0s",
                "Autoscaler:target-burst-capacity must be either non-negative or -1 (for unlimited), was: -2.000000",
                "Autoscaler:max-scale-up-rate = 1, must be greater than 1.0",
                "Autoscaler:stable-window = 3s, must be in [6s; 1h0m0s] range",
            ],
            errors);
    }

    [Fact]
    public void The_section_is_Autoscaler()
    {
        Assert.Equal("Autoscaler", AutoscalerConfigParser.Section);
    }
}
