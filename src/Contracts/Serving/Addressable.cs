namespace Knative.Orleans.Contracts.Serving;

/// <summary>An address (<c>status.address</c>).</summary>
[GenerateSerializer, Alias("kn.Addressable")]
public sealed record Addressable
{
    /// <summary>The URL.</summary>
    [Id(0)] public string? Url { get; init; }
}
