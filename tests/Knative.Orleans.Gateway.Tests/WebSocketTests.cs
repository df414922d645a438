using System.Net.WebSockets;
using System.Text;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>
/// Upgraded connections under the request timers: the 101 is the response start; then timeoutSeconds caps the
/// connection and idleTimeoutSeconds counts bytes from the instance. The gateway's clock is scripted, so the test
/// moves time instead of waiting for it.
/// </summary>
public sealed class WebSocketTests : IAsyncLifetime
{
    private const string Rev = "default/ws-00001";
    private readonly FakeRoutingSource _source = new();
    private readonly FakeTimeProvider _time = new();
    private TestBackend _backend = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _backend = await TestBackend.StartAsync("ws");
        _source.AddService("default", "ws", [("ws-00001", 100)]);
        _source.SetEndpoints(Rev, 1, [_backend.Url], timeoutSeconds: 60, responseStartTimeoutSeconds: 1, idleTimeoutSeconds: 10);
        _gateway = await GatewayHost.StartAsync(_source, s => s.AddSingleton<TimeProvider>(_time));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task The_101_is_the_response_start_and_workload_bytes_keep_the_connection_alive_until_timeout_seconds()
    {
        using var socket = await ConnectAsync();
        Assert.Equal("hello", await ReceiveAsync(socket));

        // Past responseStartTimeoutSeconds (1 s): the 101 started the response, so nothing fires.
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("ping", await EchoAsync(socket, "ping"));

        // Every 8 s a byte from the instance: idleTimeoutSeconds (10 s) never fires.
        for (var t = 2; t < 58; t += 8)
        {
            _time.Advance(TimeSpan.FromSeconds(8));
            Assert.Equal($"at {t + 8}", await EchoAsync(socket, $"at {t + 8}"));
        }

        // timeoutSeconds (60 s) caps the connection: it is aborted, not closed.
        _time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<WebSocketException>(() => ReceiveAsync(socket));
    }

    [Fact]
    public async Task A_quiet_instance_is_cut_after_idle_timeout_seconds()
    {
        using var socket = await ConnectAsync();
        Assert.Equal("hello", await ReceiveAsync(socket));

        _time.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<WebSocketException>(() => ReceiveAsync(socket));
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Host", "ws.default.example.com");
        await socket.ConnectAsync(new UriBuilder(_gateway.Client.BaseAddress!) { Scheme = "ws", Path = "/ws" }.Uri, CancellationToken.None);
        return socket;
    }

    private static async Task<string> EchoAsync(ClientWebSocket socket, string text)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        return await ReceiveAsync(socket);
    }

    private static async Task<string> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }
}
