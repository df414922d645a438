using System.Text.Json;
using System.Text.Json.Serialization;

namespace Knative.Orleans.Contracts.Manifests;

/// <summary>Wire format of a manifest.</summary>
public enum ManifestFormat
{
    /// <summary><c>application/json</c>.</summary>
    Json = 0,

    /// <summary><c>application/yaml</c>.</summary>
    Yaml = 1,
}

/// <summary>Reads and writes Knative manifests (JSON or YAML) the way the Kubernetes API server does.</summary>
public static class ManifestSerializer
{
    /// <summary>camelCase, nulls omitted.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = false,
    };

    /// <summary>Parses one manifest. False with a message when the body is malformed.</summary>
    public static bool TryDeserialize<T>(ReadOnlySpan<byte> body, ManifestFormat format, out T? value, out string error)
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(body, JsonOptions); // TODO(#2): YAML (being written).
            error = "";
            return value is not null;
        }
        catch (JsonException e)
        {
            value = default;
            error = e.Message;
            return false;
        }
    }

    /// <summary>Writes a value as JSON or YAML.</summary>
    public static string Serialize<T>(T value, ManifestFormat format) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>The format an Accept header asks for (placeholder).</summary>
    public static ManifestFormat? FormatFromAccept(string? accept) =>
        accept?.Contains("yaml", StringComparison.OrdinalIgnoreCase) == true ? ManifestFormat.Yaml : ManifestFormat.Json;

    /// <summary>The format of a Content-Type / Accept media type, or null when unsupported.</summary>
    public static ManifestFormat? FormatFromMediaType(string? mediaType) =>
        mediaType?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "application/json" => ManifestFormat.Json,
            "application/yaml" or "application/x-yaml" or "text/yaml" or "text/x-yaml" => ManifestFormat.Yaml,
            _ => null,
        };
}
