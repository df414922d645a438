using System.IO.Pipelines;
using System.Net;
using System.Text;
using Knative.Orleans.Gateway.Hosting;
using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Tests.Infrastructure;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>
/// HTTP/2 on the data plane: clients may speak h2c (prior knowledge) or HTTP/1.1 on the same port, and the gateway
/// talks HTTP/2 to a revision whose port is named h2c, HTTP/1.1 otherwise, whatever the client spoke.
/// </summary>
public sealed class Http2Tests : IAsyncLifetime
{
    private readonly FakeRoutingSource _source = new();
    private TestBackend _h2c = null!;
    private TestBackend _http1 = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _h2c = await TestBackend.StartAsync("h2c", http2Only: true);
        _http1 = await TestBackend.StartAsync("http1");
        _source.AddService("default", "grpc", [("grpc-00001", 100)]);
        _source.SetEndpoints("default/grpc-00001", 1, [_h2c.Url], http2: true);
        _source.AddService("default", "web", [("web-00001", 100)]);
        _source.SetEndpoints("default/web-00001", 1, [_http1.Url]);
        _gateway = await GatewayHost.StartAsync(_source);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _h2c.DisposeAsync();
        await _http1.DisposeAsync();
    }

    [Theory]
    [InlineData("grpc.default.example.com", "h2c", "HTTP/2")]
    [InlineData("web.default.example.com", "http1", "HTTP/1.1")]
    public async Task Prior_knowledge_h2c_clients_are_served_over_HTTP2_and_forwarded_in_the_revision_protocol(
        string host, string backend, string upstreamProtocol)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = _gateway.Client.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("body"),
        };
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        var echo = await TestBackend.Echo.ReadAsync(response);
        Assert.Equal(backend, echo.Backend);
        Assert.Equal(upstreamProtocol, echo.Protocol);
        Assert.Equal("body", echo.Body);
        Assert.Equal(host, echo.Header("Host"));
        Assert.Equal("http", echo.Header("X-Forwarded-Proto")); // cleartext, although Kestrel was told "h2" as if by ALPN
    }

    [Fact]
    public async Task HTTP1_clients_of_an_h2c_revision_are_forwarded_over_HTTP2()
    {
        using var response = await _gateway.SendAsync("grpc.default.example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        var echo = await TestBackend.Echo.ReadAsync(response);
        Assert.Equal("HTTP/2", echo.Protocol);
    }

    [Fact]
    public async Task HTTP2_platform_paths_answer_too()
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = _gateway.Client.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    public static TheoryData<string, bool?> Prefixes => new()
    {
        { "", null },
        { "PRI * HTTP/2.0\r\n", null },
        { "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", true },
        { "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\x12\x04", true },
        { "GET / HTTP/1.1\r\n", false },
        { "P", null },
        { "PUT / HTTP/1.1\r\n", false },
        { "PRI * HTTP/1.1\r\n", false },
    };

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void The_preface_is_recognised_from_its_first_byte_on(string bytes, bool? expected) =>
        Assert.Equal(expected, Http2PriorKnowledge.Match(new System.Buffers.ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(bytes))));

    [Fact]
    public async Task Sniffing_consumes_nothing_and_decides_across_several_writes()
    {
        var pipe = new Pipe();
        var sniff = Http2PriorKnowledge.StartsWithPrefaceAsync(pipe.Reader, CancellationToken.None).AsTask();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n"));
        Assert.False(sniff.IsCompleted); // a prefix of the preface: needs more bytes
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("\r\nSM\r\n\r\nrest"));
        Assert.True(await sniff);

        var read = await pipe.Reader.ReadAsync();
        Assert.Equal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nrest", Encoding.ASCII.GetString(read.Buffer));
    }
}
