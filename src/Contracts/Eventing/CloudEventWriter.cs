using CloudNative.CloudEvents;
using CloudNative.CloudEvents.Http;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>
/// Writes a stored event as it leaves the platform: in its content mode and its own specversion (a 0.3 event as 0.3,
/// <see cref="CloudEvents03"/>), without the private extensions, plus the pass-through headers kept with it.
/// </summary>
public static class CloudEventWriter
{
    /// <summary>
    /// The event's HTTP form (body, <c>Content-Type</c>, <c>ce-*</c> headers, and the pass-through headers to add to the
    /// request), computed once and sent any number of times (<see cref="OutgoingHttpEvent.ToContent"/>). As the
    /// CloudEvents SDK writes it (ce-* headers in both modes; in binary mode no <c>ce-datacontenttype</c>, the
    /// data content type is the <c>Content-Type</c>), with 0.3's attribute names and structured form for a 0.3 event.
    /// Never changes <paramref name="cloudEvent"/> (it may be shared between triggers).
    /// </summary>
    public static OutgoingHttpEvent Encode(CloudEvent cloudEvent, EventContentMode mode)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var version = PrivateAttributes.SpecVersionOf(cloudEvent);
        var passThrough = PrivateAttributes.HeadersOf(cloudEvent);
        cloudEvent = PrivateAttributes.WithoutPrivate(cloudEvent);
        var is03 = version == CloudEvents03.VersionId;
        byte[] body;
        string? contentType;
        if (mode == EventContentMode.Structured)
        {
            var structured = CloudEventCodec.Encode(cloudEvent);
            body = is03 ? CloudEvents03.StructuredFrom10(structured) : structured;
            contentType = CloudEventCodec.StructuredContentType;
        }
        else
        {
            body = CloudEventCodec.Formatter.EncodeBinaryModeEventData(cloudEvent).ToArray();
            contentType = cloudEvent.DataContentType;
            if (contentType is null && body.Length != 0)
            {
                throw new ArgumentException("the event has data but no datacontenttype", nameof(cloudEvent));
            }
        }

        var headers = new List<KeyValuePair<string, string>>
        {
            new(HttpUtilities.SpecVersionHttpHeader, is03 ? CloudEvents03.VersionId : HttpUtilities.EncodeHeaderValue(cloudEvent.SpecVersion.VersionId)),
        };
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (mode == EventContentMode.Binary && attribute == cloudEvent.SpecVersion.DataContentTypeAttribute)
            {
                continue; // it is the Content-Type
            }

            var name = is03 ? CloudEvents03.AttributeFrom10(attribute.Name) : attribute.Name;
            headers.Add(new(HttpUtilities.HttpHeaderPrefix + name, HttpUtilities.EncodeHeaderValue(attribute.Format(value))));
        }

        return new OutgoingHttpEvent(body, contentType, headers, passThrough);
    }
}
