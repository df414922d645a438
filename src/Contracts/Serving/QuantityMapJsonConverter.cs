using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Reads a map of Kubernetes quantities (<c>resources.limits</c>, <c>resources.requests</c>) whose values may be strings or
/// bare numbers (<c>cpu: 1</c>, <c>cpu: 0.5</c>), keeping numbers as their text; writes every value as a string.
/// </summary>
public sealed class QuantityMapJsonConverter : JsonConverter<Dictionary<string, string>>
{
    /// <inheritdoc />
    public override Dictionary<string, string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a map of quantities, for example {\"cpu\": \"500m\", \"memory\": \"128Mi\"}");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            map[key] = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
                _ => throw new JsonException($"quantity \"{key}\" must be a string or a number, for example \"500m\" or 1"),
            };
        }

        return map;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, quantity) in value)
        {
            writer.WriteString(key, quantity);
        }

        writer.WriteEndObject();
    }
}
