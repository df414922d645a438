using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Grains.Eventing.Filters;

namespace Knative.Orleans.Grains.Tests.Eventing;

public sealed class TriggerValidationTests
{
    private static string Validate(TriggerSpec spec, Trigger? previous = null) => TriggerValidation.Validate(
        new Trigger { Metadata = new ObjectMeta { Name = "t" }, Spec = spec }, TriggerFilterEvaluator.CesqlParseError, previous).ToString();

    private static readonly Destination Subscriber = new() { Uri = "http://127.0.0.1:9/" };

    [Theory]
    [InlineData("Type", "invalid key name \"Type\": spec.filter.attributes[Type]\nAttribute name must start with a letter and can only contain lowercase alphanumeric")]
    [InlineData("1a", "invalid key name \"1a\": spec.filter.attributes[1a]\nAttribute name must start with a letter and can only contain lowercase alphanumeric")]
    [InlineData("ok9", "")]
    public void Attribute_keys(string key, string expected) =>
        Assert.Equal(expected, Validate(new TriggerSpec { Broker = "b", Subscriber = Subscriber, Filter = new() { Attributes = new() { [key] = "v" } } }));

    [Fact]
    public void One_dialect_per_filter_and_cesql_must_parse()
    {
        var errors = Validate(new TriggerSpec
        {
            Broker = "b",
            Subscriber = Subscriber,
            Filters = [new() { Exact = new() { ["type"] = "a" }, Suffix = new() { ["type"] = "b" } }, new() { Cesql = "type =" }, new() { Exact = new() { ["type"] = "" } }, new() { All = [] }],
        });
        Assert.Contains("multiple dialects found, filters can have only one dialect set: spec.filters[0]", errors);
        Assert.Contains("invalid value: type =: spec.filters[1].cesql\nParse: ", errors);
        Assert.Contains("missing field(s): spec.filters[2].exact[type], spec.filters[3].all", errors);
    }

    [Fact]
    public void Delivery_and_required_fields()
    {
        var actual = Validate(new TriggerSpec
        {
            Subscriber = Subscriber,
            Delivery = new() { Retry = -1, BackoffPolicy = "fast", BackoffDelay = "soon", Timeout = "PT0S" },
        });
        Assert.Equal(
            SortLines("invalid value: -1: spec.delivery.retry\ninvalid value: PT0S: spec.delivery.timeout\ninvalid value: fast: spec.delivery.backoffPolicy\n"
                + "invalid value: soon: spec.delivery.backoffDelay\nmissing field(s): spec.broker"),
            SortLines(actual));
        Assert.Equal("", Validate(new TriggerSpec
        {
            Broker = "b",
            Subscriber = Subscriber,
            Delivery = new() { Retry = 0, BackoffPolicy = "linear", BackoffDelay = "PT0.5S", Timeout = "PT1M" },
        }));
    }

    [Fact]
    public void Subscriber_ref_must_be_a_knative_service_and_uri_must_be_absolute()
    {
        Assert.Equal("missing field(s): spec.subscriber.ref.apiVersion",
            Validate(new TriggerSpec { Broker = "b", Subscriber = new() { Ref = new() { Kind = "Service", Name = "s" } } }));
        Assert.StartsWith("not supported yet: ref to v1 ConfigMap",
            Validate(new TriggerSpec { Broker = "b", Subscriber = new() { Ref = new() { ApiVersion = "v1", Kind = "ConfigMap", Name = "s" } } }), StringComparison.Ordinal);
        Assert.Equal("", Validate(new TriggerSpec
        {
            Broker = "b",
            Subscriber = new() { Ref = new() { ApiVersion = "serving.knative.dev/v1", Kind = "Service", Name = "s" }, Uri = "/echo" },
        }));
        Assert.StartsWith("invalid value: /relative: spec.subscriber.uri", Validate(new TriggerSpec { Broker = "b", Subscriber = new() { Uri = "/relative" } }), StringComparison.Ordinal);
        Assert.Equal("expected at least one, got none: spec.subscriber.ref, spec.subscriber.uri", Validate(new TriggerSpec { Broker = "b" }));
    }

    [Fact]
    public void Broker_is_immutable()
    {
        var previous = new Trigger { Spec = new TriggerSpec { Broker = "a" } };
        Assert.StartsWith("Immutable fields changed (-old +new): spec.broker", Validate(new TriggerSpec { Broker = "b", Subscriber = Subscriber }, previous), StringComparison.Ordinal);
    }

    private static string SortLines(string text) => string.Join("\n", text.Split('\n').Order(StringComparer.Ordinal));
}
