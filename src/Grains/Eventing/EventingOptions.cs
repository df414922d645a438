namespace Knative.Orleans.Grains.Eventing;

/// <summary>Settings of brokers and triggers (configuration section <c>Eventing</c>).</summary>
public sealed class EventingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Eventing";

    /// <summary>
    /// Base of broker addresses: <c>status.address.url</c> = <c>{IngressBaseUrl}/{namespace}/{broker}</c>. The platform sets
    /// it to <c>Gateway:Url</c>. Default <c>http://127.0.0.1:8080</c>.
    /// </summary>
    public string IngressBaseUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>
    /// How often an active trigger re-reads its broker's store even without a notification (<c>Eventing:ResyncPeriod</c>),
    /// in case a one-way notification was lost. Default 10 s.
    /// </summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events a trigger reads from the store at a time (<c>Eventing:ReadBatchSize</c>). Default 64.</summary>
    public int ReadBatchSize { get; set; } = 64;

    /// <summary>
    /// Largest event body in bytes (<c>Eventing:MaxEventBytes</c>, shared with ingress): a subscriber reply with a larger
    /// body is a failed delivery. Default 30000000.
    /// </summary>
    public long MaxEventBytes { get; set; } = 30_000_000;

    /// <summary>
    /// Events of one trigger in flight at once (<c>Eventing:DeliveryParallelism</c>), unless the trigger sets the annotation
    /// <c>eventing.knative.dev/parallelism</c> or <c>kafka.eventing.knative.dev/delivery.order: ordered</c> (1). Default 32.
    /// </summary>
    public int DeliveryParallelism { get; set; } = 32;

    /// <summary>How often an active broker deletes the events all its triggers finished (<c>Eventing:CompactionPeriod</c>). Default 30 s.</summary>
    public TimeSpan CompactionPeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Retention bound (<c>Eventing:RetentionMaxEvents</c>): a broker keeps at most this many stored events; at compaction
    /// the oldest beyond it are deleted even if a trigger has not finished them (that trigger skips them, with a warning).
    /// Default 1000000.
    /// </summary>
    public long RetentionMaxEvents { get; set; } = 1_000_000;
}
