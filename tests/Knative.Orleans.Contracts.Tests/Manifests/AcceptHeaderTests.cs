using Knative.Orleans.Contracts.Manifests;

namespace Knative.Orleans.Contracts.Tests.Manifests;

public sealed class AcceptHeaderTests
{
    [Theory]
    [InlineData(null, ManifestFormat.Json)]
    [InlineData("", ManifestFormat.Json)]
    [InlineData("*/*", ManifestFormat.Json)]
    [InlineData("application/*", ManifestFormat.Json)]
    [InlineData("application/json", ManifestFormat.Json)]
    [InlineData("application/yaml", ManifestFormat.Yaml)]
    [InlineData("text/*", ManifestFormat.Yaml)]
    [InlineData("Application/YAML; charset=utf-8", ManifestFormat.Yaml)]
    [InlineData("application/json;q=0.5, application/yaml", ManifestFormat.Yaml)]
    [InlineData("application/yaml;q=0.9, application/json", ManifestFormat.Json)]
    [InlineData("*/*, application/yaml", ManifestFormat.Yaml)]
    [InlineData("application/yaml, */*", ManifestFormat.Yaml)]
    [InlineData("application/vnd.kubernetes.protobuf, application/json", ManifestFormat.Json)]
    [InlineData("application/json;as=Table;v=v1;g=meta.k8s.io,application/json", ManifestFormat.Json)]
    [InlineData("application/json;q=0, */*;q=0.1", ManifestFormat.Json)]
    [InlineData("application/yaml, application/json", ManifestFormat.Yaml)]
    public void Picks_the_preferred_supported_format(string? accept, ManifestFormat expected) =>
        Assert.Equal(expected, ManifestSerializer.FormatFromAccept(accept));

    [Theory]
    [InlineData("application/vnd.kubernetes.protobuf")]
    [InlineData("text/html, image/png")]
    [InlineData("application/json;q=0")]
    [InlineData("application/yaml;q=0, application/json;q=0")]
    public void Only_unsupported_types_give_null(string accept) =>
        Assert.Null(ManifestSerializer.FormatFromAccept(accept));

    [Theory]
    [InlineData("application/json; charset=utf-8", ManifestFormat.Json)]
    [InlineData("application/x-yaml", ManifestFormat.Yaml)]
    [InlineData("text/yaml", ManifestFormat.Yaml)]
    public void Media_types_map_to_formats(string mediaType, ManifestFormat expected) =>
        Assert.Equal(expected, ManifestSerializer.FormatFromMediaType(mediaType));

    [Fact]
    public void Unknown_media_types_map_to_null() =>
        Assert.Null(ManifestSerializer.FormatFromMediaType("application/xml"));
}
