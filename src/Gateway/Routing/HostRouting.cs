using System.Diagnostics.CodeAnalysis;

namespace Knative.Orleans.Gateway.Routing;

/// <summary>
/// Maps a request host to a service key, following Knative's domain template <c>{name}.{namespace}.{domain}</c> and
/// tag template <c>{tag}-{name}</c>.
/// </summary>
public static class HostRouting
{
    /// <summary>
    /// True when <paramref name="host"/> (without port) is <c>{name}.{namespace}.{domain}</c>, compared without
    /// regard to case; <paramref name="serviceKey"/> is then <c>{namespace}/{name}</c> in lower case.
    /// </summary>
    /// <example><c>Hello.Default.example.com</c> with domain <c>example.com</c> gives <c>default/hello</c>.</example>
    public static bool TryGetServiceKey(string host, string domain, [NotNullWhen(true)] out string? serviceKey)
    {
        serviceKey = TryParse(host, domain, out var ns, out var label) ? RoutingKeys.Key(ns, label) : null;
        return serviceKey is not null;
    }

    /// <summary>
    /// True when <paramref name="host"/> (without port) is <c>{label}.{namespace}.{domain}</c>, compared without regard
    /// to case; <paramref name="namespace"/> and <paramref name="label"/> are then in lower case. The label is a service
    /// name or <c>{tag}-{name}</c> (see <see cref="TagCandidates"/>).
    /// </summary>
    public static bool TryParse(
        string host, string domain, [NotNullWhen(true)] out string? @namespace, [NotNullWhen(true)] out string? label)
    {
        @namespace = null;
        label = null;
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

        @namespace = labels[(dot + 1)..].ToString().ToLowerInvariant();
        label = labels[..dot].ToString().ToLowerInvariant();
        return true;
    }

    /// <summary>
    /// The readings of <paramref name="label"/> as <c>{tag}-{service}</c>, split at each '-' from the left; splits that
    /// would leave an empty part, a tag ending in '-' or a service starting with '-' are skipped.
    /// </summary>
    /// <example><c>a-b-c</c> gives (a, b-c) and (a-b, c).</example>
    public static IEnumerable<(string Tag, string Service)> TagCandidates(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        for (var i = label.IndexOf('-', StringComparison.Ordinal); i >= 0; i = label.IndexOf('-', i + 1))
        {
            if (i > 0 && i < label.Length - 1 && label[i - 1] != '-' && label[i + 1] != '-')
            {
                yield return (label[..i], label[(i + 1)..]);
            }
        }
    }

    /// <summary>
    /// True when <paramref name="host"/> (without port) could be a DomainMapping's name: at least two dot-separated
    /// labels and not an IP address (the gateway's own address, used for broker ingress and health, is never looked up).
    /// </summary>
    public static bool IsDomainMappingCandidate(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var trimmed = host.TrimEnd('.');
        return trimmed.Length is > 2 and <= 253 && trimmed.Contains('.', StringComparison.Ordinal)
            && !System.Net.IPAddress.TryParse(trimmed, out _) && !trimmed.StartsWith('[');
    }
}
