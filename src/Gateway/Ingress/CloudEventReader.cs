using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using CloudNative.CloudEvents.Http;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Gateway.Ingress;

/// <summary>Reads one CloudEvents 1.0 event (binary or structured JSON) from an HTTP request body already read.</summary>
public static class CloudEventReader
{
    /// <summary>The event, or the reason it is not a valid CloudEvent (400).</summary>
    public static (CloudEvent? Event, EventContentMode Mode, string? Error) Read(IHeaderDictionary headers, string? contentType, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        try
        {
            if (MimeUtilities.IsCloudEventsBatchContentType(contentType))
            {
                return Fail("batched CloudEvents (application/cloudevents-batch+json) are not accepted by a broker");
            }

            if (MimeUtilities.IsCloudEventsContentType(contentType))
            {
                using (var document = JsonDocument.Parse(body))
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object
                        && document.RootElement.TryGetProperty("specversion", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() == "0.3")
                    {
                        return Fail(Unsupported03);
                    }
                }

                var structured = CloudEventCodec.Formatter.DecodeStructuredModeMessage(body, MimeUtilities.CreateContentTypeOrNull(contentType), null);
                return (structured, EventContentMode.Structured, null);
            }

            var versionId = headers["ce-specversion"].FirstOrDefault();
            if (versionId is null)
            {
                return Fail("not a CloudEvent: no ce-specversion header and not an application/cloudevents+json body");
            }

            var version = CloudEventsSpecVersion.FromVersionId(versionId);
            if (version is null)
            {
                return Fail(versionId == "0.3" ? Unsupported03 : $"unsupported CloudEvents specversion \"{versionId}\" (only 1.0 is accepted)");
            }

            var cloudEvent = new CloudEvent(version);
            foreach (var header in headers)
            {
                var name = HttpUtilities.GetAttributeNameFromHeaderName(header.Key);
                if (name is null or "specversion" || header.Value.FirstOrDefault() is not { } value)
                {
                    continue;
                }

                cloudEvent.SetAttributeFromString(name, HttpUtilities.DecodeHeaderValue(value));
            }

            cloudEvent.DataContentType = contentType;
            CloudEventCodec.Formatter.DecodeBinaryModeEventData(body, cloudEvent);
            if (!cloudEvent.IsValid)
            {
                var missing = cloudEvent.SpecVersion.RequiredAttributes.Where(a => cloudEvent[a] is null).Select(a => a.Name);
                return Fail("missing required CloudEvent attributes: " + string.Join(", ", missing));
            }

            return (cloudEvent, EventContentMode.Binary, null);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JsonException or InvalidOperationException)
        {
            return Fail("malformed CloudEvent: " + e.Message);
        }
    }

    private const string Unsupported03 = "CloudEvents 0.3 is not supported yet by this broker; send specversion 1.0";

    private static (CloudEvent?, EventContentMode, string?) Fail(string error) => (null, EventContentMode.Binary, error);
}
