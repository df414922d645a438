using System.Globalization;

namespace Knative.Orleans.Gateway;

/// <summary>Settings of the gateway (configuration section <c>Gateway</c>; the domain comes from <c>Serving:Domain</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>Configuration section of these options.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Default of <see cref="Url"/>.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Default of <see cref="Domain"/>.</summary>
    public const string DefaultDomain = "example.com";

    /// <summary>
    /// Where the gateway listens for data-plane traffic (<c>Gateway:Url</c>): an absolute <c>http</c> URL with an
    /// explicit port. Every request that arrives on this port is routed by its Host header, so another port of the same
    /// host (the silo's admin API) is left alone. Default <c>http://127.0.0.1:8080</c>.
    /// </summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>
    /// The cluster domain (<c>Serving:Domain</c>, Knative's config-domain): host <c>{name}.{namespace}.{Domain}</c>
    /// routes to service <c>{namespace}/{name}</c>. Default <c>example.com</c>.
    /// </summary>
    public string Domain { get; set; } = DefaultDomain;

    /// <summary>
    /// Knative's config-features <c>tag-header-based-routing</c> (<c>Serving:TagHeaderBasedRouting</c>):
    /// <c>Enabled</c> makes the header <c>Knative-Serving-Tag: {tag}</c> on a service's main host pick that tag's
    /// revision; <c>Disabled</c> ignores it. Default <c>Disabled</c>, as Knative.
    /// </summary>
    public string TagHeaderBasedRouting { get; set; } = "Disabled";

    /// <summary>True when <see cref="TagHeaderBasedRouting"/> is <c>Enabled</c> (any case).</summary>
    internal bool TagHeaderBasedRoutingEnabled => string.Equals(TagHeaderBasedRouting, "Enabled", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// How often the gateway renews its routing-hub subscription (<c>Gateway:SubscriptionRenewalPeriod</c>), one small
    /// grain call. A renewal that finds a new hub (its silo died) resyncs every cached route at once, so this bounds how
    /// long pushes are missed after a silo failure. Must be shorter than the hub's subscriber expiry (90 s). Default 2 s.
    /// </summary>
    public TimeSpan SubscriptionRenewalPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the gateway re-pulls every cached route and revision even when no push was missed, as a backstop
    /// (<c>Gateway:ResyncPeriod</c>). Default 30 s.
    /// </summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between attempts until the first subscription succeeds (<c>Gateway:SubscriptionRetryDelay</c>). Default 1 s.</summary>
    public TimeSpan SubscriptionRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Longest single WaitForReady grain call during a cold start (<c>Gateway:WaitForReadyInterval</c>); a longer hold
    /// is made of several calls because an Orleans call times out after <c>ResponseTimeout</c> (30 s by default).
    /// A call unanswered 2 s after this interval is abandoned and retried (its silo may have died). Default 3 s.
    /// </summary>
    public TimeSpan WaitForReadyInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Default of <see cref="MaxQueuedPerRevision"/>: Knative's activator queue depth.</summary>
    public const int DefaultMaxQueuedPerRevision = 10_000;

    /// <summary>
    /// How many requests may wait in one revision's queue (<c>Gateway:MaxQueuedPerRevision</c>): held through a cold
    /// start, or waiting for a free containerConcurrency slot. One more gets 503 <c>pending request queue full</c>.
    /// Default 10 000, as Knative's activator.
    /// </summary>
    public int MaxQueuedPerRevision { get; set; } = DefaultMaxQueuedPerRevision;

    /// <summary>Value of <see cref="Forwarder"/> for the gateway's own HTTP/1.1 forwarder (the default).</summary>
    public const string DirectForwarder = "Direct";

    /// <summary>Value of <see cref="Forwarder"/> that sends every request through YARP.</summary>
    public const string YarpForwarder = "Yarp";

    /// <summary>
    /// Which forwarder carries plain requests (<c>Gateway:Forwarder</c>): <c>Direct</c> (default) forwards bodiless
    /// HTTP/1.x requests to HTTP/1.1 instances with the gateway's own forwarder and everything else (request bodies,
    /// upgrades, HTTP/2, h2c instances) with YARP; <c>Yarp</c> sends everything through YARP, as before.
    /// </summary>
    public string Forwarder { get; set; } = DirectForwarder;

    /// <summary>True when <see cref="Forwarder"/> is <c>Direct</c> (any case).</summary>
    internal bool DirectForwarding => string.Equals(Forwarder, DirectForwarder, StringComparison.OrdinalIgnoreCase);

    /// <summary>The port of <see cref="Url"/>; valid only after validation.</summary>
    internal int Port => TryParseUrl(Url, out _, out var port) ? port : 0;

    /// <summary>
    /// Splits an <c>http://host:port[/]</c> URL as Kestrel accepts it (host may be <c>*</c>, <c>+</c> or a bracketed
    /// IPv6 address); false without an explicit port in [1; 65535] or with anything after the authority.
    /// </summary>
    internal static bool TryParseUrl(string? url, out string host, out int port)
    {
        const string Scheme = "http://";
        host = string.Empty;
        port = 0;
        if (url is null || !url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var authority = url.AsSpan(Scheme.Length).TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        if (colon <= 0 || colon < authority.LastIndexOf(']') || authority.IndexOfAny("/?#@") >= 0)
        {
            return false;
        }

        host = authority[..colon].ToString();
        return int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535;
    }
}
