namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// The CloudEvent a CESQL expression reads. Adapters (e.g. over CloudNative.CloudEvents) implement it; the engine never
/// sees the data payload.
/// </summary>
public interface ICesqlEvent
{
    /// <summary>
    /// Looks up a context attribute or extension by its lower-case name (the engine lower-cases identifiers).
    /// Returns false when the event does not carry the attribute: an unset optional attribute (<c>subject</c>,
    /// <c>time</c>, …) or an absent extension. URIs and timestamps are returned as Strings, verbatim.
    /// </summary>
    bool TryGetAttribute(string name, out CesqlValue value);
}
