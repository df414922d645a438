using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Eventing.Delivery;

/// <summary>Where a trigger's subscriber or dead letter sink is reached (pure; KNATIVE-NOTES §4.3).</summary>
/// <param name="Url">The destination's URL (<c>status.subscriberUri</c>/<c>deadLetterSinkUri</c>, <c>knativeerrordest</c>).</param>
/// <param name="Target">Where the request goes: <see cref="Url"/>, or the gateway for a Knative Service.</param>
/// <param name="Host">The Host header for the gateway (the service host), or null.</param>
/// <param name="Display">The URL as written in <c>status.subscriberUri</c> (Knative's form: no trailing <c>/</c> added).</param>
public sealed record SubscriberTarget(Uri Url, Uri Target, string? Host, string Display)
{
    /// <summary>
    /// A plain <c>uri</c>, or a Knative Service ref resolved to <c>http://{name}.{ns}.{domain}</c> (plus the destination's
    /// relative <c>uri</c>) and delivered through <paramref name="gatewayUrl"/> with the service host, so a service at
    /// zero is cold-started by the gateway.
    /// </summary>
    public static SubscriberTarget Resolve(Destination subscriber, string triggerNamespace, string domain, string gatewayUrl)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        if (subscriber.Ref is not { } reference)
        {
            var uri = new Uri(subscriber.Uri!);
            return new SubscriberTarget(uri, uri, null, subscriber.Uri!);
        }

        var host = $"{reference.Name}.{reference.Namespace ?? triggerNamespace}.{domain}";
        var url = new Uri("http://" + host + "/");
        if (subscriber.Uri is { Length: > 0 } relative)
        {
            url = new Uri(url, relative);
        }

        var target = new Uri(gatewayUrl.TrimEnd('/') + url.PathAndQuery);
        return new SubscriberTarget(url, target, host, subscriber.Uri is { Length: > 0 } ? url.ToString() : "http://" + host);
    }
}
