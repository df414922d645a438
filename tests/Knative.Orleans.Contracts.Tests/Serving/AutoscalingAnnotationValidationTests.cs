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
        { "window limits", [("autoscaling.knative.dev/window", "1h")] },
        { "window in milliseconds", [("autoscaling.knative.dev/window", "6000ms")] },
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
}
