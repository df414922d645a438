using System.Text.Json;
using CloudNative.CloudEvents;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>
/// Extensions the platform keeps on a stored event and that never leave it: every name starting with
/// <c>knorleans</c> is removed from events arriving at ingress or in replies, hidden from trigger filters, and turned back
/// into what it stands for when the event is sent (<see cref="CloudEventWriter"/>).
/// </summary>
public static class PrivateAttributes
{
    /// <summary>The prefix every private extension name starts with.</summary>
    public const string Prefix = "knorleans";

    /// <summary>
    /// The specversion the event arrived with when it is not 1.0 (<c>0.3</c>): the SDK models only 1.0, so the event is
    /// kept as 1.0 plus this marker, and re-emitted in its own version (Knative never upgrades it).
    /// </summary>
    public const string SpecVersion = Prefix + "specversion";

    /// <summary>The request headers that travel on with the event (a JSON object of lower-case name to value).</summary>
    public const string Headers = Prefix + "headers";

    /// <summary>True for a private extension name.</summary>
    public static bool IsPrivate(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Removes every private extension (what a producer or a subscriber sent under those names).</summary>
    public static void Strip(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        foreach (var attribute in Find(cloudEvent) ?? [])
        {
            cloudEvent[attribute] = null;
        }
    }

    /// <summary>
    /// <paramref name="cloudEvent"/> itself when it carries no private extension, else a copy without them; never changes
    /// <paramref name="cloudEvent"/> (decoded events are shared between triggers, see DecodedEventCache).
    /// </summary>
    public static CloudEvent WithoutPrivate(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (Find(cloudEvent) is null)
        {
            return cloudEvent;
        }

        var copy = new CloudEvent(cloudEvent.SpecVersion, cloudEvent.ExtensionAttributes.Where(a => !IsPrivate(a.Name)));
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (!IsPrivate(attribute.Name))
            {
                copy[attribute] = value;
            }
        }

        copy.Data = cloudEvent.Data;
        return copy;
    }

    // The private extensions set on the event, null when none (most events: nothing allocated).
    private static List<CloudEventAttribute>? Find(CloudEvent cloudEvent)
    {
        List<CloudEventAttribute>? found = null;
        foreach (var (attribute, _) in cloudEvent.GetPopulatedAttributes())
        {
            if (IsPrivate(attribute.Name))
            {
                (found ??= []).Add(attribute);
            }
        }

        return found;
    }

    /// <summary>The specversion the event is sent with: the marker's, else the event's own (1.0).</summary>
    public static string SpecVersionOf(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        return cloudEvent[SpecVersion] as string ?? cloudEvent.SpecVersion.VersionId;
    }

    /// <summary>
    /// Keeps the pass-through headers of <paramref name="headers"/> on the event (KNATIVE-NOTES §4.1): names starting with
    /// <c>knative-</c> or <c>x-b3-</c>, and <c>x-request-id</c>, <c>retry-after</c> (first value, names lower-cased).
    /// </summary>
    public static void KeepHeaders(CloudEvent cloudEvent, IEnumerable<KeyValuePair<string, string?>> headers)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        ArgumentNullException.ThrowIfNull(headers);
        var kept = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (value is not null && IsPassThrough(lower))
            {
                kept.TryAdd(lower, value);
            }
        }

        cloudEvent[Headers] = kept.Count == 0 ? null : JsonSerializer.Serialize(kept);
    }

    /// <summary>The pass-through headers kept on the event (none when absent or unreadable).</summary>
    public static IReadOnlyDictionary<string, string> HeadersOf(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        if (cloudEvent[Headers] is not string json)
        {
            return System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty; // shared: kept with every event's HTTP form
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
        }
        catch (JsonException)
        {
            return System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
        }
    }

    /// <summary>True for a header name (lower case) that travels on with the event.</summary>
    public static bool IsPassThrough(string lowerName) =>
        lowerName.StartsWith("knative-", StringComparison.Ordinal) || lowerName.StartsWith("x-b3-", StringComparison.Ordinal)
        || lowerName is "x-request-id" or "retry-after";
}
