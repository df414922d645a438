using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Grains.Eventing.Filters;

namespace Knative.Orleans.Grains.Tests.Eventing;

public sealed class TriggerDeliveryAnnotationsTests
{
    private const string Order = TriggerDeliveryAnnotations.DeliveryOrder;
    private const string Parallelism = TriggerDeliveryAnnotations.Parallelism;

    public static TheoryData<string?, string?, string> Cases => new()
    {
        { null, null, "" },
        { "ordered", null, "" },
        { "unordered", "10", "" },
        { "ordered", "1", "" },
        { null, "1000", "" },
        { "Ordered", null, $"invalid value: Ordered: metadata.annotations.{Order}\nexpected ordered or unordered" },
        { null, "0", $"expected 1 <= 0 <= 1000: metadata.annotations.{Parallelism}" },
        { null, "1001", $"expected 1 <= 1001 <= 1000: metadata.annotations.{Parallelism}" },
        { null, "two", $"invalid value: two: metadata.annotations.{Parallelism}\nexpected an integer" },
        { "ordered", "4", $"{Parallelism} must be 1 (or absent) when {Order} is ordered: metadata.annotations.{Parallelism}" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Annotations_are_validated_at_admission(string? order, string? parallelism, string expected)
    {
        var annotations = new Dictionary<string, string>();
        if (order is not null)
        {
            annotations[Order] = order;
        }

        if (parallelism is not null)
        {
            annotations[Parallelism] = parallelism;
        }

        var trigger = new Trigger
        {
            ApiVersion = EventingNames.ApiVersion,
            Kind = "Trigger",
            Metadata = new ObjectMeta { Name = "t", Annotations = annotations },
            Spec = new TriggerSpec { Broker = "default", Filter = new TriggerFilter(), Subscriber = new Destination { Uri = "http://x/" } },
        };
        Assert.Equal(expected, TriggerValidation.Validate(trigger, TriggerFilterEvaluator.CesqlParseError).ToString());
    }

    [Theory]
    [InlineData(null, null, 32)]
    [InlineData("ordered", null, 1)]
    [InlineData("unordered", null, 32)]
    [InlineData("unordered", "7", 7)]
    [InlineData(null, "250", 250)]
    public void Effective_parallelism(string? order, string? parallelism, int expected)
    {
        var annotations = new Dictionary<string, string>();
        if (order is not null)
        {
            annotations[Order] = order;
        }

        if (parallelism is not null)
        {
            annotations[Parallelism] = parallelism;
        }

        Assert.Equal(expected, TriggerDeliveryAnnotations.EffectiveParallelism(annotations, 32));
    }
}
