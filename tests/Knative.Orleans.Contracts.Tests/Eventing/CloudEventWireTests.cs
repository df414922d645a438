using System.Text;
using System.Text.Json.Nodes;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Contracts.Tests.Eventing;

/// <summary>The reader (<see cref="CloudEventParser"/>) and writer (<see cref="CloudEventWriter"/>) through the store encoding.</summary>
public sealed class CloudEventWireTests
{
    private static KeyValuePair<string, string?> H(string name, string value) => KeyValuePair.Create(name, (string?)value);

    /// <summary>Parse, store-encode and decode (as the broker keeps it), then write as a delivery would.</summary>
    private static (HttpContent Content, IReadOnlyDictionary<string, string> Headers, string? Marker) RoundTrip(
        IEnumerable<KeyValuePair<string, string?>> headers, string? contentType, string body, EventContentMode expectedMode)
    {
        var (parsed, mode, error) = CloudEventParser.Parse(headers, contentType, Encoding.UTF8.GetBytes(body));
        Assert.True(parsed is not null, error);
        Assert.Equal(expectedMode, mode);
        var stored = CloudEventCodec.Decode(CloudEventCodec.Encode(parsed));
        var marker = stored[PrivateAttributes.SpecVersion] as string;
        var written = CloudEventWriter.Encode(stored, mode);
        return (written.ToContent(), written.PassThrough, marker);
    }

    private static string? Header(HttpContent content, string name) =>
        content.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    [Fact]
    public void Writing_never_changes_the_event_so_triggers_sharing_one_decoded_event_all_send_0_3_with_its_headers()
    {
        var (parsed, mode, error) = CloudEventParser.Parse(
            [H("ce-specversion", "0.3"), H("ce-id", "w"), H("ce-source", "/src"), H("ce-type", "t"), H("x-request-id", "r1")], "text/plain", Encoding.UTF8.GetBytes("x"));
        Assert.True(parsed is not null, error);
        var shared = CloudEventCodec.Decode(CloudEventCodec.Encode(parsed));

        for (var delivery = 0; delivery < 2; delivery++)
        {
            var written = CloudEventWriter.Encode(shared, mode);
            var (content, passThrough) = (written.ToContent(), written.PassThrough);
            Assert.Equal("0.3", Header(content, "ce-specversion"));
            Assert.Equal("r1", passThrough["x-request-id"]);
        }

        Assert.Equal("0.3", shared[PrivateAttributes.SpecVersion]);
    }

