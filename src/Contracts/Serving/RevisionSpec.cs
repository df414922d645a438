namespace Knative.Orleans.Contracts.Serving;

/// <summary>The immutable part of a revision: containers plus Knative's request settings.</summary>
[GenerateSerializer, Alias("kn.RevisionSpec")]
public sealed record RevisionSpec
{
    /// <summary>Containers; at least one, each with an image.</summary>
    [Id(0)] public List<Container>? Containers { get; init; }

    /// <summary>Hard limit of concurrent requests per instance; 0 = unlimited. Range [0, 1000].</summary>
    [Id(1)] public long? ContainerConcurrency { get; init; }

    /// <summary>Maximum request duration in seconds; defaults to 300, at most 600.</summary>
    [Id(2)] public long? TimeoutSeconds { get; init; }

    /// <summary>Seconds to wait for the first byte of a response; unset = no separate limit.</summary>
    [Id(3)] public long? ResponseStartTimeoutSeconds { get; init; }

    /// <summary>Seconds a request may stay idle (no bytes); unset = no limit.</summary>
    [Id(4)] public long? IdleTimeoutSeconds { get; init; }

    /// <summary>Service account (accepted; a label here).</summary>
    [Id(5)] public string? ServiceAccountName { get; init; }

    /// <summary>Whether service links are injected (Knative default false).</summary>
    [Id(6)] public bool? EnableServiceLinks { get; init; }

    /// <summary>Volumes the containers mount (each exactly one source; see <see cref="Volume"/>); Kubernetes runtime only.</summary>
    [Id(7)] public List<Volume>? Volumes { get; init; }
}

/// <summary>A revision template: metadata (labels, annotations, optional BYO name) and the revision spec.</summary>
[GenerateSerializer, Alias("kn.RevisionTemplateSpec")]
public sealed record RevisionTemplateSpec
{
    /// <summary>Template metadata; the only place where autoscaling annotations work.</summary>
    [Id(0)] public Meta.ObjectMeta? Metadata { get; init; }

    /// <summary>The revision spec.</summary>
    [Id(1)] public RevisionSpec? Spec { get; init; }
}
