namespace Knative.Orleans.Contracts.Eventing;

/// <summary>A Knative Destination: a URI and/or a reference to an addressable object.</summary>
[GenerateSerializer, Alias("kn.Destination")]
public sealed record Destination
{
    /// <summary>A reference to an addressable object: a Knative Service for a trigger's subscriber or a dead letter sink (other refs are refused).</summary>
    [Id(0)] public KReference? Ref { get; init; }

    /// <summary>An absolute <c>http</c>/<c>https</c> URI, or with <see cref="Ref"/> a URI resolved against the ref's URL.</summary>
    [Id(1)] public string? Uri { get; init; }
}

/// <summary>A reference to a Kubernetes object.</summary>
[GenerateSerializer, Alias("kn.KReference")]
public sealed record KReference
{
    /// <summary>Kind, e.g. <c>Service</c>.</summary>
    [Id(0)] public string? Kind { get; init; }

    /// <summary>Namespace (defaults to the referrer's).</summary>
    [Id(1)] public string? Namespace { get; init; }

    /// <summary>Name.</summary>
    [Id(2)] public string? Name { get; init; }

    /// <summary>API version, e.g. <c>serving.knative.dev/v1</c>.</summary>
    [Id(3)] public string? ApiVersion { get; init; }
}
