using Knative.Orleans.Contracts.Serving;
using static Knative.Orleans.Contracts.Tests.Serving.TestServices;

namespace Knative.Orleans.Contracts.Tests.Serving;

public sealed class AutoscalingAnnotationValidationTests
{
    private const string A = "spec.template.metadata.annotations.autoscaling.knative.dev";

    public static TheoryData<string, (string, string)[], string> Cases => new()
    {
        { "negative min-scale", [("autoscaling.knative.dev/min-scale", "-1")], $"expected 0 <= -1 <= 2147483647: {A}/min-scale" },
        { "min-scale too large", [("autoscaling.knative.dev/min-scale", "2147483648")], $"expected 0 <= 2147483648 <= 2147483647: {A}/min-scale" },
        { "min-scale not a number", [("autoscaling.knative.dev/min-scale", "one")], $"invalid value: one: {A}/min-scale" },
        { "fractional max-scale", [("autoscaling.knative.dev/max-scale", "1.5")], $"invalid value: 1.5: {A}/max-scale" },
        { "negative minScale alias", [("autoscaling.knative.dev/minScale", "-3")], $"expected 0 <= -3 <= 2147483647: {A}/minScale" },
        {
            "max below min", [("autoscaling.knative.dev/min-scale", "2"), ("autoscaling.knative.dev/max-scale", "1")],
            $"max-scale=1 is less than min-scale=2: {A}/max-scale, {A}/min-scale"
        },
        {
            "max below min through aliases", [("autoscaling.knative.dev/minScale", "5"), ("autoscaling.knative.dev/maxScale", "4")],
            $"max-scale=4 is less than min-scale=5: {A}/max-scale, {A}/min-scale"
        },
        { "negative initial-scale", [("autoscaling.knative.dev/initial-scale", "-1")], $"invalid value: -1: {A}/initial-scale must be greater than 0" },
        { "zero initial-scale", [("autoscaling.knative.dev/initial-scale", "0")], $"invalid value: 0: {A}/initial-scale=0 not allowed by cluster" },
        { "initial-scale not a number", [("autoscaling.knative.dev/initialScale", "x")], $"invalid value: x: {A}/initialScale" },
        { "target too small", [("autoscaling.knative.dev/target", "0.001")], $"target 0.001 should be at least 0.01: {A}/target" },
        { "target not a number", [("autoscaling.knative.dev/target", "lots")], $"invalid value: lots: {A}/target" },
        { "window too short", [("autoscaling.knative.dev/window", "5s")], $"expected 6s <= 5s <= 1h0m0s: {A}/window" },
        { "window too long", [("autoscaling.knative.dev/window", "61m")], $"expected 6s <= 61m <= 1h0m0s: {A}/window" },
        { "window below a second", [("autoscaling.knative.dev/window", "6500ms")], $"must be specified with at most second precision: {A}/window" },
        { "window not a duration", [("autoscaling.knative.dev/window", "60")], $"invalid value: 60: {A}/window" },

        // Go's integer syntax: no spaces, 32 bits.
        { "min-scale with a space", [("autoscaling.knative.dev/min-scale", " 1")], $"invalid value:  1: {A}/min-scale" },
        { "negative initialScale alias", [("autoscaling.knative.dev/initialScale", "-1")], $"invalid value: -1: {A}/initialScale must be greater than 0" },
        { "zero initialScale alias", [("autoscaling.knative.dev/initialScale", "0")], $"invalid value: 0: {A}/initialScale=0 not allowed by cluster" },

        // class: Knative's own domain only knows the KPA and the HPA.
        { "unknown knative.dev class", [("autoscaling.knative.dev/class", "foo.autoscaling.knative.dev")], $"invalid value: foo.autoscaling.knative.dev: {A}/class" },
        {
            "an invalid class leaves the metric alone", [("autoscaling.knative.dev/class", "x.knative.dev"), ("autoscaling.knative.dev/metric", "cpu")],
            $"invalid value: x.knative.dev: {A}/class"
        },

        // metric: concurrency or rps for the KPA (the default class), any named metric for the HPA.
        { "cpu without a class", [("autoscaling.knative.dev/metric", "cpu")], $"invalid value: cpu: {A}/metric" },
        {
            "memory with the KPA class", [("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metric", "memory")],
            $"invalid value: memory: {A}/metric"
        },
        { "metric is case-sensitive", [("autoscaling.knative.dev/metric", "RPS")], $"invalid value: RPS: {A}/metric" },
        { "empty metric", [("autoscaling.knative.dev/metric", "")], $"invalid value: : {A}/metric" },
        {
            "empty metric with the HPA class", [("autoscaling.knative.dev/class", "hpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metric", "")],
            $"invalid value: : {A}/metric"
        },

        // target-utilization-percentage in [1, 100].
        { "utilization 0", [("autoscaling.knative.dev/target-utilization-percentage", "0")], $"expected 1 <= 0 <= 100: {A}/target-utilization-percentage" },
        { "utilization above 100", [("autoscaling.knative.dev/target-utilization-percentage", "100.5")], $"expected 1 <= 100.5 <= 100: {A}/target-utilization-percentage" },
        { "utilization not a number", [("autoscaling.knative.dev/target-utilization-percentage", "high")], $"invalid value: high: {A}/target-utilization-percentage" },
        { "targetUtilizationPercentage alias", [("autoscaling.knative.dev/targetUtilizationPercentage", "200")], $"expected 1 <= 200 <= 100: {A}/targetUtilizationPercentage" },

        // target-burst-capacity ≥ 0 or -1.
        { "burst capacity -2", [("autoscaling.knative.dev/target-burst-capacity", "-2")], $"invalid value: -2: {A}/target-burst-capacity" },
        { "burst capacity not a number", [("autoscaling.knative.dev/target-burst-capacity", "lots")], $"invalid value: lots: {A}/target-burst-capacity" },
        { "targetBurstCapacity alias", [("autoscaling.knative.dev/targetBurstCapacity", "-0.5")], $"invalid value: -0.5: {A}/targetBurstCapacity" },

        // target: Go's float syntax, overflow is an error.
        { "target beyond float64", [("autoscaling.knative.dev/target", "1e400")], $"invalid value: 1e400: {A}/target" },
        { "target with a digit separator", [("autoscaling.knative.dev/target", "1_000")], $"invalid value: 1_000: {A}/target" },

        // activation-scale ≥ 2 and within [min-scale, max-scale]; only the first failing rule is reported.
        { "activation-scale 1", [("autoscaling.knative.dev/activation-scale", "1")], $"activation-scale=1 must be greater than 1: {A}/activation-scale" },
        { "activation-scale 0", [("autoscaling.knative.dev/activation-scale", "0")], $"activation-scale=0 must be greater than 1: {A}/activation-scale" },
        {
            "activation-scale below min-scale", [("autoscaling.knative.dev/min-scale", "3"), ("autoscaling.knative.dev/activation-scale", "2")],
            $"min-scale=3 is greater than activation-scale=2: {A}/activation-scale"
        },
        {
            "activation-scale below the minScale alias", [("autoscaling.knative.dev/minScale", "4"), ("autoscaling.knative.dev/activation-scale", "3")],
            $"min-scale=4 is greater than activation-scale=3: {A}/activation-scale"
        },
        {
            "activation-scale 1 below min-scale reports min-scale", [("autoscaling.knative.dev/min-scale", "2"), ("autoscaling.knative.dev/activation-scale", "1")],
            $"min-scale=2 is greater than activation-scale=1: {A}/activation-scale"
        },
        {
            "activation-scale above max-scale", [("autoscaling.knative.dev/max-scale", "2"), ("autoscaling.knative.dev/activation-scale", "3")],
            $"max-scale=2 is less than activation-scale=3: {A}/activation-scale"
        },
        { "activation-scale not a number", [("autoscaling.knative.dev/activation-scale", "two")], $"invalid value: two: {A}/activation-scale" },
        { "activation-scale beyond 32 bits", [("autoscaling.knative.dev/activation-scale", "2147483648")], $"invalid value: 2147483648: {A}/activation-scale" },

        // panic-window-percentage in [1, 100], panic-threshold-percentage in [110, 1000].
        { "panic window 0", [("autoscaling.knative.dev/panic-window-percentage", "0")], $"expected 1 <= 0 <= 100: {A}/panic-window-percentage" },
        { "panic window above 100", [("autoscaling.knative.dev/panic-window-percentage", "101")], $"expected 1 <= 101 <= 100: {A}/panic-window-percentage" },
        { "panic window not a number", [("autoscaling.knative.dev/panic-window-percentage", "ten")], $"invalid value: ten: {A}/panic-window-percentage" },
        { "panicWindowPercentage alias", [("autoscaling.knative.dev/panicWindowPercentage", "0.5")], $"expected 1 <= 0.5 <= 100: {A}/panicWindowPercentage" },
        { "panic threshold 109", [("autoscaling.knative.dev/panic-threshold-percentage", "109")], $"expected 110 <= 109 <= 1000: {A}/panic-threshold-percentage" },
        { "panic threshold 1001", [("autoscaling.knative.dev/panic-threshold-percentage", "1001")], $"expected 110 <= 1001 <= 1000: {A}/panic-threshold-percentage" },
        { "panic threshold not a number", [("autoscaling.knative.dev/panic-threshold-percentage", "x")], $"invalid value: x: {A}/panic-threshold-percentage" },
        { "panicThresholdPercentage alias", [("autoscaling.knative.dev/panicThresholdPercentage", "50")], $"expected 110 <= 50 <= 1000: {A}/panicThresholdPercentage" },

        // scale-down-delay in [0s, 1h], whole seconds.
        { "negative scale-down-delay", [("autoscaling.knative.dev/scale-down-delay", "-1s")], $"expected 0s <= -1s <= 1h0m0s: {A}/scale-down-delay" },
        { "scale-down-delay above an hour", [("autoscaling.knative.dev/scale-down-delay", "61m")], $"expected 0s <= 61m <= 1h0m0s: {A}/scale-down-delay" },
        { "scale-down-delay below a second", [("autoscaling.knative.dev/scale-down-delay", "1500ms")], $"must be specified with at most second precision: {A}/scale-down-delay" },
        { "scale-down-delay not a duration", [("autoscaling.knative.dev/scale-down-delay", "5")], $"invalid value: 5: {A}/scale-down-delay" },
        { "scaleDownDelay alias", [("autoscaling.knative.dev/scaleDownDelay", "2h")], $"expected 0s <= 2h <= 1h0m0s: {A}/scaleDownDelay" },

        // scale-to-zero-pod-retention-period in [0s, 1h] (no precision rule).
        { "negative retention", [("autoscaling.knative.dev/scale-to-zero-pod-retention-period", "-5s")], $"expected 0s <= -5s <= 1h0m0s: {A}/scale-to-zero-pod-retention-period" },
        { "retention above an hour", [("autoscaling.knative.dev/scale-to-zero-pod-retention-period", "1h0m1s")], $"expected 0s <= 1h0m1s <= 1h0m0s: {A}/scale-to-zero-pod-retention-period" },
        { "retention not a duration", [("autoscaling.knative.dev/scale-to-zero-pod-retention-period", "soon")], $"invalid value: soon: {A}/scale-to-zero-pod-retention-period" },
        { "scaleToZeroPodRetentionPeriod alias", [("autoscaling.knative.dev/scaleToZeroPodRetentionPeriod", "90m")], $"expected 0s <= 90m <= 1h0m0s: {A}/scaleToZeroPodRetentionPeriod" },

        // metric-aggregation-algorithm: checked when the class is explicitly the KPA.
        {
            "unknown algorithm with the KPA class",
            [("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metric-aggregation-algorithm", "exponential")],
            $"invalid value: exponential: {A}/metric-aggregation-algorithm"
        },
        {
            "metricAggregationAlgorithm alias",
            [("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metricAggregationAlgorithm", "Linear")],
            $"invalid value: Linear: {A}/metricAggregationAlgorithm"
        },

        // The canonical key wins over its alias, also when the canonical value is the bad one.
        {
            "canonical key checked, alias ignored", [("autoscaling.knative.dev/scale-down-delay", "1.5s"), ("autoscaling.knative.dev/scaleDownDelay", "1s")],
            $"must be specified with at most second precision: {A}/scale-down-delay"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Annotation_rules(string rule, (string, string)[] annotations, string expected) =>
        Assert.True(expected == ServiceValidation.Validate(Valid.WithTemplateAnnotations(annotations), localProcessRuntime: false).ToString(),
            rule + ": " + ServiceValidation.Validate(Valid.WithTemplateAnnotations(annotations), localProcessRuntime: false));

    public static TheoryData<string, (string, string)[]> ValidAnnotations => new()
    {
        { "bounds", [("autoscaling.knative.dev/min-scale", "1"), ("autoscaling.knative.dev/max-scale", "10")] },
        { "max 0 is unlimited", [("autoscaling.knative.dev/min-scale", "3"), ("autoscaling.knative.dev/max-scale", "0")] },
        { "explicit plus sign", [("autoscaling.knative.dev/min-scale", "+2")] },
        { "initial scale", [("autoscaling.knative.dev/initial-scale", "3")] },
        { "target", [("autoscaling.knative.dev/target", "0.01")] },
        { "window", [("autoscaling.knative.dev/window", "1m30s")] },
        { "window upper limit", [("autoscaling.knative.dev/window", "1h")] },
        { "window in milliseconds", [("autoscaling.knative.dev/window", "6000ms")] },
        { "window limits", [("autoscaling.knative.dev/window", "6s")] },
        { "KPA class", [("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metric", "concurrency")] },
        { "KPA rps", [("autoscaling.knative.dev/metric", "rps")] },
        { "HPA cpu", [("autoscaling.knative.dev/class", "hpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metric", "cpu")] },
        { "HPA memory", [("autoscaling.knative.dev/class", "hpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metric", "memory")] },
        { "HPA custom metric", [("autoscaling.knative.dev/class", "hpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metric", "queue-depth")] },
        { "custom class, any metric", [("autoscaling.knative.dev/class", "example.com/scaler"), ("autoscaling.knative.dev/metric", "anything")] },
        { "class outside knative.dev", [("autoscaling.knative.dev/class", "kpa")] },
        { "utilization limits", [("autoscaling.knative.dev/target-utilization-percentage", "1"), ("autoscaling.knative.dev/targetUtilizationPercentage", "0")] },
        { "utilization 100", [("autoscaling.knative.dev/target-utilization-percentage", "100")] },
        { "fractional utilization", [("autoscaling.knative.dev/target-utilization-percentage", "70.5")] },
        { "unlimited burst capacity", [("autoscaling.knative.dev/target-burst-capacity", "-1")] },
        { "no burst capacity", [("autoscaling.knative.dev/target-burst-capacity", "0")] },
        { "burst capacity with an exponent", [("autoscaling.knative.dev/targetBurstCapacity", "2.11e2")] },
        { "infinite target", [("autoscaling.knative.dev/target", "+Inf")] },
        { "activation-scale 2", [("autoscaling.knative.dev/activation-scale", "2")] },
        {
            "activation-scale within bounds",
            [("autoscaling.knative.dev/min-scale", "2"), ("autoscaling.knative.dev/activation-scale", "+3"), ("autoscaling.knative.dev/max-scale", "3")]
        },
        { "activation-scale with unlimited max-scale", [("autoscaling.knative.dev/max-scale", "0"), ("autoscaling.knative.dev/activation-scale", "50")] },
        { "panic limits", [("autoscaling.knative.dev/panic-window-percentage", "1"), ("autoscaling.knative.dev/panic-threshold-percentage", "1000")] },
        { "panic limits through aliases", [("autoscaling.knative.dev/panicWindowPercentage", "100"), ("autoscaling.knative.dev/panicThresholdPercentage", "110")] },
        { "scale-down-delay limits", [("autoscaling.knative.dev/scale-down-delay", "1h")] },
        { "zero scale-down-delay", [("autoscaling.knative.dev/scaleDownDelay", "0")] },
        { "retention below a second", [("autoscaling.knative.dev/scale-to-zero-pod-retention-period", "1500ms")] },
        { "retention limits", [("autoscaling.knative.dev/scaleToZeroPodRetentionPeriod", "1h")] },
        {
            "algorithms with the KPA class",
            [("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metric-aggregation-algorithm", "weighted-exponential")]
        },
        {
            "old algorithm spelling",
            [("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metricAggregationAlgorithm", "weightedExponential")]
        },
        { "linear algorithm", [("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metric-aggregation-algorithm", "linear")] },
        // Knative checks the algorithm only when the class annotation names the KPA.
        { "algorithm without a class", [("autoscaling.knative.dev/metric-aggregation-algorithm", "exponential")] },
        { "algorithm with the HPA class", [("autoscaling.knative.dev/class", "hpa.autoscaling.knative.dev"), ("autoscaling.knative.dev/metric-aggregation-algorithm", "x")] },
        // Knative does not refuse autoscaling keys it does not know.
        { "unknown autoscaling key", [("autoscaling.knative.dev/unknown-knob", "-1"), ("autoscaling.knative.dev/minscale", "x")] },
        { "other annotations", [("example.com/owner", "team-a"), ("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev")] },
    };

    [Theory]
    [MemberData(nameof(ValidAnnotations))]
    public void Valid_annotations_have_no_error(string rule, (string, string)[] annotations) =>
        Assert.True(ServiceValidation.Validate(Valid.WithTemplateAnnotations(annotations), localProcessRuntime: false).IsEmpty,
            rule + ": " + ServiceValidation.Validate(Valid.WithTemplateAnnotations(annotations), localProcessRuntime: false));

    [Fact]
    public void The_canonical_key_wins_over_its_alias()
    {
        var annotations = new Dictionary<string, string>
        {
            ["autoscaling.knative.dev/min-scale"] = "1",
            ["autoscaling.knative.dev/minScale"] = "-1",
        };

        Assert.True(AutoscalingAnnotationValidation.Validate(annotations).IsEmpty);
    }

    [Fact]
    public void Cluster_settings_can_allow_zero_initial_scale_and_limit_max_scale()
    {
        var annotations = new Dictionary<string, string> { ["autoscaling.knative.dev/initial-scale"] = "0" };
        Assert.True(AutoscalingAnnotationValidation.Validate(annotations, allowZeroInitialScale: true).IsEmpty);

        Assert.Equal(
            "expected 1 <= 20 <= 10: autoscaling.knative.dev/max-scale",
            AutoscalingAnnotationValidation.Validate(new Dictionary<string, string> { ["autoscaling.knative.dev/max-scale"] = "20" }, maxScaleLimit: 10).ToString());
        Assert.Equal(
            "max-scale=0 (unlimited), must be less than 10: autoscaling.knative.dev/max-scale",
            AutoscalingAnnotationValidation.Validate(new Dictionary<string, string> { ["autoscaling.knative.dev/max-scale"] = "0" }, maxScaleLimit: 10).ToString());
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var service = Valid.WithTemplateAnnotations(
            ("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev"),
            ("autoscaling.knative.dev/metric", "cpu"),
            ("autoscaling.knative.dev/metric-aggregation-algorithm", "fast"),
            ("autoscaling.knative.dev/min-scale", "-1"),
            ("autoscaling.knative.dev/maxScale", "x"),
            ("autoscaling.knative.dev/activation-scale", "1"),
            ("autoscaling.knative.dev/initial-scale", "0"),
            ("autoscaling.knative.dev/target-utilization-percentage", "0"),
            ("autoscaling.knative.dev/panic-window-percentage", "0"),
            ("autoscaling.knative.dev/panic-threshold-percentage", "100"),
            ("autoscaling.knative.dev/target-burst-capacity", "-5"),
            ("autoscaling.knative.dev/window", "5s"),
            ("autoscaling.knative.dev/scale-down-delay", "1500ms"),
            ("autoscaling.knative.dev/scale-to-zero-pod-retention-period", "2h"));

        // Sorted by message; the same message on two keys is one line with both paths.
        Assert.Equal(
            $"""
            activation-scale=1 must be greater than 1: {A}/activation-scale
            expected 0 <= -1 <= 2147483647: {A}/min-scale
            expected 0s <= 2h <= 1h0m0s: {A}/scale-to-zero-pod-retention-period
            expected 1 <= 0 <= 100: {A}/panic-window-percentage, {A}/target-utilization-percentage
            expected 110 <= 100 <= 1000: {A}/panic-threshold-percentage
            expected 6s <= 5s <= 1h0m0s: {A}/window
            invalid value: -5: {A}/target-burst-capacity
            invalid value: 0: {A}/initial-scale=0 not allowed by cluster
            invalid value: cpu: {A}/metric
            invalid value: fast: {A}/metric-aggregation-algorithm
            invalid value: x: {A}/maxScale
            must be specified with at most second precision: {A}/scale-down-delay
            """.ReplaceLineEndings("\n"),
            ServiceValidation.Validate(service, localProcessRuntime: false).ToString());
    }

    public static TheoryData<string, (string, string)[], bool, int, string> LimitCases => new()
    {
        { "zero initial scale refused by default", [("autoscaling.knative.dev/initial-scale", "0")], false, 0, $"invalid value: 0: {A}/initial-scale=0 not allowed by cluster" },
        { "zero initial scale allowed", [("autoscaling.knative.dev/initial-scale", "0")], true, 0, "" },
        { "zero initialScale alias allowed", [("autoscaling.knative.dev/initialScale", "0")], true, 0, "" },
        { "negative initial scale is never allowed", [("autoscaling.knative.dev/initial-scale", "-1")], true, 0, $"invalid value: -1: {A}/initial-scale must be greater than 0" },
        { "max-scale above the limit", [("autoscaling.knative.dev/max-scale", "11")], false, 10, $"expected 1 <= 11 <= 10: {A}/max-scale" },
        { "maxScale alias above the limit", [("autoscaling.knative.dev/maxScale", "11")], false, 10, $"expected 1 <= 11 <= 10: {A}/maxScale" },
        { "unlimited max-scale under a limit", [("autoscaling.knative.dev/max-scale", "0")], false, 10, $"max-scale=0 (unlimited), must be less than 10: {A}/max-scale" },
        { "max-scale at the limit", [("autoscaling.knative.dev/max-scale", "10")], false, 10, "" },
        { "no max-scale under a limit", [("autoscaling.knative.dev/min-scale", "3")], false, 10, "" },
        { "no limit", [("autoscaling.knative.dev/max-scale", "0")], false, 0, "" },
        {
            "both cluster rules at once", [("autoscaling.knative.dev/initial-scale", "0"), ("autoscaling.knative.dev/max-scale", "0")], false, 5,
            $"invalid value: 0: {A}/initial-scale=0 not allowed by cluster\nmax-scale=0 (unlimited), must be less than 5: {A}/max-scale"
        },
    };

    [Theory]
    [MemberData(nameof(LimitCases))]
    public void Cluster_limits_apply_through_ServiceValidation(
        string rule, (string, string)[] annotations, bool allowZeroInitialScale, int maxScaleLimit, string expected)
    {
        var errors = ServiceValidation.Validate(
            Valid.WithTemplateAnnotations(annotations), localProcessRuntime: false, new AutoscalingLimits(allowZeroInitialScale, maxScaleLimit));

        Assert.True(expected == errors.ToString(), rule + ": " + errors);
    }

    [Fact]
    public void The_older_overloads_use_Knatives_defaults_and_permissive_limits_refuse_nothing_a_cluster_may_allow()
    {
        var zero = Valid.WithTemplateAnnotations(("autoscaling.knative.dev/initial-scale", "0"), ("autoscaling.knative.dev/max-scale", "0"));
        var refused = $"invalid value: 0: {A}/initial-scale=0 not allowed by cluster";

        Assert.Equal(refused, ServiceValidation.Validate(zero).ToString());
        Assert.Equal(refused, ServiceValidation.Validate(zero, localProcessRuntime: false).ToString());
        Assert.Equal(refused, ServiceValidation.Validate(zero, localProcessRuntime: false, AutoscalingLimits.Default).ToString());
        Assert.True(ServiceValidation.Validate(zero, localProcessRuntime: true, AutoscalingLimits.Permissive).IsEmpty);
    }

    [Fact]
    public void A_number_followed_by_a_newline_is_not_a_number()
    {
        var errors = AutoscalingAnnotationValidation.Validate(new Dictionary<string, string>
        {
            ["autoscaling.knative.dev/min-scale"] = "5\n",
            ["autoscaling.knative.dev/target"] = "5\n",
        });

        Assert.Equal(["invalid value: 5\n", "invalid value: 5\n"], errors.Entries.Select(e => e.Message));
    }

    [Fact]
    public void Validator_and_autoscaler_share_the_aliases()
    {
        // knative/serving pkg/apis/autoscaling/register.go: every kmap.KeyPriority with a second key.
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["autoscaling.knative.dev/min-scale"] = "autoscaling.knative.dev/minScale",
                ["autoscaling.knative.dev/max-scale"] = "autoscaling.knative.dev/maxScale",
                ["autoscaling.knative.dev/initial-scale"] = "autoscaling.knative.dev/initialScale",
                ["autoscaling.knative.dev/scale-down-delay"] = "autoscaling.knative.dev/scaleDownDelay",
                ["autoscaling.knative.dev/target-utilization-percentage"] = "autoscaling.knative.dev/targetUtilizationPercentage",
                ["autoscaling.knative.dev/target-burst-capacity"] = "autoscaling.knative.dev/targetBurstCapacity",
                ["autoscaling.knative.dev/panic-window-percentage"] = "autoscaling.knative.dev/panicWindowPercentage",
                ["autoscaling.knative.dev/panic-threshold-percentage"] = "autoscaling.knative.dev/panicThresholdPercentage",
                ["autoscaling.knative.dev/scale-to-zero-pod-retention-period"] = "autoscaling.knative.dev/scaleToZeroPodRetentionPeriod",
                ["autoscaling.knative.dev/metric-aggregation-algorithm"] = "autoscaling.knative.dev/metricAggregationAlgorithm",
            },
            AutoscalingAnnotations.Aliases);
    }
}