    [Fact]
    public async Task A_binary_0_3_event_is_kept_as_1_0_with_a_marker_and_written_back_as_binary_0_3()
    {
        var (content, _, marker) = RoundTrip(
            [H("ce-specversion", "0.3"), H("ce-id", "b3"), H("ce-source", "/src"), H("ce-type", "t"), H("ce-schemaurl", "http://schemas/x"), H("ce-myext", "v")],
            "text/plain", "raw bytes", EventContentMode.Binary);

        Assert.Equal("0.3", marker);
        Assert.Equal("0.3", Header(content, "ce-specversion"));
        Assert.Equal("http://schemas/x", Header(content, "ce-schemaurl"));
        Assert.Null(Header(content, "ce-dataschema"));
        Assert.Equal(("b3", "v"), (Header(content, "ce-id"), Header(content, "ce-myext")));
        Assert.Equal("text/plain", content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain(content.Headers, h => h.Key.StartsWith("ce-knorleans", StringComparison.Ordinal));
        Assert.Equal("raw bytes", await content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_structured_0_3_event_with_base64_data_is_written_back_as_structured_0_3_with_datacontentencoding()
    {
        var data = Convert.ToBase64String([0, 1, 2, 250]);
        var (content, _, marker) = RoundTrip([], "application/cloudevents+json",
            $$"""{"specversion":"0.3","id":"s3","source":"/src","type":"t","schemaurl":"http://schemas/x","datacontenttype":"application/octet-stream","datacontentencoding":"base64","data":"{{data}}"}""",
            EventContentMode.Structured);

        Assert.Equal("0.3", marker);
        Assert.StartsWith("application/cloudevents+json", content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var json = JsonNode.Parse(await content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("0.3", (string?)json["specversion"]);
        Assert.Equal("base64", (string?)json["datacontentencoding"]);
        Assert.Equal(data, (string?)json["data"]);
        Assert.Equal("http://schemas/x", (string?)json["schemaurl"]);
        Assert.False(json.ContainsKey("data_base64"));
        Assert.False(json.ContainsKey("dataschema"));
        Assert.DoesNotContain(json, p => p.Key.StartsWith("knorleans", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_structured_0_3_event_with_json_data_keeps_its_data()
    {
        var (content, _, _) = RoundTrip([], "application/cloudevents+json",
            """{"specversion":"0.3","id":"s3","source":"/src","type":"t","datacontenttype":"application/json","data":{"a":[1,2]}}""",
            EventContentMode.Structured);

        var json = JsonNode.Parse(await content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("0.3", (string?)json["specversion"]);
        Assert.Equal("""{"a":[1,2]}""", json["data"]!.ToJsonString());
        Assert.False(json.ContainsKey("datacontentencoding"));
    }

    [Fact]
    public async Task A_1_0_event_stays_1_0_and_private_extensions_sent_by_a_producer_are_dropped()
    {
        var (content, headers, marker) = RoundTrip(
            [H("ce-specversion", "1.0"), H("ce-id", "x"), H("ce-source", "/src"), H("ce-type", "t"), H("ce-knorleansspecversion", "0.3"), H("ce-knorleansheaders", "{\"knative-x\":\"1\"}")],
            "application/json", "{}", EventContentMode.Binary);

        Assert.Null(marker);
        Assert.Empty(headers);
        Assert.Equal("1.0", Header(content, "ce-specversion"));
        Assert.DoesNotContain(content.Headers, h => h.Key.StartsWith("ce-knorleans", StringComparison.Ordinal));
        Assert.Equal("{}", await content.ReadAsStringAsync());
    }

    [Fact]
    public void Only_knative_b3_request_id_and_retry_after_headers_travel_with_the_event()
    {
        var (_, headers, _) = RoundTrip(
            [H("ce-specversion", "1.0"), H("ce-id", "x"), H("ce-source", "/src"), H("ce-type", "t"),
             H("Knative-Custom", "k"), H("X-B3-TraceId", "abc"), H("x-b3-sampled", "1"), H("X-Request-Id", "r-1"), H("Retry-After", "5"),
             H("Authorization", "secret"), H("X-Custom", "no"), H("Traceparent", "00-x"), H("Host", "h")],
            "application/json", "{}", EventContentMode.Binary);

        Assert.Equal(new Dictionary<string, string>
        {
            ["knative-custom"] = "k",
            ["retry-after"] = "5",
            ["x-b3-sampled"] = "1",
            ["x-b3-traceid"] = "abc",
            ["x-request-id"] = "r-1",
        }, headers);
    }

    [Theory]
    [InlineData("""{"specversion":"0.3","id":"1","source":"/s","type":"t","datacontentencoding":"quoted-printable","data":"x"}""", "unsupported datacontentencoding")]
    [InlineData("""{"specversion":"0.3","id":"1","source":"/s"}""", "malformed CloudEvent")]
    public void Bad_0_3_structured_events_are_refused(string body, string error)
    {
        var (parsed, _, message) = CloudEventParser.Parse([], "application/cloudevents+json", Encoding.UTF8.GetBytes(body));
        Assert.Null(parsed);
        Assert.Contains(error, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_versions_are_refused_with_the_accepted_ones_named()
    {
        var (parsed, _, message) = CloudEventParser.Parse([H("ce-specversion", "0.2"), H("ce-id", "1"), H("ce-source", "/s"), H("ce-type", "t")], null, []);
        Assert.Null(parsed);
        Assert.Equal("unsupported CloudEvents specversion \"0.2\" (only 1.0 and 0.3 are accepted)", message);
    }
}
