using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Silo.Eventing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Tests.Eventing;

public sealed class HttpEventDispatcherTests
{
    private static readonly BrokerEvent Original = new()
    {
        Mode = EventContentMode.Binary,
        Payload = CloudEventCodec.Encode(new CloudEvent { Id = "o", Source = new Uri("/t", UriKind.Relative), Type = "t" }),
    };

    /// <summary>The same cases through both senders: the plain HTTP/1.1 client (http targets) and HttpClient (the rest).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Replies_are_decoded_from_2xx_only_and_a_non_event_body_is_a_reply_error(bool plainHttp)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost("/binary", (HttpContext c) =>
        {
            c.Response.Headers["ce-specversion"] = "1.0";
            c.Response.Headers["ce-id"] = "r1";
            c.Response.Headers["ce-source"] = "/r";
            c.Response.Headers["ce-type"] = "reply";
            return Results.Text("raw", "text/plain");
        });
        app.MapPost("/structured", () => Results.Text("""{"specversion":"1.0","id":"r2","source":"/r","type":"reply","data":{"a":1}}""", "application/cloudevents+json"));
        app.MapPost("/accepted", () => Results.Text("""{"specversion":"1.0","id":"r3","source":"/r","type":"reply"}""", "application/cloudevents+json", statusCode: 202));
        app.MapPost("/binary03", (HttpContext c) =>
        {
            c.Response.Headers["ce-specversion"] = "0.3";
            c.Response.Headers["ce-id"] = "r03";
            c.Response.Headers["ce-source"] = "/r";
            c.Response.Headers["ce-type"] = "reply";
            c.Response.Headers["X-Request-Id"] = "req-1";
            c.Response.Headers["X-Other"] = "dropped";
            return Results.Text("raw", "text/plain");
        });
        app.MapPost("/text", () => Results.Text("hello", "text/plain"));
        app.MapPost("/empty", () => Results.Ok());
        app.MapPost("/empty-event", (HttpContext c) =>
        {
            c.Response.Headers["ce-specversion"] = "1.0";
            c.Response.Headers["ce-id"] = "r0";
            c.Response.Headers["ce-source"] = "/r";
            c.Response.Headers["ce-type"] = "reply";
            return Results.Ok();
        });
        app.MapPost("/host", (HttpContext c) => Results.Text(c.Request.Host.Value ?? "", "text/plain", statusCode: 500));
        app.MapPost("/cookie", (HttpContext c) =>
        {
            c.Response.Headers.SetCookie = "session=s1; Path=/";
            return Results.Text(c.Request.Headers.Cookie.ToString(), "text/plain", statusCode: 500);
        });
        app.MapPost("/big-reply", () => Results.Text("{\"specversion\":\"1.0\",\"id\":\"big\",\"source\":\"/r\",\"type\":\"reply\",\"data\":\""
            + new string('x', 70 * 1024) + "\"}", "application/cloudevents+json"));
        app.MapPost("/big-error", () => Results.Text(new string('e', 10_000), "text/plain", statusCode: 503));
        app.MapPost("/chunked-reply", async (HttpContext c) =>
        {
            c.Response.ContentType = "application/cloudevents+json";
            await c.Response.WriteAsync("""{"specversion":"1.0","id":"ch","""); // no Content-Length: Kestrel sends it chunked
            await c.Response.Body.FlushAsync();
            await c.Response.WriteAsync(""" "source":"/r","type":"reply"}""");
        });
        app.MapPost("/headers", (HttpContext c) => Results.Text(
            string.Join("|", new[] { "ce-id", "ce-type", "Content-Type", "Kn-Namespace", "Prefer", "knative-x", "Content-Length" }.Select(h => h + "=" + c.Request.Headers[h])),
            "text/plain", statusCode: 500));
        app.MapPost("/echo-id", (HttpContext c) => Results.Text(c.Request.Headers["ce-id"].ToString() + "|" + c.Request.ContentType, "text/plain", statusCode: 500));
        await app.StartAsync();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var dispatcher = new HttpEventDispatcher(Options.Create(new EventingOptions { MaxEventBytes = 64 * 1024 })) { UsePlainHttp = plainHttp };

        Task<DispatchResult> Send(string path, string? host = null) => dispatcher.SendAsync(
            new DispatchRequest(new Uri(baseUrl + path), Original, "ns", preferReply: true, TimeSpan.FromSeconds(10), host), CancellationToken.None);

        var binary = await Send("/binary");
        Assert.Equal(EventContentMode.Binary, binary.Reply!.Mode);
        var ce = CloudEventCodec.Decode(binary.Reply.Payload);
        Assert.Equal(("r1", "reply"), (ce.Id, ce.Type));
        Assert.Equal("raw"u8.ToArray(), (byte[])ce.Data!);

        var structured = await Send("/structured");
        Assert.Equal(EventContentMode.Structured, structured.Reply!.Mode);
        Assert.Equal("r2", CloudEventCodec.Decode(structured.Reply.Payload).Id);

        var reply03 = await Send("/binary03");
        var stored03 = CloudEventCodec.Decode(reply03.Reply!.Payload);
        Assert.Equal(("r03", "0.3"), (stored03.Id, PrivateAttributes.SpecVersionOf(stored03))); // a 0.3 reply stays 0.3
        Assert.Equal(new Dictionary<string, string> { ["x-request-id"] = "req-1" }, PrivateAttributes.HeadersOf(stored03));

        var accepted = await Send("/accepted");
        Assert.Equal((202, null, null), (accepted.StatusCode, accepted.Reply, accepted.ReplyError));

        var text = await Send("/text");
        Assert.Null(text.Reply);
        Assert.StartsWith("the response is not a valid CloudEvent", text.ReplyError, StringComparison.Ordinal);
        Assert.Equal("hello"u8.ToArray(), text.Body);

        var empty = await Send("/empty");
        Assert.Equal((200, null, null), (empty.StatusCode, empty.Reply, empty.ReplyError));
        var emptyEvent = await Send("/empty-event"); // no body, but CloudEvent headers: a reply without data
        var r0 = CloudEventCodec.Decode(emptyEvent.Reply!.Payload);
        Assert.Equal(("r0", null), (r0.Id, r0.Data));

        var big = await Send("/big-reply"); // above Eventing:MaxEventBytes: delivered, the reply refused
        Assert.Equal((200, null), (big.StatusCode, big.Reply));
        Assert.Equal("the reply is larger than 65536 bytes (Eventing:MaxEventBytes)", big.ReplyError);
        Assert.Equal(4096, big.Body.Length);
        var bigError = await Send("/big-error"); // the first 4 KiB of an error body (knativeerrordata)
        Assert.Equal((503, 4096), (bigError.StatusCode, bigError.Body.Length));
        Assert.Equal("ch", CloudEventCodec.Decode((await Send("/chunked-reply")).Reply!.Payload).Id);

        var host = await Send("/host", "hello.ns.example.com");
        Assert.Equal("hello.ns.example.com", System.Text.Encoding.UTF8.GetString(host.Body));

        // A subscriber's cookie never rides along with the next event.
        Assert.Empty((await Send("/cookie")).Body);
        Assert.Empty((await Send("/cookie")).Body);

        // A stored event's HTTP form (written once per event for all triggers, from its decoded form) is what is sent: the
        // stored payload (here another event) is not decoded again, nor encoded.
        var outgoing = new CloudEvent { Id = "pre", Source = new Uri("/t", UriKind.Relative), Type = "t", DataContentType = "text/plain", Data = "x" };
        var decoded = new Knative.Orleans.Grains.Eventing.DecodedEvent("ns/b", 1, Original, Knative.Orleans.Grains.Eventing.Filters.EventAttributes.From(outgoing), outgoing, storedWithTtl: true);
        var echoed = await dispatcher.SendAsync(new DispatchRequest(new Uri(baseUrl + "/echo-id"), decoded, "ns", preferReply: true, TimeSpan.FromSeconds(10)),
            CancellationToken.None);
        Assert.Equal("pre|text/plain", System.Text.Encoding.UTF8.GetString(echoed.Body));

        // What a subscriber receives: the event's headers, pass-through headers, Kn-Namespace and Prefer (not toward a dead letter sink).
        var withHeaders = new CloudEvent { Id = "h1", Source = new Uri("/t", UriKind.Relative), Type = "t.h", DataContentType = "text/plain", Data = "hi" };
        PrivateAttributes.KeepHeaders(withHeaders, [KeyValuePair.Create("Knative-X", (string?)"kx")]);
        var stored = new BrokerEvent { Mode = EventContentMode.Binary, Payload = CloudEventCodec.Encode(withHeaders) };
        var seen = await dispatcher.SendAsync(new DispatchRequest(new Uri(baseUrl + "/headers"), stored, "ns1", preferReply: true, TimeSpan.FromSeconds(10)),
            CancellationToken.None);
        Assert.Equal("ce-id=h1|ce-type=t.h|Content-Type=text/plain|Kn-Namespace=ns1|Prefer=reply|knative-x=kx|Content-Length=2", System.Text.Encoding.UTF8.GetString(seen.Body));
        var toSink = await dispatcher.SendAsync(new DispatchRequest(new Uri(baseUrl + "/headers"), stored, "ns1", preferReply: false, TimeSpan.FromSeconds(10)),
            CancellationToken.None);
        Assert.Equal("ce-id=h1|ce-type=t.h|Content-Type=text/plain|Kn-Namespace=ns1|Prefer=|knative-x=kx|Content-Length=2", System.Text.Encoding.UTF8.GetString(toSink.Body));
        if (plainHttp)
        {
            Assert.Equal(1, dispatcher.PlainConnectionsOpened); // one keep-alive connection for every request above
        }
    }
}
