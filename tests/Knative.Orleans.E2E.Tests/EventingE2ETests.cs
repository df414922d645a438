using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

[Trait("Category", "E2E")]
public sealed class EventingE2ETests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "kno-ev-" + Guid.NewGuid().ToString("N")[..8]);

    private static string BrokerPath(string ns) => $"/apis/eventing.knative.dev/v1/namespaces/{ns}/brokers";

    private static string TriggerPath(string ns) => $"/apis/eventing.knative.dev/v1/namespaces/{ns}/triggers";

    private static HttpRequestMessage Binary(string path, string id, string type, string body = "{\"n\":1}", string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-id", id);
        request.Headers.Add("ce-source", "/e2e");
        request.Headers.Add("ce-type", type);
        return request;
    }

    private static HttpRequestMessage Structured(string path, string json) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(json, Encoding.UTF8, "application/cloudevents+json"),
    };

    private static async Task CreateAsync(PlatformProcess platform, string path, string yaml)
    {
        using var response = await platform.Admin.PostAsync(path, Manifests.Yaml(yaml));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static string TriggerYaml(string name, string subscriber, string filter = "", string delivery = "") => $"""
        apiVersion: eventing.knative.dev/v1
        kind: Trigger
        metadata:
          name: {name}
        spec:
          broker: default
        {filter}
          subscriber:
            uri: {subscriber}
        {delivery}
        """;

    private static async Task<HttpStatusCode> SendAsync(PlatformProcess platform, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await platform.Gateway.SendAsync(request);
            return response.StatusCode;
        }
    }

    [Fact]
    public async Task Filtered_events_reach_the_subscriber_in_their_mode_and_failures_are_dead_lettered()
    {
        await using var subscriber = new EventSubscriber(Path.Combine(_data, "sub"));
        await subscriber.StartAsync();
        await using var platform = new PlatformProcess(_data);
        await platform.StartAsync();
        await CreateAsync(platform, BrokerPath("ev"), "apiVersion: eventing.knative.dev/v1\nkind: Broker\nmetadata:\n  name: default\n");
        var broker = await platform.Admin.GetJsonAsync(BrokerPath("ev") + "/default");
        Assert.Equal($"http://127.0.0.1:{platform.GatewayPort}/ev/default", (string?)broker["status"]!["address"]!["url"]);
        await CreateAsync(platform, TriggerPath("ev"), TriggerYaml("orders", subscriber.Url + "/orders",
            "  filters:\n  - cesql: \"type LIKE 'order.%'\""));
        await CreateAsync(platform, TriggerPath("ev"), TriggerYaml("boom", subscriber.Url + "/fail",
            "  filter:\n    attributes:\n      type: boom",
            $"  delivery:\n    retry: 2\n    backoffDelay: PT0.1S\n    deadLetterSink:\n      uri: {subscriber.Url}/dls"));

        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/ev/default", "b-1", "order.created")));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/ev/default", "b-2", "other")));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Structured("/ev/default",
            """{"specversion":"1.0","id":"s-1","source":"/e2e","type":"order.paid","data":{"a":1}}""")));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/ev/default", "x-1", "boom", "payload", "text/plain")));

        var received = await subscriber.WaitForAsync(r => r.Count(x => PathOf(x) == "/orders") == 2 && r.Any(x => PathOf(x) == "/dls"), "orders and dead letter");
        var binary = received.Single(r => Header(r, "ce-id") == "b-1");
        Assert.Equal("/orders", PathOf(binary));
        Assert.Equal("{\"n\":1}", (string?)binary["body"]);
        Assert.Equal("reply", Header(binary, "prefer"));
        Assert.Equal("ev", Header(binary, "kn-namespace"));
        Assert.NotNull(Header(binary, "ce-knativearrivaltime"));
        Assert.Null(Header(binary, "ce-knativebrokerttl"));
        var structured = received.Single(r => PathOf(r) == "/orders" && r != binary);
        Assert.StartsWith("application/cloudevents+json", Header(structured, "content-type"), StringComparison.Ordinal);
        var json = JsonNode.Parse((string)structured["body"]!)!;
        Assert.Equal("s-1", (string?)json["id"]);
        Assert.Equal(1, (int)json["data"]!["a"]!);
        Assert.DoesNotContain(received, r => Header(r, "ce-id") == "b-2");

        Assert.Equal(3, received.Count(r => PathOf(r) == "/fail"));
        var dead = received.Single(r => PathOf(r) == "/dls");
        Assert.Equal("x-1", Header(dead, "ce-id"));
        Assert.Equal("500", Header(dead, "ce-knativeerrorcode"));
        Assert.Equal(subscriber.Url + "/fail", Header(dead, "ce-knativeerrordest"));
        Assert.Equal(Convert.ToBase64String("oops"u8.ToArray()), Header(dead, "ce-knativeerrordata"));
        Assert.Equal("payload", (string?)dead["body"]);
        Assert.Null(Header(dead, "prefer"));
    }

    [Fact]
    public async Task A_subscribers_reply_is_a_new_event_that_another_trigger_delivers()
    {
        await using var subscriber = new EventSubscriber(Path.Combine(_data, "sub"));
        await subscriber.StartAsync();
        await using var platform = new PlatformProcess(_data);
        await platform.StartAsync();
        await CreateAsync(platform, BrokerPath("rep"), "metadata:\n  name: default\n");
        await CreateAsync(platform, TriggerPath("rep"), TriggerYaml("orders", subscriber.Url + "/reply",
            "  filter:\n    attributes:\n      type: order.created"));
        await CreateAsync(platform, TriggerPath("rep"), TriggerYaml("replies", subscriber.Url + "/sink",
            "  filter:\n    attributes:\n      type: order.created.reply"));

        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/rep/default", "o-1", "order.created")));

        var received = await subscriber.WaitForAsync(r => r.Any(x => PathOf(x) == "/sink"), "the reply delivered by the second trigger");
        var reply = received.Single(x => PathOf(x) == "/sink");
        Assert.Equal("reply-o-1", Header(reply, "ce-id"));
        Assert.Equal("order.created.reply", Header(reply, "ce-type"));
        Assert.Equal("/replier", Header(reply, "ce-source"));
        Assert.Equal("{\"reply\":true}", (string?)reply["body"]);
        Assert.NotNull(Header(reply, "ce-knativearrivaltime"));
        Assert.Null(Header(reply, "ce-knativebrokerttl"));
        Assert.Single(received, x => PathOf(x) == "/reply"); // the original was delivered once: storing the reply succeeded
    }

    [Fact]
    public async Task A_subscriber_ref_to_a_knative_service_at_zero_is_cold_started_through_the_gateway()
    {
        await using var sink = new EventSubscriber(Path.Combine(_data, "sink"));
        await sink.StartAsync();
        await using var platform = new PlatformProcess(_data, new Dictionary<string, string?> { ["Autoscaler:allow-zero-initial-scale"] = "true" });
        await platform.StartAsync();
        await CreateAsync(platform, BrokerPath("svc"), "metadata:\n  name: default\n");
        // POST /echo answers 200 with the request body: not a CloudEvent, so the delivery fails (502) and the DLS receives the
        // original with the echoed body as knativeerrordata, which proves the service received the event.
        await CreateAsync(platform, TriggerPath("svc"), $"""
            metadata:
              name: to-hello
            spec:
              broker: default
              subscriber:
                ref:
                  apiVersion: serving.knative.dev/v1
                  kind: Service
                  name: hello
                uri: /echo
              delivery:
                deadLetterSink:
                  uri: {sink.Url}/dls
            """);
        var trigger = await platform.Admin.GetJsonAsync(TriggerPath("svc") + "/to-hello");
        Assert.Equal("False", Manifests.Condition(trigger, "SubscriberResolved"));
        Assert.Equal("Unable to get the Subscriber's URI", Manifests.Condition(trigger, "SubscriberResolved", "reason"));
        Assert.Equal("svc", (string?)trigger["spec"]!["subscriber"]!["ref"]!["namespace"]);

        var marker = "ev-svc-" + Guid.NewGuid().ToString("N")[..8];
        var yaml = Manifests.HelloYaml("hello", marker)
            .Replace("    spec:\n      containers:", "    metadata:\n      annotations:\n        autoscaling.knative.dev/initial-scale: \"0\"\n    spec:\n      containers:");
        using (var created = await platform.Admin.PostAsync(Manifests.ServicePath("svc"), Manifests.Yaml(yaml)))
        {
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        await platform.Admin.WaitForAsync(Manifests.RevisionPath("svc", "hello-00001"), r => (int?)r["status"]!["actualReplicas"] == 0, "at zero");
        Assert.Empty(Workloads.WithMarker(marker));
        trigger = await platform.Admin.WaitForAsync(TriggerPath("svc") + "/to-hello", t => Manifests.Condition(t, "Ready") == "True", "trigger ready");
        Assert.Equal("http://hello.svc.example.com/echo", (string?)trigger["status"]!["subscriberUri"]);

        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/svc/default", "cold-1", "t", "{\"cold\":true}")));

        var received = await sink.WaitForAsync(r => r.Any(x => PathOf(x) == "/dls"), "the echo seen by the dead letter sink", 60);
        var dead = received.Single(x => PathOf(x) == "/dls");
        Assert.Equal("cold-1", Header(dead, "ce-id"));
        Assert.Equal("502", Header(dead, "ce-knativeerrorcode"));
        Assert.Equal("http://hello.svc.example.com/echo", Header(dead, "ce-knativeerrordest"));
        Assert.Equal(Convert.ToBase64String("{\"cold\":true}"u8.ToArray()), Header(dead, "ce-knativeerrordata"));
        Assert.NotEmpty(Workloads.WithMarker(marker)); // cold-started by the gateway
        using var deleted = await platform.Admin.DeleteAsync(Manifests.ServicePath("svc", "hello"));
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Bad_input_gets_400_404_405_413()
    {
        await using var platform = new PlatformProcess(_data, new Dictionary<string, string?> { ["Eventing:MaxEventBytes"] = "100" });
        await platform.StartAsync();
        await CreateAsync(platform, BrokerPath("bad"), "metadata:\n  name: default\n");

        using (var get = await platform.Gateway.GetAsync("/bad/default"))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
            Assert.Equal("POST, OPTIONS", get.Content.Headers.Allow.Count > 0 ? string.Join(", ", get.Content.Headers.Allow) : string.Join(", ", get.Headers.GetValues("Allow")));
        }

        using (var options = await platform.Gateway.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/bad/default")))
        {
            Assert.Equal(HttpStatusCode.OK, options.StatusCode);
            Assert.Equal("*", options.Headers.GetValues("WebHook-Allowed-Origin").Single());
        }

        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(platform, new HttpRequestMessage(HttpMethod.Post, "/bad/default") { Content = new StringContent("x") }));
        var missingType = Binary("/bad/default", "1", "t");
        missingType.Headers.Remove("ce-type");
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(platform, missingType));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(platform, new HttpRequestMessage(HttpMethod.Post, "/bad/default")
        {
            Content = new StringContent("[]", Encoding.UTF8, "application/cloudevents-batch+json"),
        }));
        var ttlOne = Binary("/bad/default", "1", "t");
        ttlOne.Headers.Add("ce-knativebrokerttl", "1");
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(platform, ttlOne));
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(platform, Binary("/bad/default/extra", "1", "t"))); // not an ingress path
        Assert.Equal(HttpStatusCode.NotFound, await SendAsync(platform, Binary("/bad/nope", "1", "t")));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await SendAsync(platform, Binary("/bad/default", "1", "t", new string('x', 101), "text/plain")));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/bad/default", "1", "t", new string('x', 100), "text/plain")));
    }

    [Fact]
    public async Task Events_accepted_before_a_restart_are_delivered_after_it_when_the_subscriber_is_back()
    {
        var port = PlatformProcess.FreePort();
        await using (var platform = new PlatformProcess(_data))
        {
            await platform.StartAsync();
            await CreateAsync(platform, BrokerPath("dur"), "metadata:\n  name: default\n");
            await CreateAsync(platform, TriggerPath("dur"), TriggerYaml("all", $"http://127.0.0.1:{port}/in",
                delivery: "  delivery:\n    retry: 1000\n    backoffDelay: PT0.2S\n    backoffPolicy: linear"));
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/dur/default", "d-" + i, "t")));
            }

            var (code, _) = await platform.TerminateAsync(); // the subscriber is down: nothing could be delivered
            Assert.Equal(0, code);
        }

        await using var subscriber = new EventSubscriber(Path.Combine(_data, "sub"), port);
        await subscriber.StartAsync();
        await using var restarted = new PlatformProcess(_data);
        await restarted.StartAsync();
        var received = await subscriber.WaitForAsync(r => Enumerable.Range(0, 5).All(i => r.Any(x => Header(x, "ce-id") == "d-" + i)), "all 5 events after restart", 60);
        Assert.All(received, r => Assert.Equal("/in", PathOf(r)));
    }

    [Fact]
    public async Task Ordered_delivery_keeps_arrival_order_through_retries_and_parallel_delivery_passes_a_slow_event()
    {
        await using var subscriber = new EventSubscriber(Path.Combine(_data, "sub"));
        await subscriber.StartAsync();
        await using var platform = new PlatformProcess(_data);
        await platform.StartAsync();
        await CreateAsync(platform, BrokerPath("ord"), "metadata:\n  name: default\n");
        await CreateAsync(platform, TriggerPath("ord"), $"""
            metadata:
              name: ordered
              annotations:
                kafka.eventing.knative.dev/delivery.order: ordered
            spec:
              broker: default
              filter:
                attributes:
                  type: seq
              subscriber:
                uri: {subscriber.Url}/flaky
              delivery:
                retry: 3
                backoffDelay: PT0.05S
            """);
        await CreateAsync(platform, TriggerPath("ord"), $"""
            metadata:
              name: parallel
              annotations:
                eventing.knative.dev/parallelism: "8"
            spec:
              broker: default
              filter:
                attributes:
                  type: mix
              subscriber:
                uri: {subscriber.Url}/mixed
            """);
        using (var bad = await platform.Admin.PostAsync(TriggerPath("ord"), Manifests.Yaml("""
            metadata:
              name: bad
              annotations:
                kafka.eventing.knative.dev/delivery.order: sorted
            spec:
              broker: default
              subscriber:
                uri: http://127.0.0.1:1/
            """)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("invalid value: sorted: metadata.annotations.kafka.eventing.knative.dev/delivery.order", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/ord/default", "o-" + i, "seq")));
        }

        // Every event fails once: ordered delivery still sends o-0, o-0, o-1, o-1, ... (the retry happens before the next event).
        var received = await subscriber.WaitForAsync(r => r.Count(x => PathOf(x) == "/flaky") == 20, "20 ordered attempts", 60);
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(i => new[] { "o-" + i, "o-" + i }), received.Where(x => PathOf(x) == "/flaky").Select(x => Header(x, "ce-id")));

        // The slow event is answered only once 5 later events reached the subscriber: only parallel delivery gets there.
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/ord/default", "slow-1", "mix")));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/ord/default", "fast-" + i, "mix")));
        }

        received = await subscriber.WaitForAsync(r => r.Any(x => PathOf(x) == "/mixed/done"), "the slow event answered", 60);
        Assert.Equal("200", (string?)received.Single(x => PathOf(x) == "/mixed/done")["body"]);
    }

    [Fact]
    public async Task Concurrent_producers_all_get_202_and_every_event_is_delivered()
    {
        await using var subscriber = new EventSubscriber(Path.Combine(_data, "sub"));
        await subscriber.StartAsync();
        await using var platform = new PlatformProcess(_data);
        await platform.StartAsync();
        await CreateAsync(platform, BrokerPath("many"), "metadata:\n  name: default\n");
        await CreateAsync(platform, TriggerPath("many"), TriggerYaml("all", subscriber.Url + "/in"));

        // 16 producers x 25 events at once: the gateway coalesces the waiting ones into batches (IBrokerGrain.IngestBatchAsync).
        var statuses = await Task.WhenAll(Enumerable.Range(0, 16).Select(p => Task.Run(async () =>
        {
            var mine = new List<HttpStatusCode>();
            for (var i = 0; i < 25; i++)
            {
                mine.Add(await SendAsync(platform, Binary("/many/default", $"c-{p}-{i}", "t")));
            }

            return mine;
        })));
        Assert.All(statuses.SelectMany(s => s), s => Assert.Equal(HttpStatusCode.Accepted, s));

        var ids = Enumerable.Range(0, 16).SelectMany(p => Enumerable.Range(0, 25).Select(i => (string?)$"c-{p}-{i}")).ToHashSet();
        var received = await subscriber.WaitForAsync(r => ids.IsSubsetOf(r.Select(x => Header(x, "ce-id"))), "all 400 events delivered", 60);
        Assert.All(received, r => Assert.Contains(Header(r, "ce-id"), ids));
    }

    [Fact]
    public async Task With_redis_ingress_answers_503_while_redis_is_down_and_recovers_by_itself()
    {
        await using var redis = await Knative.Orleans.Tests.Shared.RedisServer.StartNewAsync();
        await using var subscriber = new EventSubscriber(Path.Combine(_data, "sub"));
        await subscriber.StartAsync();
        await using var platform = new PlatformProcess(_data, new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = redis.ConnectionString,
            ["Eventing:ResyncPeriod"] = "00:00:01",
        });
        await platform.StartAsync();
        await CreateAsync(platform, BrokerPath("red"), "metadata:\n  name: default\n");
        await CreateAsync(platform, TriggerPath("red"), TriggerYaml("all", subscriber.Url + "/in"));

        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(platform, Binary("/red/default", "r-1", "t")));
        await subscriber.WaitForAsync(r => r.Any(x => Header(x, "ce-id") == "r-1"), "r-1 delivered from Redis");

        await redis.KillAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SendAsync(platform, Binary("/red/default", "r-lost", "t")));

        await redis.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpStatusCode status;
        while ((status = await SendAsync(platform, Binary("/red/default", "r-2", "t"))) != HttpStatusCode.Accepted)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status); // never anything else while reconnecting
            Assert.True(DateTime.UtcNow < deadline, "ingress did not recover after Redis restarted");
            await Task.Delay(200);
        }

        var received = await subscriber.WaitForAsync(r => r.Any(x => Header(x, "ce-id") == "r-2"), "r-2 delivered after the restart", 60);
        Assert.DoesNotContain(received, x => Header(x, "ce-id") == "r-lost");
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
