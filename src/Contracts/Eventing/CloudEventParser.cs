using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Core;
using CloudNative.CloudEvents.Http;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>
/// Reads one CloudEvents 1.0 or 0.3 event (binary or structured JSON) from HTTP headers, a content type and a body
/// already read. Shared by broker ingress (requests) and the delivery path (subscriber replies). A 0.3 event is returned
/// as 1.0 with the <see cref="PrivateAttributes.SpecVersion"/> marker (<see cref="CloudEvents03"/>); private extensions
/// sent by the peer are removed, and the pass-through headers are kept on the event
/// (<see cref="PrivateAttributes.KeepHeaders"/>).
/// </summary>
public static class CloudEventParser
{

    /// <summary>True when the message claims to be a CloudEvent: a <c>ce-specversion</c> header or a CloudEvents content type.</summary>
    public static bool LooksLikeCloudEvent(IEnumerable<KeyValuePair<string, string?>> headers, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return LooksLikeCloudEvent(headers.Any(h => string.Equals(h.Key, HttpUtilities.SpecVersionHttpHeader, StringComparison.OrdinalIgnoreCase)), contentType);
    }

    /// <summary>
    /// <see cref="LooksLikeCloudEvent(IEnumerable{KeyValuePair{string, string}}, string)"/> for a caller that looked the
    /// header up itself (<paramref name="hasSpecVersionHeader"/>: a <see cref="HttpUtilities.SpecVersionHttpHeader"/> header is present).
    /// </summary>
    public static bool LooksLikeCloudEvent(bool hasSpecVersionHeader, string? contentType) =>
        hasSpecVersionHeader || MimeUtilities.IsCloudEventsContentType(contentType) || MimeUtilities.IsCloudEventsBatchContentType(contentType);

    /// <summary>The event, or the reason it is not a valid CloudEvent.</summary>
    /// <param name="headers">Every header (name, first value); header names are case-insensitive.</param>
    /// <param name="contentType">The Content-Type.</param>
    /// <param name="body">The whole body.</param>
    public static (CloudEvent? Event, EventContentMode Mode, string? Error) Parse(IEnumerable<KeyValuePair<string, string?>> headers, string? contentType, byte[] body)
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
                var is03Structured = false;
                using (var document = JsonDocument.Parse(body))
                {
                    is03Structured = document.RootElement.ValueKind == JsonValueKind.Object
                        && document.RootElement.TryGetProperty("specversion", out var v) && v.ValueKind == JsonValueKind.String
                        && v.GetString() == CloudEvents03.VersionId;
                }

                var json = is03Structured ? CloudEvents03.StructuredTo10(JsonNode.Parse(body)!.AsObject()) : body;
                var structured = CloudEventCodec.Formatter.DecodeStructuredModeMessage(json, MimeUtilities.CreateContentTypeOrNull(contentType), null);
                Finish(structured, is03Structured, headers);
                return (structured, EventContentMode.Structured, null);
            }

            var versionId = headers.FirstOrDefault(h => string.Equals(h.Key, HttpUtilities.SpecVersionHttpHeader, StringComparison.OrdinalIgnoreCase)).Value;
            if (versionId is null)
            {
                return Fail("not a CloudEvent: no ce-specversion header and not an application/cloudevents+json body");
            }

            var is03 = versionId == CloudEvents03.VersionId;
            var version = is03 ? CloudEventsSpecVersion.V1_0 : CloudEventsSpecVersion.FromVersionId(versionId);
            if (version is null)
            {
                return Fail($"unsupported CloudEvents specversion \"{versionId}\" (only 1.0 and 0.3 are accepted)");
            }

            var cloudEvent = new CloudEvent(version);
            foreach (var header in headers)
            {
                var name = HttpUtilities.GetAttributeNameFromHeaderName(header.Key.ToLowerInvariant());
                if (name is null or "specversion" || header.Value is not { } value)
                {
                    continue;
                }

                cloudEvent.SetAttributeFromString(is03 ? CloudEvents03.AttributeTo10(name) : name, HttpUtilities.DecodeHeaderValue(value));
            }

            cloudEvent.DataContentType = contentType;
            CloudEventCodec.Formatter.DecodeBinaryModeEventData(body, cloudEvent);
            if (!cloudEvent.IsValid)
            {
                var missing = cloudEvent.SpecVersion.RequiredAttributes.Where(a => cloudEvent[a] is null).Select(a => a.Name);
                return Fail("missing required CloudEvent attributes: " + string.Join(", ", missing));
            }

            Finish(cloudEvent, is03, headers);
            return (cloudEvent, EventContentMode.Binary, null);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JsonException or InvalidOperationException)
        {
            return Fail("malformed CloudEvent: " + e.Message);
        }
    }

    private static void Finish(CloudEvent cloudEvent, bool is03, IEnumerable<KeyValuePair<string, string?>> headers)
    {
        PrivateAttributes.Strip(cloudEvent);
        if (is03)
        {
            cloudEvent[PrivateAttributes.SpecVersion] = CloudEvents03.VersionId;
        }

        PrivateAttributes.KeepHeaders(cloudEvent, headers);
    }

    private static (CloudEvent?, EventContentMode, string?) Fail(string error) => (null, EventContentMode.Binary, error);
}
