using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

/// <summary>Eventing wire fidelity: CloudEvents 0.3, header pass-through, dead-letter sinks that are Knative Services.</summary>
[Trait("Category", "E2E")]
public sealed class EventingFidelityE2ETests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "kno-evf-" + Guid.NewGuid().ToString("N")[..8]);

    private static string BrokerPath(string ns) => $"/apis/eventing.knative.dev/v1/namespaces/{ns}/brokers";

    private static string TriggerPath(string ns) => $"/apis/eventing.knative.dev/v1/namespaces/{ns}/triggers";

    private static HttpRequestMessage Binary(string path, string version, string id, string body, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("ce-specversion", version);
        request.Headers.Add("ce-id", id);
        request.Headers.Add("ce-source", "/e2e");
        request.Headers.Add("ce-type", "t");
        return request;
    }

    private static async Task CreateAsync(PlatformProcess platform, string path, string yaml)
    {
        using var response = await platform.Admin.PostAsync(path, Manifests.Yaml(yaml));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static async Task SendAcceptedAsync(PlatformProcess platform, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await platform.Gateway.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
    }

    private static string TriggerYaml(string name, string subscriber, string delivery = "") => $"""
        metadata:
          name: {name}
        spec:
          broker: default
          subscriber:
            uri: {subscriber}
        {delivery}
        """;

    [Fact]
    public async Task CloudEvents_0_3_binary_and_structured_reach_the_subscriber_and_the_dead_letter_sink_as_0_3()
    {
        await using var subscriber = new EventSubscriber(Path.Combine(_data, "sub"));
        await subscriber.StartAsync();
        await using var platform = new PlatformProcess(_data);
        await platform.StartAsync();
        await CreateAsync(platform, BrokerPath("v03"), "metadata:\n  name: default\n");
        await CreateAsync(platform, TriggerPath("v03"), TriggerYaml("all", subscriber.Url + "/in"));
        await CreateAsync(platform, TriggerPath("v03"), TriggerYaml("failing", subscriber.Url + "/fail",
            $"  delivery:\n    deadLetterSink:\n      uri: {subscriber.Url}/dls"));

        var binary = Binary("/v03/default", "0.3", "bin-03", "{\"n\":1}");
        binary.Headers.Add("ce-schemaurl", "http://schemas.example.com/n");
        await SendAcceptedAsync(platform, binary);
        var data = Convert.ToBase64String("\u0001raw"u8.ToArray());
        await SendAcceptedAsync(platform, new HttpRequestMessage(HttpMethod.Post, "/v03/default")
        {
            Content = new StringContent($$"""{"specversion":"0.3","id":"str-03","source":"/e2e","type":"t","datacontenttype":"application/octet-stream","datacontentencoding":"base64","data":"{{data}}"}""",
                Encoding.UTF8, "application/cloudevents+json"),
        });

        var received = await subscriber.WaitForAsync(r => r.Count(x => PathOf(x) == "/in") == 2 && r.Count(x => PathOf(x) == "/dls") == 2, "both events delivered and dead-lettered");
        foreach (var path in new[] { "/in", "/dls" })
        {
            var bin = received.Single(x => PathOf(x) == path && Header(x, "ce-id") == "bin-03");
            Assert.Equal("0.3", Header(bin, "ce-specversion"));
            Assert.Equal("http://schemas.example.com/n", Header(bin, "ce-schemaurl"));
            Assert.Null(Header(bin, "ce-dataschema"));
            Assert.Equal("{\"n\":1}", (string?)bin["body"]);
            Assert.DoesNotContain(bin["headers"]!.AsObject(), h => h.Key.StartsWith("ce-knorleans", StringComparison.Ordinal));

            var str = received.Single(x => PathOf(x) == path && x != bin);
            Assert.StartsWith("application/cloudevents+json", Header(str, "content-type"), StringComparison.Ordinal);
            var json = JsonNode.Parse((string)str["body"]!)!.AsObject();
            Assert.Equal(("0.3", "str-03", "base64", data), ((string?)json["specversion"], (string?)json["id"], (string?)json["datacontentencoding"], (string?)json["data"]));
            Assert.DoesNotContain(json, p => p.Key.StartsWith("knorleans", StringComparison.Ordinal) || p.Key == "data_base64");
            if (path == "/dls")
            {
                Assert.Equal(subscriber.Url + "/fail", (string?)json["knativeerrordest"]);
            }
        }
    }

    [Fact]
    public async Task Only_knative_b3_request_id_and_retry_after_headers_travel_with_the_event()
    {
        await using var subscriber = new EventSubscriber(Path.Combine(_data, "sub"));
        await subscriber.StartAsync();
        await using var platform = new PlatformProcess(_data);
        await platform.StartAsync();
        await CreateAsync(platform, BrokerPath("hdr"), "metadata:\n  name: default\n");
        await CreateAsync(platform, TriggerPath("hdr"), TriggerYaml("all", subscriber.Url + "/in"));
        await CreateAsync(platform, TriggerPath("hdr"), TriggerYaml("failing", subscriber.Url + "/fail",
            $"  delivery:\n    deadLetterSink:\n      uri: {subscriber.Url}/dls"));

        var request = Binary("/hdr/default", "1.0", "h-1", "{}");
        request.Headers.Add("Knative-Custom-Thing", "k1");
        request.Headers.Add("X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7");
        request.Headers.Add("X-B3-Sampled", "1");
        request.Headers.Add("X-Request-Id", "req-42");
        request.Headers.Add("Retry-After", "7");
        request.Headers.Add("X-Custom", "dropped");
        request.Headers.Add("Authorization", "Bearer secret");
        request.Headers.Add("ce-knorleansheaders", "{\"x-custom\":\"smuggled\"}");
        await SendAcceptedAsync(platform, request);

        var received = await subscriber.WaitForAsync(r => r.Any(x => PathOf(x) == "/in") && r.Any(x => PathOf(x) == "/dls"), "delivered and dead-lettered");
        foreach (var delivered in received.Where(x => PathOf(x) is "/in" or "/dls"))
        {
            Assert.Equal(("k1", "80f198ee56343ba864fe8b2a57d3eff7", "1", "req-42", "7"), (Header(delivered, "knative-custom-thing"),
                Header(delivered, "x-b3-traceid"), Header(delivered, "x-b3-sampled"), Header(delivered, "x-request-id"), Header(delivered, "retry-after")));
            Assert.Null(Header(delivered, "x-custom"));
            Assert.Null(Header(delivered, "authorization"));
            Assert.DoesNotContain(delivered["headers"]!.AsObject(), h => h.Key.Contains("knorleans", StringComparison.Ordinal));
            Assert.Equal("h-1", Header(delivered, "ce-id")); // ce-* rebuilt from the event
        }
    }

    /// <summary>A Knative Service workload that appends every POST (path, headers, body) as a JSON line to argv[1].</summary>
    private const string RecorderPy = """
        import http.server, json, os, sys
        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'
            def do_GET(self):
                self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers()
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                with open(sys.argv[1], 'a') as f:
                    f.write(json.dumps({'path': self.path, 'headers': {k.lower(): v for k, v in self.headers.items()}, 'body': body.decode('utf-8', 'replace')}) + '\n')
                self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers()
            def log_message(self, *a): pass
        http.server.ThreadingHTTPServer(('127.0.0.1', int(os.environ['PORT'])), H).serve_forever()
        """;

    [Fact]
    public async Task A_dead_letter_sink_ref_to_a_service_created_later_receives_the_events_that_waited_for_it()
    {
        await using var subscriber = new EventSubscriber(Path.Combine(_data, "sub"));
        await subscriber.StartAsync();
        await using var platform = new PlatformProcess(_data);
        await platform.StartAsync();
        await CreateAsync(platform, BrokerPath("dlsref"), "metadata:\n  name: default\n");
        await CreateAsync(platform, TriggerPath("dlsref"), TriggerYaml("failing", subscriber.Url + "/fail", """
              delivery:
                deadLetterSink:
                  ref:
                    apiVersion: serving.knative.dev/v1
                    kind: Service
                    name: dead-letters
            """));
        var trigger = await platform.Admin.GetJsonAsync(TriggerPath("dlsref") + "/failing");
        Assert.Equal("False", Manifests.Condition(trigger, "DeadLetterSinkResolved"));
        Assert.Equal("Unable to get the dead letter sink's URI", Manifests.Condition(trigger, "DeadLetterSinkResolved", "reason"));
        Assert.Equal("failed to get object dlsref/dead-letters: services.serving.knative.dev \"dead-letters\" not found",
            Manifests.Condition(trigger, "DeadLetterSinkResolved", "message"));

        await SendAcceptedAsync(platform, Binary("/dlsref/default", "1.0", "waits-1", "{\"w\":1}"));
        await subscriber.WaitForAsync(r => r.Any(x => Header(x, "ce-id") == "waits-1"), "the failing delivery");

        var script = Path.Combine(_data, "recorder.py");
        var log = Path.Combine(_data, "dead-letters.jsonl");
        await File.WriteAllTextAsync(script, RecorderPy);
        await CreateAsync(platform, Manifests.ServicePath("dlsref"), $"""
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata:
              name: dead-letters
            spec:
              template:
                spec:
                  containers:
                    - image: ghcr.io/knative/helloworld-go:latest
                      command: ["/usr/bin/python3", "{script}", "{log}"]
            """);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(log) || !File.ReadAllText(log).EndsWith('\n'))
        {
            Assert.True(DateTime.UtcNow < deadline, "the dead letter service received nothing within 60 s");
            await Task.Delay(100);
        }

        var dead = JsonNode.Parse(File.ReadAllLines(log)[0])!;
        Assert.Equal("waits-1", Header(dead, "ce-id"));
        Assert.Equal(subscriber.Url + "/fail", Header(dead, "ce-knativeerrordest"));
        Assert.Equal("500", Header(dead, "ce-knativeerrorcode"));
        Assert.Equal("{\"w\":1}", (string?)dead["body"]);
        trigger = await platform.Admin.WaitForAsync(TriggerPath("dlsref") + "/failing", t => Manifests.Condition(t, "Ready") == "True", "trigger ready");
        Assert.Equal("http://dead-letters.dlsref.example.com", (string?)trigger["status"]!["deadLetterSinkUri"]);
        using var deleted = await platform.Admin.DeleteAsync(Manifests.ServicePath("dlsref", "dead-letters"));
    }

    private static string? PathOf(JsonNode request) => (string?)request["path"];

    private static string? Header(JsonNode request, string name) => (string?)request["headers"]![name];

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
