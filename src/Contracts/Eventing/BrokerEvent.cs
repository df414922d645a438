namespace Knative.Orleans.Contracts.Eventing;

/// <summary>How an event arrived over HTTP, and so how it is delivered (the inbound content mode is kept).</summary>
public enum EventContentMode
{
    /// <summary>Attributes in <c>ce-*</c> headers, data in the body.</summary>
    Binary = 0,

    /// <summary>The whole event as <c>application/cloudevents+json</c>.</summary>
    Structured = 1,
}

/// <summary>
/// One CloudEvent as the broker keeps it: its structured JSON encoding (binary data as <c>data_base64</c>, so data bytes
/// are kept exactly; see <see cref="CloudEventCodec"/>) and the content mode it arrived in.
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.BrokerEvent")]
public sealed record BrokerEvent
{
    /// <summary>The inbound content mode.</summary>
    [Id(0)] public EventContentMode Mode { get; init; }

    /// <summary>The event in structured JSON (CloudEvents 1.0).</summary>
    [Id(1)] public required byte[] Payload { get; init; }
}

/// <summary>An event read back from the broker's store, with its position.</summary>
[GenerateSerializer, Immutable, Alias("kn.StoredEvent")]
public sealed record StoredEvent
{
    /// <summary>Position in the store (increasing; a trigger's cursor is the last position it finished).</summary>
    [Id(0)] public long Sequence { get; init; }

    /// <summary>The event.</summary>
    [Id(1)] public required BrokerEvent Event { get; init; }
}

/// <summary>Result of offering an event to a broker.</summary>
public enum IngestOutcome
{
    /// <summary>Durably stored (answer 202).</summary>
    Accepted = 0,

    /// <summary>No such broker (404).</summary>
    BrokerNotFound = 1,

    /// <summary>The event store failed; the event was not kept (503).</summary>
    StoreUnavailable = 2,
}
