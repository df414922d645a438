namespace Knative.Orleans.Contracts.Routing;

/// <summary>
/// One second of load of many revisions as one gateway saw it: what <see cref="Serving.IMetricsIngressGrain"/> takes,
/// so that a gateway makes one call per second however many revisions it serves.
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.RevisionMetricBatch")]
public sealed record RevisionMetricBatch
{
    /// <summary>The reporting gateway (also in every sample).</summary>
    [Id(0)] public required string GatewayId { get; init; }

    /// <summary>End of the sampled second, Unix milliseconds (also in every sample).</summary>
    [Id(1)] public long TimestampUnixMs { get; init; }

    /// <summary>One sample per revision.</summary>
    [Id(2)] public RevisionMetricEntry[] Entries { get; init; } = [];
}

/// <summary>The sample of one revision in a <see cref="RevisionMetricBatch"/>.</summary>
[GenerateSerializer, Immutable, Alias("kn.RevisionMetricEntry")]
public sealed record RevisionMetricEntry
{
    /// <summary><c>{namespace}/{revision}</c>, the key of the revision grain.</summary>
    [Id(0)] public required string RevisionKey { get; init; }

    /// <summary>The sample.</summary>
    [Id(1)] public required RevisionMetricSample Sample { get; init; }
}
