using System.Net.Mime;
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

    // Only read by the formatter (a new one per decode cost a parse and a hashtable per event).
    private static readonly ContentType StructuredType = new("application/cloudevents+json");

    /// <summary>The structured JSON encoding of <paramref name="cloudEvent"/>.</summary>
    public static byte[] Encode(CloudEvent cloudEvent) =>
        Formatter.EncodeStructuredModeMessage(cloudEvent, out _).ToArray();

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
