using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Ports;

/// <summary>Sends one event over HTTP (one attempt; the caller retries). The Silo implements it with HttpClient.</summary>
public interface IEventDispatcher
{
    /// <summary>POSTs <see cref="DispatchRequest.Event"/> in its content mode; never throws for transport failures.</summary>
    Task<DispatchResult> SendAsync(DispatchRequest request, CancellationToken cancellationToken);
}

/// <summary>One delivery attempt.</summary>
/// <param name="Target">Absolute URI.</param>
/// <param name="Event">The event, as it should be sent (the broker's TTL already removed).</param>
/// <param name="Namespace">Sent as <c>Kn-Namespace</c>.</param>
/// <param name="PreferReply">Adds <c>Prefer: reply</c> (subscribers yes, dead letter sinks no).</param>
/// <param name="Timeout">Cut the attempt after this long.</param>
/// <param name="Host">The Host header to send instead of the target's (a Knative Service reached through the gateway).</param>
/// <param name="Http">
/// <see cref="Event"/> already written for HTTP (shared by the triggers of a broker, <see cref="Eventing.DecodedEvent.Http"/>);
/// null: the dispatcher decodes and writes it.
/// </param>
public sealed record DispatchRequest(Uri Target, BrokerEvent Event, string Namespace, bool PreferReply, TimeSpan Timeout, string? Host = null,
    OutgoingHttpEvent? Http = null);

/// <summary>The outcome of one attempt.</summary>
/// <param name="StatusCode">The HTTP status, or 0 when there was no response (refused, reset, timeout).</param>
/// <param name="Body">The start of the response body (for <c>knativeerrordata</c>); empty when none.</param>
/// <param name="Error">Why there was no response.</param>
/// <param name="Reply">
/// The CloudEvent a subscriber answered with (2xx other than 202, binary or structured), in its content mode; null when
/// there is none.
/// </param>
/// <param name="ReplyError">
/// Set when a 2xx other than 202 carried a non-empty body (or CloudEvent headers) that is not a valid CloudEvent: the
/// delivery failed (KNATIVE-NOTES §4.5).
/// </param>
public sealed record DispatchResult(int StatusCode, byte[] Body, string? Error = null, BrokerEvent? Reply = null, string? ReplyError = null);
