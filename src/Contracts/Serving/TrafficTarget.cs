namespace Knative.Orleans.Contracts.Serving;

/// <summary>One entry of <c>spec.traffic</c> or <c>status.traffic</c>.</summary>
[GenerateSerializer, Alias("kn.TrafficTarget")]
public sealed record TrafficTarget
{
    /// <summary>Optional tag; gives the target its own URL <c>http://{tag}-{name}.{ns}.{domain}</c>.</summary>
    [Id(0)] public string? Tag { get; init; }

    /// <summary>A fixed revision.</summary>
    [Id(1)] public string? RevisionName { get; init; }

    /// <summary>A configuration whose latest ready revision is meant (Routes only).</summary>
    [Id(2)] public string? ConfigurationName { get; init; }

    /// <summary>True to follow the latest ready revision.</summary>
    [Id(3)] public bool? LatestRevision { get; init; }

    /// <summary>Share of the traffic in percent; nil = 0.</summary>
    [Id(4)] public long? Percent { get; init; }

    /// <summary>The tag URL (status only).</summary>
    [Id(5)] public string? Url { get; init; }
}
