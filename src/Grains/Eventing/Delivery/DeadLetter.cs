using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Eventing.Delivery;

/// <summary>Builds the event sent to a dead letter sink (pure).</summary>
public static class DeadLetter
{
    private static readonly CloudEventAttribute ErrorCode = CloudEventAttribute.CreateExtension(EventingNames.ErrorCode, CloudEventAttributeType.Integer);

    /// <summary>
    /// The original event plus <c>knativeerrordest</c> (the URL that failed), <c>knativeerrorcode</c> (the final status, 500
    /// without a response) and <c>knativeerrordata</c> (base64 of the final body cut to 1024 chars; absent when empty),
    /// encoded as stored events are, in <paramref name="mode"/>.
    /// </summary>
    /// <param name="original">The event as delivered; the extensions are set on it, so pass an instance of your own
    /// (<see cref="DecodedEvent.DecodeOutgoing"/>), which saves decoding the stored form once more.</param>
    /// <param name="mode">The content mode it arrived in (and is sent in).</param>
    /// <param name="failedDestination">The URL that failed.</param>
    /// <param name="last">The last attempt.</param>
    public static BrokerEvent Decorate(CloudEvent original, EventContentMode mode, Uri failedDestination, DispatchOutcome last)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(failedDestination);
        ArgumentNullException.ThrowIfNull(last);
        var ce = original;
        ce[EventingNames.ErrorDest] = failedDestination.ToString();
        var code = last.StatusCode == 0 ? 500 : last.StatusCode;
        if (ce.GetAttribute(EventingNames.ErrorCode) is { } existing && existing.Type != CloudEventAttributeType.Integer)
        {
            ce[existing] = code.ToString(System.Globalization.CultureInfo.InvariantCulture); // a producer's own string-typed one
        }
        else
        {
            ce[ErrorCode] = code;
        }

        if (last.Body.Length > 0)
        {
            var data = Convert.ToBase64String(last.Body);
            ce[EventingNames.ErrorData] = data.Length > 1024 ? data[..1024] : data;
        }

        return new BrokerEvent { Mode = mode, Payload = CloudEventCodec.Encode(ce) };
    }
}

/// <summary>The status and body of the last attempt.</summary>
/// <param name="StatusCode">Status, 0 without response.</param>
/// <param name="Body">Response body start.</param>
public sealed record DispatchOutcome(int StatusCode, byte[] Body);
