using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Gateway.Ingress;

/// <summary>Reads one CloudEvents 1.0 event (binary or structured JSON) from an HTTP request body already read.</summary>
public static class CloudEventReader
{
    /// <summary>The event, or the reason it is not a valid CloudEvent (400).</summary>
    public static (CloudEvent? Event, EventContentMode Mode, string? Error) Read(IHeaderDictionary headers, string? contentType, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return CloudEventParser.Parse(headers.Select(h => KeyValuePair.Create(h.Key, h.Value.FirstOrDefault())), contentType, body);
    }
}
