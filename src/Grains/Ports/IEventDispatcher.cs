using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Ports;

/// <summary>Sends one event over HTTP (one attempt; the caller retries). The Silo implements it with HttpClient.</summary>
public interface IEventDispatcher
{
    /// <summary>POSTs <see cref="DispatchRequest.Event"/> in its content mode; never throws for transport failures.</summary>
    Task<DispatchResult> SendAsync(DispatchRequest request, CancellationToken cancellationToken);
}

/// <summary>One delivery attempt.</summary>
public sealed class DispatchRequest
{
    private readonly BrokerEvent? _event;
    private readonly Eventing.DecodedEvent? _decoded;

    /// <summary>An attempt that sends <paramref name="event"/>; the dispatcher decodes it and writes it for HTTP.</summary>
    /// <param name="target">Absolute URI.</param>
    /// <param name="event">The event, as it should be sent (the broker's TTL already removed).</param>
    /// <param name="namespace">Sent as <c>Kn-Namespace</c>.</param>
    /// <param name="preferReply">Adds <c>Prefer: reply</c> (subscribers yes, dead letter sinks no).</param>
    /// <param name="timeout">Cut the attempt after this long.</param>
    /// <param name="host">The Host header to send instead of the target's (a Knative Service reached through the gateway).</param>
    public DispatchRequest(Uri target, BrokerEvent @event, string @namespace, bool preferReply, TimeSpan timeout, string? host = null)
        : this(target, @namespace, preferReply, timeout, host) => _event = @event;

    /// <summary>
    /// An attempt that sends a stored event as delivered (<see cref="Eventing.DecodedEvent.OutgoingEvent"/>): its HTTP
    /// form is written once per event and shared by the triggers of a broker, and its encoded form (<see cref="Event"/>)
    /// is only made if something asks for it.
    /// </summary>
    public DispatchRequest(Uri target, Eventing.DecodedEvent decoded, string @namespace, bool preferReply, TimeSpan timeout, string? host = null)
        : this(target, @namespace, preferReply, timeout, host) => _decoded = decoded;

    private DispatchRequest(Uri target, string @namespace, bool preferReply, TimeSpan timeout, string? host)
    {
        Target = target;
        Namespace = @namespace;
        PreferReply = preferReply;
        Timeout = timeout;
        Host = host;
    }

    /// <summary>Absolute URI.</summary>
    public Uri Target { get; }

    /// <summary>The event, as it should be sent (the broker's TTL already removed).</summary>
    public BrokerEvent Event => _event ?? _decoded!.Outgoing;

    /// <summary>Sent as <c>Kn-Namespace</c>.</summary>
    public string Namespace { get; }

    /// <summary>Adds <c>Prefer: reply</c> (subscribers yes, dead letter sinks no).</summary>
    public bool PreferReply { get; }

    /// <summary>Cut the attempt after this long.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The Host header to send instead of the target's (a Knative Service reached through the gateway).</summary>
    public string? Host { get; }

    /// <summary>
    /// <see cref="Event"/> already written for HTTP (<see cref="Eventing.DecodedEvent.Http"/>); null: the dispatcher
    /// decodes <see cref="Event"/> and writes it.
    /// </summary>
    public OutgoingHttpEvent? Http => _decoded?.Http;
}

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
