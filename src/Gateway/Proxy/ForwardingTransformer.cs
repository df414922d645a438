using System.Net;
using System.Net.Sockets;
using Knative.Orleans.Gateway.Throttling;
using Yarp.ReverseProxy.Forwarder;

namespace Knative.Orleans.Gateway.Proxy;

/// <summary>
/// Request transform of the gateway: keep everything the client sent, including Host, and add the forwarding
/// headers Knative's activator adds.
/// </summary>
/// <remarks>
/// YARP's <see cref="HttpTransformer.Default"/> suppresses the original Host (the destination's is sent) and sets
/// the X-Forwarded-* headers, dropping what the client sent. Knative keeps Host, because apps build URLs from it.
/// So this derives from the base transformer (which copies every header, Host included) and adds:
/// X-Forwarded-For (client IP appended), X-Forwarded-Proto and X-Forwarded-Host (set), RFC 7239 Forwarded (only when
/// absent), and strips Knative-Serving-Revision / Knative-Serving-Namespace, which only the platform may set.
/// </remarks>
public sealed class ForwardingTransformer : HttpTransformer
{
    /// <summary>The one instance; the transformer is stateless.</summary>
    public static readonly ForwardingTransformer Instance = new();

    private static readonly string[] PlatformHeaders = ["Knative-Serving-Revision", "Knative-Serving-Namespace"];

    private ForwardingTransformer()
    {
    }

    /// <inheritdoc />
    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        var request = httpContext.Request;
        var headers = proxyRequest.Headers;
        foreach (var name in PlatformHeaders)
        {
            headers.Remove(name);
        }

        // The base already copied Host; set it explicitly so the intent does not depend on that detail.
        headers.Host = request.Host.Value;

        var clientIp = ClientIp(httpContext.Connection.RemoteIpAddress);
        var priorFor = request.Headers[Names.XForwardedFor];
        headers.Remove(Names.XForwardedFor);
        if (clientIp is not null || priorFor.Count > 0)
        {
            var values = clientIp is null ? priorFor.ToArray() : [.. priorFor, clientIp.ToString()];
            headers.TryAddWithoutValidation(Names.XForwardedFor, string.Join(", ", values));
        }

        headers.Remove(Names.XForwardedProto);
        headers.TryAddWithoutValidation(Names.XForwardedProto, request.Scheme);
        headers.Remove(Names.XForwardedHost);
        if (request.Host.HasValue)
        {
            headers.TryAddWithoutValidation(Names.XForwardedHost, request.Host.Value);
        }

        if (!request.Headers.ContainsKey(Names.Forwarded))
        {
            headers.TryAddWithoutValidation(Names.Forwarded, ForwardedValue(clientIp, request.Host.Value, request.Scheme));
        }
    }

    /// <inheritdoc />
    /// <remarks>Called when the instance's response headers (or its 101) arrived: the response start of the request's timers.</remarks>
    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is not null)
        {
            httpContext.Features.Get<RequestTimers>()?.MarkResponseStarted();
        }

        return base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
    }

    /// <summary>An RFC 7239 element: <c>for=192.0.2.7;host=hello.default.example.com;proto=http</c>.</summary>
    internal static string ForwardedValue(IPAddress? clientIp, string? host, string scheme)
    {
        var parts = new List<string>(3);
        if (clientIp is not null)
        {
            // IPv6 nodes are bracketed and, since ':' is not a token character, quoted (RFC 7239 section 6).
            parts.Add(clientIp.AddressFamily == AddressFamily.InterNetworkV6 ? $"for=\"[{clientIp}]\"" : $"for={clientIp}");
        }

        if (!string.IsNullOrEmpty(host))
        {
            parts.Add($"host={TokenOrQuoted(host)}");
        }

        parts.Add($"proto={scheme}");
        return string.Join(';', parts);
    }

    private static IPAddress? ClientIp(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private static string TokenOrQuoted(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return $"\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
            }
        }

        return value;
    }

    private static class Names
    {
        public const string XForwardedFor = "X-Forwarded-For";
        public const string XForwardedProto = "X-Forwarded-Proto";
        public const string XForwardedHost = "X-Forwarded-Host";
        public const string Forwarded = "Forwarded";
    }
}
