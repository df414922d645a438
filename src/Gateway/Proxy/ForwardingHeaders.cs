using System.Net;
using System.Net.Sockets;

namespace Knative.Orleans.Gateway.Proxy;

/// <summary>
/// The forwarding headers the gateway sends to an instance, as Knative's activator does, computed once for both
/// forwarders (<see cref="ForwardingTransformer"/> for YARP, <see cref="DirectForwarder"/>): X-Forwarded-For (the
/// client's list with the client IP appended), X-Forwarded-Proto and X-Forwarded-Host (set, replacing the client's),
/// and RFC 7239 Forwarded (only when the client sent none). Knative-Serving-Revision / Knative-Serving-Namespace are
/// the platform's and never pass from a client.
/// </summary>
/// <param name="XForwardedFor">The X-Forwarded-For value to send, or null for none.</param>
/// <param name="XForwardedProto">The X-Forwarded-Proto value.</param>
/// <param name="XForwardedHost">The X-Forwarded-Host value, or null when the request had no Host.</param>
/// <param name="Forwarded">The Forwarded element to add, or null when the client sent its own (kept as it is).</param>
internal readonly record struct ForwardingHeaders(string? XForwardedFor, string XForwardedProto, string? XForwardedHost, string? Forwarded)
{
    public const string XForwardedForName = "X-Forwarded-For";
    public const string XForwardedProtoName = "X-Forwarded-Proto";
    public const string XForwardedHostName = "X-Forwarded-Host";
    public const string ForwardedName = "Forwarded";

    /// <summary>Headers a client may not set: dropped from what it sent.</summary>
    public static readonly string[] PlatformHeaders = ["Knative-Serving-Revision", "Knative-Serving-Namespace"];

    /// <summary>Headers the gateway sets, replacing what the client sent.</summary>
    public static readonly string[] Replaced = [XForwardedForName, XForwardedProtoName, XForwardedHostName];

    /// <summary>The values for <paramref name="context"/>'s request.</summary>
    public static ForwardingHeaders Of(HttpContext context)
    {
        var request = context.Request;
        var clientHeaders = request.Headers;
        var clientIp = ClientIp(context.Connection.RemoteIpAddress);
        var clientIpText = clientIp?.ToString();
        var priorFor = clientHeaders[XForwardedForName];
        var forwardedFor = priorFor.Count == 0 ? clientIpText
            : string.Join(", ", clientIpText is null ? priorFor.ToArray() : [.. priorFor, clientIpText]);
        var host = request.Host.HasValue ? request.Host.Value : null;
        var forwarded = clientHeaders.ContainsKey(ForwardedName) ? null : ForwardedValue(clientIp, clientIpText, host, request.Scheme);
        return new ForwardingHeaders(forwardedFor, request.Scheme, host, forwarded);
    }

    /// <summary>An RFC 7239 element: <c>for=192.0.2.7;host=hello.default.example.com;proto=http</c>.</summary>
    internal static string ForwardedValue(IPAddress? clientIp, string? host, string scheme) =>
        ForwardedValue(clientIp, clientIp?.ToString(), host, scheme);

    // One concatenation (no list, no join); clientIpText is clientIp.ToString().
    private static string ForwardedValue(IPAddress? clientIp, string? clientIpText, string? host, string scheme)
    {
        // IPv6 nodes are bracketed and, since ':' is not a token character, quoted (RFC 7239 section 6).
        var forValue = clientIp is null ? null
            : clientIp.AddressFamily == AddressFamily.InterNetworkV6 ? $"\"[{clientIpText}]\"" : clientIpText;
        var hostValue = string.IsNullOrEmpty(host) ? null : TokenOrQuoted(host);
        return (forValue, hostValue) switch
        {
            (null, null) => "proto=" + scheme,
            (null, _) => string.Concat("host=", hostValue, ";proto=", scheme),
            (_, null) => string.Concat("for=", forValue, ";proto=", scheme),
            _ => string.Concat(["for=", forValue, ";host=", hostValue, ";proto=", scheme]),
        };
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
}
