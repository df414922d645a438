using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Persisted state of a <see cref="ServiceGrain"/>.</summary>
[GenerateSerializer, Alias("kn.ServiceState")]
public sealed class ServiceState
{
    /// <summary>The service as stored: metadata (generation, uid, annotations) and the defaulted spec; status below.</summary>
    [Id(0)] public Service? Service { get; set; }

    /// <summary>The Configuration's generation: bumped only when the template changes.</summary>
    [Id(1)] public long ConfigurationGeneration { get; set; }

    /// <summary>Revisions stamped by the service, oldest first.</summary>
    [Id(2)] public List<RevisionRecord> Revisions { get; set; } = [];

    /// <summary>The computed status (kept so that lastTransitionTime is stable).</summary>
    [Id(3)] public ServiceStatus? Status { get; set; }

    /// <summary>Route conditions (Ready, AllTrafficAssigned, IngressReady, CertificateProvisioned).</summary>
    [Id(4)] public List<Contracts.Conditions.Condition> RouteConditions { get; set; } = [];

    /// <summary>The last routing that resolved completely; it keeps serving while a newer one cannot resolve.</summary>
    [Id(5)] public RouteTarget[] LastGoodTargets { get; set; } = [];

    /// <summary>Bumped on every stored change (metadata.resourceVersion).</summary>
    [Id(6)] public long ResourceVersion { get; set; }

    /// <summary>Gradual rollouts of the latestRevision targets, by tag ("" for none).</summary>
    [Id(7)] public List<Traffic.ConfigurationRollout> Rollouts { get; set; } = [];

    /// <summary>
    /// The BYO revision name of the current template when a conflicting revision holds it (another spec or configuration):
    /// no revision is stamped and traffic is not migrated (Knative's <c>RevisionNameTaken</c>); null otherwise.
    /// </summary>
    [Id(8)] public string? RevisionNameTaken { get; set; }

    /// <summary>
    /// <c>Configuration</c> or <c>Route</c> while a standalone object of that kind and of the service's name exists (Knative's
    /// <c>NotOwned</c>): no revision is stamped while it is the Configuration, and the service publishes no routing; null when
    /// the service owns both.
    /// </summary>
    [Id(9)] public string? NotOwned { get; set; }

    /// <summary>Names of the standalone routes (same namespace) that follow this service's configuration or one of its revisions.</summary>
    [Id(10)] public HashSet<string> Watchers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per standalone route (same namespace), the revisions of this service it sends traffic to.</summary>
    [Id(11)] public Dictionary<string, string[]> RoutedBy { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A revision stamped by a service and its last known readiness.</summary>
[GenerateSerializer, Alias("kn.RevisionRecord")]
public sealed record RevisionRecord
{
    /// <summary>Revision name.</summary>
    [Id(0)] public required string Name { get; init; }

    /// <summary>The configuration generation it was stamped from.</summary>
    [Id(1)] public long ConfigurationGeneration { get; init; }

    /// <summary>Ready status: True, False or Unknown.</summary>
    [Id(2)] public string Ready { get; init; } = "Unknown";

    /// <summary>Reason when not ready.</summary>
    [Id(3)] public string? Reason { get; init; }

    /// <summary>Message when not ready.</summary>
    [Id(4)] public string? Message { get; init; }

    /// <summary>Whether a route target names it (or it is the latest created revision); its min-scale applies only then.</summary>
    [Id(5)] public bool Routed { get; init; } = true;

    /// <summary>When it was stamped (revision GC's creation time); null for records stored before GC existed.</summary>
    [Id(6)] public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When <see cref="Routed"/> last changed (Knative's routingStateModified); null when never.</summary>
    [Id(7)] public DateTimeOffset? RoutingStateModified { get; init; }

    /// <summary>Its template carried <c>serving.knative.dev/no-gc: "true"</c>: never garbage collected.</summary>
    [Id(8)] public bool Preserved { get; init; }
}
