using System.Buffers;
using System.Net.Mime;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>
/// Encodes and decodes <see cref="BrokerEvent.Payload"/>. Binary-mode data is kept as raw bytes (never parsed as JSON),
/// so it survives the store unchanged and is written back byte for byte.
/// </summary>
public static class CloudEventCodec
{
    /// <summary>The formatter the broker uses on every path (ingress, store, delivery).</summary>
    public static CloudEventFormatter Formatter { get; } = new RawDataJsonFormatter();

    /// <summary>The <c>Content-Type</c> of <see cref="Encode"/>'s output sent as a structured-mode body (as the SDK names it).</summary>
    public const string StructuredContentType = "application/cloudevents+json; charset=utf-8";

    // The same, parsed; only read by the formatter (a new one per decode cost a parse and a hashtable per event).
    private static readonly ContentType StructuredType = new(StructuredContentType);

    // Beyond this the thread's buffer is not kept (one large event must not pin its size on the thread for good).
    private const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    /// <summary>
    /// The structured JSON encoding of <paramref name="cloudEvent"/>: what <see cref="Formatter"/>'s
    /// <c>EncodeStructuredModeMessage</c> writes, byte for byte except that binary data's base64 is not escaped (the SDK
    /// writes each <c>+</c> as <c>\u002B</c>; the same JSON), through a writer and buffer kept per thread: the SDK's own
    /// method builds a stream, a writer, a growing buffer and a base64 string per event, and every accepted event is
    /// encoded once.
    /// </summary>
    /// <exception cref="ArgumentException">A required attribute is missing, or data the JSON format cannot carry.</exception>
    public static byte[] Encode(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (!cloudEvent.IsValid)
        {
            throw new ArgumentException("the CloudEvent is missing required attributes", nameof(cloudEvent));
        }

        var buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = _threadWriter ??= new Utf8JsonWriter(buffer);
        try
        {
            WriteStructured(writer, cloudEvent);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > KeptBufferBytes)
            {
                (_threadBuffer, _threadWriter) = (null, null);
            }
            else
            {
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
            }
        }
    }

    // JsonEventFormatter.WriteCloudEventForBatchOrStructuredMode and EncodeStructuredModeData (CloudNative.CloudEvents
    // 2.x), with the binary data written as base64 straight into the buffer.
    private static void WriteStructured(Utf8JsonWriter writer, CloudEvent cloudEvent)
    {
        writer.WriteStartObject();
        writer.WriteString(CloudEventsSpecVersion.SpecVersionAttribute.Name, cloudEvent.SpecVersion.VersionId);
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            writer.WritePropertyName(attribute.Name);
            if (attribute.Type == CloudEventAttributeType.Integer)
            {
                writer.WriteNumberValue((int)value);
            }
            else if (attribute.Type == CloudEventAttributeType.Boolean)
            {
                writer.WriteBooleanValue((bool)value);
            }
            else
            {
                writer.WriteStringValue(attribute.Type.Format(value));
            }
        }

        switch (cloudEvent.Data)
        {
            case null:
                break;
            case byte[] binary:
                writer.WriteBase64String("data_base64", binary); // no content type inferred for binary data
                break;
            case var data:
                if (cloudEvent.DataContentType is null)
                {
                    writer.WriteString(cloudEvent.SpecVersion.DataContentTypeAttribute.Name, "application/json"); // inferred
                }

                var mediaType = new ContentType(cloudEvent.DataContentType ?? "application/json").MediaType;
                if (mediaType.EndsWith("/json", StringComparison.Ordinal) || mediaType.EndsWith("+json", StringComparison.Ordinal))
                {
                    writer.WritePropertyName("data");
                    JsonSerializer.Serialize(writer, data);
                }
                else if (data is string text && mediaType.StartsWith("text/", StringComparison.Ordinal))
                {
                    writer.WriteString("data", text);
                }
                else
                {
                    throw new ArgumentException($"the JSON event format cannot carry data of type {data.GetType()} with content type '{cloudEvent.DataContentType}'", nameof(cloudEvent));
                }

                break;
        }

        writer.WriteEndObject();
    }

    /// <summary>Decodes a payload written by <see cref="Encode"/>.</summary>
    public static CloudEvent Decode(byte[] payload) =>
        Formatter.DecodeStructuredModeMessage(payload, StructuredType, null);

    /// <summary>The JSON formatter whose binary-mode decoding keeps the body as bytes.</summary>
    private sealed class RawDataJsonFormatter : JsonEventFormatter
    {
        public override void DecodeBinaryModeEventData(ReadOnlyMemory<byte> body, CloudEvent cloudEvent) =>
            cloudEvent.Data = body.IsEmpty ? null : body.ToArray();
    }
}
