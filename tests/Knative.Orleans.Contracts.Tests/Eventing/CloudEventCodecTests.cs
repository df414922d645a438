using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Contracts.Tests.Eventing;

/// <summary>
/// <see cref="CloudEventCodec.Encode"/> writes the store encoding itself (a buffer per thread): the CloudEvents SDK's
/// structured encoding is the oracle, byte for byte for every kind of attribute and data, except that binary data's
/// base64 is written unescaped (the SDK escapes each <c>+</c> as <c>\u002B</c>): the same JSON, never longer.
/// </summary>
public sealed class CloudEventCodecTests
{
    private static readonly CloudEventAttribute[] Extensions =
    [
        CloudEventAttribute.CreateExtension("exttext", CloudEventAttributeType.String),
        CloudEventAttribute.CreateExtension("extint", CloudEventAttributeType.Integer),
        CloudEventAttribute.CreateExtension("extbool", CloudEventAttributeType.Boolean),
        CloudEventAttribute.CreateExtension("exturi", CloudEventAttributeType.Uri),
        CloudEventAttribute.CreateExtension("exturiref", CloudEventAttributeType.UriReference),
        CloudEventAttribute.CreateExtension("exttime", CloudEventAttributeType.Timestamp),
        CloudEventAttribute.CreateExtension("extbinary", CloudEventAttributeType.Binary),
    ];

    private static CloudEvent Event(string? contentType, object? data, bool extensions = false)
    {
        var cloudEvent = new CloudEvent(Extensions)
        {
            Id = "id-1",
            Source = new Uri("/source/x", UriKind.Relative),
            Type = "dev.example.type",
            DataContentType = contentType,
            Data = data,
        };
        if (extensions)
        {
            cloudEvent.Subject = "subject \"quoted\" é \u2028";
            cloudEvent.Time = new DateTimeOffset(2026, 11, 27, 7, 0, 1, 234, TimeSpan.FromHours(2));
            cloudEvent.DataSchema = new Uri("https://schema.example/x");
            cloudEvent["exttext"] = "<b>&'\\";
            cloudEvent["extint"] = -42;
            cloudEvent["extbool"] = true;
            cloudEvent["exturi"] = new Uri("https://example.com/a?b=c");
            cloudEvent["exturiref"] = new Uri("../rel", UriKind.Relative);
            cloudEvent["exttime"] = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
            cloudEvent["extbinary"] = new byte[] { 0, 1, 2, 250 };
            cloudEvent["knativebrokerttl"] = "254";
        }

        return cloudEvent;
    }

    public static TheoryData<string, CloudEvent> Events => new()
    {
        { "binary data, every attribute type", Event("application/octet-stream", new byte[] { 1, 2, 3, 0, 255 }, extensions: true) },
        { "binary data, JSON content type", Event("application/json", Encoding.UTF8.GetBytes("{\"a\":1}")) },
        { "binary data, no content type", Event(null, new byte[] { 9 }) },
        { "empty binary data", Event("text/plain", Array.Empty<byte>()) },
        { "JSON element", Event("application/json", JsonDocument.Parse("{\"a\":[1,2.5,\"x\\u00e9\"],\"b\":null}").RootElement.Clone(), extensions: true) },
        { "JSON element, content type inferred", Event(null, JsonDocument.Parse("[true]").RootElement.Clone()) },
        { "JSON object, +json with parameters", Event("application/cloudevents-data+json; charset=utf-8", new Dictionary<string, object> { ["k"] = "v", ["n"] = 3 }) },
        { "text", Event("text/plain; charset=utf-8", "hello \"world\" é\n") },
        { "no data", Event("text/plain", null, extensions: true) },
        { "large binary data", Event("application/octet-stream", Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray()) },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Encode_writes_what_the_sdk_writes_and_decodes_back(string name, CloudEvent cloudEvent)
    {
        var expected = CloudEventCodec.Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();
        var encoded = CloudEventCodec.Encode(cloudEvent);
        var what = $"{name}:\n{Encoding.UTF8.GetString(expected)}\n{Encoding.UTF8.GetString(encoded)}";
        if (cloudEvent.Data is byte[])
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(encoded)), what);
            Assert.True(encoded.Length <= expected.Length, what);
            Assert.Equal((byte[])cloudEvent.Data, (byte[]?)CloudEventCodec.Decode(encoded).Data);
        }
        else
        {
            Assert.True(expected.AsSpan().SequenceEqual(encoded), what);
        }

        Assert.Equal(encoded, CloudEventCodec.Encode(cloudEvent)); // again, through the same thread's buffer
        Assert.Equal(cloudEvent.Id, CloudEventCodec.Decode(encoded).Id);
    }

    [Fact]
    public void What_the_sdk_refuses_is_refused_and_the_next_event_is_written_whole()
    {
        var noId = Event("text/plain", "x");
        noId.Id = null;
        Assert.Throws<ArgumentException>(() => CloudEventCodec.Formatter.EncodeStructuredModeMessage(noId, out _));
        Assert.Throws<ArgumentException>(() => CloudEventCodec.Encode(noId));

        var xmlText = Event("application/xml", "<a/>"); // string data the JSON format cannot carry as JSON or text
        Assert.Throws<ArgumentException>(() => CloudEventCodec.Formatter.EncodeStructuredModeMessage(xmlText, out _));
        var error = Assert.Throws<ArgumentException>(() => CloudEventCodec.Encode(xmlText));
        Assert.Contains("application/xml", error.Message, StringComparison.Ordinal);

        // A failure half-way leaves nothing behind in the thread's writer.
        var next = Event("text/plain", "after");
        Assert.Equal(CloudEventCodec.Formatter.EncodeStructuredModeMessage(next, out _).ToArray(), CloudEventCodec.Encode(next));
    }

    [Fact]
    public void A_structured_delivery_is_the_store_encoding_under_the_sdks_content_type()
    {
        var cloudEvent = Event("application/json", JsonDocument.Parse("{\"a\":1}").RootElement.Clone(), extensions: true);
        CloudEventCodec.Formatter.EncodeStructuredModeMessage(cloudEvent, out var sdkType);
        var written = CloudEventWriter.Encode(cloudEvent, EventContentMode.Structured);
        Assert.Equal(sdkType.ToString(), written.ContentType);
        Assert.Equal(CloudEventCodec.Encode(cloudEvent), written.Body);
    }
}
