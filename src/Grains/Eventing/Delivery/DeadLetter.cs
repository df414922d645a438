using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Eventing.Delivery;

/// <summary>Builds the event sent to a dead letter sink (pure).</summary>
public static class DeadLetter
{
    private static readonly CloudEventAttribute ErrorCode = CloudEventAttribute.CreateExtension(EventingNames.ErrorCode, CloudEventAttributeType.Integer);

    /// <summary>
    /// The original event plus <c>knativeerrordest</c> (the URL that failed), <c>knativeerrorcode</c> (the final status, 500
    /// without a response) and <c>knativeerrordata</c> (base64 of the final body cut to 1024 chars; absent when empty).
    /// </summary>
    public static BrokerEvent Decorate(BrokerEvent original, Uri failedDestination, DispatchOutcome last)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(failedDestination);
        ArgumentNullException.ThrowIfNull(last);
        var ce = CloudEventCodec.Decode(original.Payload);
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

        return original with { Payload = CloudEventCodec.Encode(ce) };
    }
}

/// <summary>The status and body of the last attempt.</summary>
/// <param name="StatusCode">Status, 0 without response.</param>
/// <param name="Body">Response body start.</param>
public sealed record DispatchOutcome(int StatusCode, byte[] Body);
