using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Knative.Orleans.E2E.Tests.Infrastructure;
using ProtocolWorkload;

namespace Knative.Orleans.E2E.Tests;

/// <summary>
/// Data plane protocols through the real gateway to a real workload process (tests/Workloads/ProtocolWorkload): gRPC
/// over h2c (a port named h2c), WebSocket upgrades and server-sent events streamed as they are written.
/// </summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "E2E")]
public sealed class ProtocolE2ETests(PlatformFixture fx)
{
    private const string Ns = "protocols";

    private PlatformProcess P => fx.Platform;

    [Fact]
    public async Task Grpc_over_h2c_reaches_an_h2c_workload_through_the_gateway()
    {
        const string Name = "grpc";
        await CreateAsync(Name, h2c: true);
        using var channel = GrpcChannel.ForAddress($"http://{Name}.{Ns}.example.com", new GrpcChannelOptions
        {
            HttpHandler = ToGateway(),
        });
        var client = new Echo.EchoClient(channel);

        var reply = await client.SayAsync(new EchoRequest { Text = "hi" }, deadline: DateTime.UtcNow.AddSeconds(60));
        Assert.Equal("grpc-00001: hi", reply.Text);

        using var stream = client.Repeat(new EchoRequest { Text = "n", Count = 3 }, deadline: DateTime.UtcNow.AddSeconds(60));
        var replies = new List<string>();
        await foreach (var r in stream.ResponseStream.ReadAllAsync())
        {
            replies.Add(r.Text);
        }

        Assert.Equal(["n 1", "n 2", "n 3"], replies);
        Assert.Equal(StatusCode.OK, stream.GetStatus().StatusCode); // trailers passed through

        // An HTTP/1.1 client of the same service: the gateway still speaks HTTP/2 to the h2c-only workload.
        using var http1 = await P.Gateway.SendAsync(Manifests.ToService(Name, Ns));
        Assert.Equal(HttpStatusCode.OK, http1.StatusCode);
        Assert.Equal("protocol HTTP/2", await http1.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebSocket_upgrade_passes_through_and_echoes()
    {
        const string Name = "ws";
        await CreateAsync(Name, h2c: false);
        using var socket = new ClientWebSocket();
        using var invoker = new HttpMessageInvoker(ToGateway());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await socket.ConnectAsync(new Uri($"ws://{Name}.{Ns}.example.com/ws"), invoker, timeout.Token);

        var buffer = new byte[1024];
        foreach (var text in new[] { "one", "two", new string('x', 900) })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, received.MessageType);
            Assert.Equal(text, Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        await socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, endOfMessage: true, timeout.Token);
        var binary = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Binary, binary.MessageType);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..binary.Count]);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal("bye", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Server_sent_events_arrive_as_written_not_buffered()
    {
        const string Name = "sse";
        await CreateAsync(Name, h2c: false);
        var id = Guid.NewGuid().ToString("N");
        using var request = Manifests.ToService(Name, Ns, $"/sse?id={id}");
        using var response = await P.Gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The workload holds the stream open until it is released, so reading the first event now proves the gateway
        // passed it on before the workload finished the response.
        using var firstTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Assert.Equal("data: first", await reader.ReadLineAsync(firstTimeout.Token));
        Assert.Equal("", await reader.ReadLineAsync(firstTimeout.Token));

        using (var release = await P.Gateway.SendAsync(Manifests.ToService(Name, Ns, $"/sse/release?id={id}", HttpMethod.Post)))
        {
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }

        Assert.Equal("data: second\n\n", await reader.ReadToEndAsync(firstTimeout.Token));
    }

    private async Task CreateAsync(string name, bool h2c)
    {
        var marker = Guid.NewGuid().ToString("N");
        var yaml = $"""
            apiVersion: serving.knative.dev/v1
            kind: Service
            metadata:
              name: {name}
            spec:
              template:
                spec:
                  containers:
                    - image: protocol-workload
                      command: ["dotnet", "{Repo.ProtocolWorkloadDll}"{(h2c ? ", \"h2c\"" : "")}]
                      ports:
                        - name: {(h2c ? "h2c" : "http1")}
                          containerPort: 8080
                      env:
                        - name: E2E_MARKER
                          value: "{marker}"
            """;
        using (var created = await P.Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(yaml)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, name), s => Manifests.Condition(s, "Ready") == "True", $"{name} ready", seconds: 90);
    }

    /// <summary>A handler that sends every request to the gateway's port whatever the URL's host (DNS stand-in).</summary>
    private SocketsHttpHandler ToGateway() => new()
    {
        UseProxy = false,
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, P.GatewayPort, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
