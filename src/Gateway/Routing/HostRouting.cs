using System.Diagnostics.CodeAnalysis;

namespace Knative.Orleans.Gateway.Routing;

/// <summary>Maps a request host to a service key, following Knative's domain template <c>{name}.{namespace}.{domain}</c>.</summary>
public static class HostRouting
{
    /// <summary>
    /// True when <paramref name="host"/> (without port) is <c>{name}.{namespace}.{domain}</c>, compared without
    /// regard to case; <paramref name="serviceKey"/> is then <c>{namespace}/{name}</c> in lower case.
    /// </summary>
    /// <example><c>Hello.Default.example.com</c> with domain <c>example.com</c> gives <c>default/hello</c>.</example>
    public static bool TryGetServiceKey(string host, string domain, [NotNullWhen(true)] out string? serviceKey)
    {
        serviceKey = null;
        var span = host.AsSpan().TrimEnd('.');
        var suffixStart = span.Length - domain.Length - 1;
        if (suffixStart < 3 || span[suffixStart] != '.' || !span[(suffixStart + 1)..].Equals(domain, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var labels = span[..suffixStart];
        var dot = labels.IndexOf('.');
        if (dot <= 0 || dot == labels.Length - 1 || labels[(dot + 1)..].Contains('.'))
        {
            return false;
        }

        serviceKey = RoutingKeys.Key(labels[(dot + 1)..].ToString().ToLowerInvariant(), labels[..dot].ToString().ToLowerInvariant());
        return true;
    }
}
