namespace Knative.Orleans.Gateway.Ingress;

/// <summary>Broker ingress settings (configuration section <c>Eventing</c>).</summary>
public sealed class BrokerIngressOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Eventing";

    /// <summary>
    /// Largest accepted event body in bytes (<c>Eventing:MaxEventBytes</c>); a larger one gets 413. Must be at least 1.
    /// Default 30 000 000 (Kestrel's default request limit).
    /// </summary>
    public long MaxEventBytes { get; set; } = 30_000_000;
}
