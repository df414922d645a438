using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using YamlDotNet.Core;

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
    /// <summary>
    /// camelCase, nulls omitted, property names case-sensitive, numbers never read from strings (Kubernetes rejects
    /// <c>"containerPort": "8080"</c> too). Read-only.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    /// <summary>
    /// Parses one manifest whose top level must be an object. Returns false with a short message naming the field path and,
    /// where known, the line when the body is empty, malformed, holds several YAML documents, or has a value of the wrong
    /// type (for example <c>value: 8080</c> for an environment variable, which must be a string).
    /// </summary>
    public static bool TryDeserialize<T>(ReadOnlySpan<byte> body, ManifestFormat format, out T? value, out string error)
    {
        value = default;
        body = body.StartsWith(Encoding.UTF8.Preamble) ? body[Encoding.UTF8.Preamble.Length..] : body;
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = "the request body is empty";
            return false;
        }

        error = format == ManifestFormat.Yaml ? ReadYaml(body, out value) : ReadJson(body, out value);
        return error.Length == 0;
    }

    /// <summary>Writes a value as JSON (compact) or as one YAML document (block style).</summary>
    public static string Serialize<T>(T value, ManifestFormat format) =>
        format == ManifestFormat.Yaml
            ? YamlJson.ToYaml(JsonSerializer.SerializeToNode(value, JsonOptions))
            : JsonSerializer.Serialize(value, JsonOptions);

    /// <summary>The format of a Content-Type / Accept media type, or null when unsupported.</summary>
    public static ManifestFormat? FormatFromMediaType(string? mediaType) =>
        mediaType?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "application/json" => ManifestFormat.Json,
            "application/yaml" or "application/x-yaml" or "text/yaml" or "text/x-yaml" => ManifestFormat.Yaml,
            _ => null,
        };

    /// <summary>
    /// The response format for an Accept header: the acceptable supported type with the highest q-value (ties go to the more
    /// specific range, then to the earlier one). Absent, empty, <c>*/*</c> and <c>application/*</c> mean JSON; <c>text/*</c>
    /// means YAML. Null when the header lists only unsupported types or only <c>q=0</c>.
    /// </summary>
    public static ManifestFormat? FormatFromAccept(string? accept) => AcceptHeader.Choose(accept);

    private static string ReadJson<T>(ReadOnlySpan<byte> body, out T? value)
    {
        value = default;
        var first = body.TrimStart(" \t\r\n"u8)[0];
        if (first is (byte)'[' or (byte)'"' or (byte)'-' or (byte)'t' or (byte)'f' or (byte)'n' or (>= (byte)'0' and <= (byte)'9'))
        {
            return "expected a JSON object at the top level";
        }

        try
        {
            value = JsonSerializer.Deserialize<T>(body, JsonOptions);
            return "";
        }
        catch (JsonException e)
        {
            return ManifestErrors.Describe(e, typeof(T), JsonOptions, null);
        }
    }

    private static string ReadYaml<T>(ReadOnlySpan<byte> body, out T? value)
    {
        value = default;
        var positions = new Dictionary<string, Mark>(StringComparer.Ordinal);
        JsonNode? node;
        try
        {
            node = YamlJson.ToJson(Encoding.UTF8.GetString(body), positions);
        }
        catch (FormatException e)
        {
            return "invalid YAML: " + e.Message;
        }

        if (node is not JsonObject)
        {
            return "expected a YAML mapping (an object) at the top level";
        }

        try
        {
            value = node.Deserialize<T>(JsonOptions);
            return "";
        }
        catch (JsonException e)
        {
            return ManifestErrors.Describe(e, typeof(T), JsonOptions, positions);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = false,
            NumberHandling = JsonNumberHandling.Strict,
            // Manifests go to API clients, never into HTML: keep quotes and '<' readable (Kubernetes writes them as is).
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
