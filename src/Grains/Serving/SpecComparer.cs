using System.Text.Json;
using System.Text.Json.Nodes;
using Knative.Orleans.Contracts.Manifests;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Semantic equality of specs: JSON trees compared without regard to property order.</summary>
public static class SpecComparer
{
    /// <summary>True when both serialize to the same JSON tree.</summary>
    public static bool Equal<T>(T? a, T? b) =>
        JsonNode.DeepEquals(
            JsonSerializer.SerializeToNode(a, ManifestSerializer.JsonOptions),
            JsonSerializer.SerializeToNode(b, ManifestSerializer.JsonOptions));
}
