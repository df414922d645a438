using System.Text.Json;
using System.Text.Json.Nodes;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>
/// CloudEvents 0.3 on the wire, 1.0 inside (KNATIVE-NOTES §6 rule 3): the SDK models only 1.0, so a 0.3 event is read
/// as 1.0 plus the <see cref="PrivateAttributes.SpecVersion"/> marker and written back as 0.3. The differences that
/// matter: <c>schemaurl</c> is 1.0's <c>dataschema</c>, and structured mode marks base64 data with
/// <c>datacontentencoding: base64</c> where 1.0 uses <c>data_base64</c>.
/// </summary>
public static class CloudEvents03
{
    /// <summary>The version id.</summary>
    public const string VersionId = "0.3";

    /// <summary>0.3's name of <c>dataschema</c>.</summary>
    public const string SchemaUrl = "schemaurl";

    /// <summary>0.3's structured-mode data encoding attribute.</summary>
    public const string DataContentEncoding = "datacontentencoding";

    /// <summary>
    /// A 0.3 structured event as the equivalent 1.0 structured JSON, with the 0.3 marker; throws
    /// <see cref="FormatException"/> for a <c>datacontentencoding</c> other than <c>base64</c>.
    /// </summary>
    public static byte[] StructuredTo10(JsonObject event03)
    {
        ArgumentNullException.ThrowIfNull(event03);
        var json = (JsonObject)event03.DeepClone();
        json["specversion"] = "1.0";
        if (json.Remove(SchemaUrl, out var schema))
        {
            json["dataschema"] = schema;
        }

        if (json.Remove(DataContentEncoding, out var encoding))
        {
            if (encoding?.GetValueKind() != JsonValueKind.String || !string.Equals((string?)encoding, "base64", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"unsupported datacontentencoding {encoding?.ToJsonString()} (only base64)");
            }

            if (json.Remove("data", out var data) && data is not null)
            {
                json["data_base64"] = data;
            }
        }

        json[PrivateAttributes.SpecVersion] = VersionId;
        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    /// <summary>
    /// 1.0 structured JSON (as the formatter writes it, private extensions already removed) as 0.3: <c>data_base64</c>
    /// becomes <c>data</c> with <c>datacontentencoding: base64</c>.
    /// </summary>
    public static byte[] StructuredFrom10(ReadOnlySpan<byte> event10)
    {
        var json = JsonNode.Parse(event10)!.AsObject();
        json["specversion"] = VersionId;
        if (json.Remove("dataschema", out var schema))
        {
            json[SchemaUrl] = schema;
        }

        if (json.Remove("data_base64", out var data))
        {
            json[DataContentEncoding] = "base64";
            json["data"] = data;
        }

        return JsonSerializer.SerializeToUtf8Bytes(json);
    }

    /// <summary>The 1.0 attribute name of a 0.3 one (<c>schemaurl</c> → <c>dataschema</c>; the others are the same).</summary>
    public static string AttributeTo10(string name03) => name03 == SchemaUrl ? "dataschema" : name03;

    /// <summary>The 0.3 attribute name of a 1.0 one (<c>dataschema</c> → <c>schemaurl</c>).</summary>
    public static string AttributeFrom10(string name10) => name10 == "dataschema" ? SchemaUrl : name10;
}
