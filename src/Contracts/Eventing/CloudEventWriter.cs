using System.Net.Http.Headers;
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
    /// The HTTP content (body, <c>Content-Type</c> and <c>ce-*</c> headers) and the pass-through headers to add to the
    /// request. Never changes <paramref name="cloudEvent"/> (it may be shared between triggers).
    /// </summary>
    public static (HttpContent Content, IReadOnlyDictionary<string, string> Headers) ToHttpContent(CloudEvent cloudEvent, EventContentMode mode)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var version = PrivateAttributes.SpecVersionOf(cloudEvent);
        var headers = PrivateAttributes.HeadersOf(cloudEvent);
        cloudEvent = PrivateAttributes.WithoutPrivate(cloudEvent);
        if (version != CloudEvents03.VersionId)
        {
            return (cloudEvent.ToHttpContent(mode == EventContentMode.Structured ? ContentMode.Structured : ContentMode.Binary, CloudEventCodec.Formatter), headers);
        }

        ByteArrayContent content;
        if (mode == EventContentMode.Structured)
        {
            var body = CloudEventCodec.Formatter.EncodeStructuredModeMessage(cloudEvent, out var contentType);
            content = new ByteArrayContent(CloudEvents03.StructuredFrom10(body.Span));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType.ToString());
        }
        else
        {
            content = new ByteArrayContent(CloudEventCodec.Formatter.EncodeBinaryModeEventData(cloudEvent).ToArray());
            if (cloudEvent.DataContentType is { } dataContentType)
            {
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(dataContentType);
            }
        }

        content.Headers.TryAddWithoutValidation(HttpUtilities.SpecVersionHttpHeader, CloudEvents03.VersionId);
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (mode == EventContentMode.Binary && attribute.Name == "datacontenttype")
            {
                continue; // it is the Content-Type
            }

            content.Headers.TryAddWithoutValidation(HttpUtilities.HttpHeaderPrefix + CloudEvents03.AttributeFrom10(attribute.Name),
                HttpUtilities.EncodeHeaderValue(attribute.Format(value)));
        }

        return (content, headers);
    }
}
