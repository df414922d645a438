using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Filters;

namespace Knative.Orleans.Grains.Tests.Eventing;

public sealed class TriggerFilterTests
{
    private static readonly EventAttributes Event = new(new Dictionary<string, string>
    {
        ["specversion"] = "1.0",
        ["id"] = "1",
        ["source"] = "/shop/eu",
        ["type"] = "order.created",
        ["region"] = "eu-west",
        ["empty"] = "",
    });

    private static Dictionary<string, string> Map(string key, string value) => new() { [key] = value };

    public static TheoryData<string, TriggerSpec, bool> Cases => new()
    {
        { "no filter", new TriggerSpec(), true },
        { "empty attributes", new TriggerSpec { Filter = new TriggerFilter { Attributes = [] } }, true },
        { "attributes exact", new TriggerSpec { Filter = new TriggerFilter { Attributes = Map("type", "order.created") } }, true },
        { "attributes case-sensitive", new TriggerSpec { Filter = new TriggerFilter { Attributes = Map("type", "Order.created") } }, false },
        { "attributes \"\" = present", new TriggerSpec { Filter = new TriggerFilter { Attributes = Map("region", "") } }, true },
        { "attributes \"\" and absent", new TriggerSpec { Filter = new TriggerFilter { Attributes = Map("missing", "") } }, false },
        { "attributes \"\" and empty", new TriggerSpec { Filter = new TriggerFilter { Attributes = Map("empty", "") } }, false },
        { "attributes \"\" and unset subject", new TriggerSpec { Filter = new TriggerFilter { Attributes = Map("subject", "") } }, false },
        { "exact", F(new SubscriptionsApiFilter { Exact = Map("type", "order.created") }), true },
        { "exact missing extension", F(new SubscriptionsApiFilter { Exact = Map("nope", "x") }), false },
        { "prefix", F(new SubscriptionsApiFilter { Prefix = Map("type", "order.") }), true },
        { "prefix miss", F(new SubscriptionsApiFilter { Prefix = Map("type", "invoice.") }), false },
        { "suffix", F(new SubscriptionsApiFilter { Suffix = Map("source", "/eu") }), true },
        { "all", F(new SubscriptionsApiFilter { All = [new() { Prefix = Map("type", "order") }, new() { Exact = Map("region", "eu-west") }] }), true },
        { "all one fails", F(new SubscriptionsApiFilter { All = [new() { Prefix = Map("type", "order") }, new() { Exact = Map("region", "us") }] }), false },
        { "any", F(new SubscriptionsApiFilter { Any = [new() { Exact = Map("region", "us") }, new() { Exact = Map("region", "eu-west") }] }), true },
        { "not", F(new SubscriptionsApiFilter { Not = new() { Exact = Map("type", "order.created") } }), false },
        { "cesql true", F(new SubscriptionsApiFilter { Cesql = "type LIKE 'order.%' AND region = 'eu-west'" }), true },
        { "cesql false", F(new SubscriptionsApiFilter { Cesql = "region = 'us'" }), false },
        { "cesql missing attribute is an error", F(new SubscriptionsApiFilter { Cesql = "nope = 'x' OR TRUE" }), false },
        { "cesql exists", F(new SubscriptionsApiFilter { Cesql = "EXISTS region AND NOT EXISTS subject" }), true },
        { "filters are ANDed", new TriggerSpec { Filters = [new() { Prefix = Map("type", "order") }, new() { Cesql = "FALSE" }] }, false },
        { "filters win over filter", new TriggerSpec { Filter = new TriggerFilter { Attributes = Map("type", "x") }, Filters = [new() { Prefix = Map("type", "order") }] }, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates(string name, TriggerSpec spec, bool expected) =>
        Assert.True(expected == TriggerFilterEvaluator.Compile(spec).Matches(Event), name);

    [Fact]
    public void A_0_3_event_shows_specversion_0_3_and_schemaurl_and_private_extensions_are_hidden()
    {
        var headers = new[] { "ce-specversion:0.3", "ce-id:1", "ce-source:/s", "ce-type:t", "ce-schemaurl:http://schemas/x", "x-request-id:r" }
            .Select(h => KeyValuePair.Create(h[..h.IndexOf(':', StringComparison.Ordinal)], (string?)h[(h.IndexOf(':', StringComparison.Ordinal) + 1)..]));
        var (cloudEvent, _, error) = CloudEventParser.Parse(headers, "text/plain", "x"u8.ToArray());
        Assert.True(cloudEvent is not null, error);
        var attributes = EventAttributes.From(CloudEventCodec.Decode(CloudEventCodec.Encode(cloudEvent)));

        Assert.True(TriggerFilterEvaluator.Compile(F(new SubscriptionsApiFilter { Exact = Map("specversion", "0.3") })).Matches(attributes));
        Assert.True(TriggerFilterEvaluator.Compile(F(new SubscriptionsApiFilter { Exact = Map("schemaurl", "http://schemas/x") })).Matches(attributes));
        Assert.False(TriggerFilterEvaluator.Compile(F(new SubscriptionsApiFilter { Cesql = "EXISTS knorleansspecversion OR EXISTS knorleansheaders" })).Matches(attributes));
    }

    private static TriggerSpec F(SubscriptionsApiFilter filter) => new() { Filters = [filter] };
}
