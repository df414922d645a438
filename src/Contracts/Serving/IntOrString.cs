using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>A Kubernetes int-or-string value (a port number or a port name).</summary>
[GenerateSerializer, Immutable, Alias("kn.IntOrString")]
[JsonConverter(typeof(IntOrStringJsonConverter))]
public sealed record IntOrString
{
    /// <summary>The integer form, when the value is a number.</summary>
    [Id(0)] public int? IntValue { get; init; }

    /// <summary>The string form, when the value is a name.</summary>
    [Id(1)] public string? StringValue { get; init; }

    /// <inheritdoc />
    public override string ToString() => IntValue?.ToString(CultureInfo.InvariantCulture) ?? StringValue ?? "";
}

/// <summary>Reads and writes <see cref="IntOrString"/> as a JSON number or string.</summary>
public sealed class IntOrStringJsonConverter : JsonConverter<IntOrString>
{
    /// <inheritdoc />
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => new IntOrString { IntValue = reader.GetInt32() },
            JsonTokenType.String => new IntOrString { StringValue = reader.GetString() },
            _ => throw new JsonException("expected an integer or a string"),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.IntValue is { } i)
        {
            writer.WriteNumberValue(i);
        }
        else
        {
            writer.WriteStringValue(value.StringValue);
        }
    }
}
