using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Filters.Cesql;

namespace Knative.Orleans.Grains.Eventing.Filters;

/// <summary>
/// The attributes of a CloudEvent as the filters see them: the canonical CloudEvents string form of every set attribute
/// (an Integer extension 10 is <c>"10"</c>, <c>time</c> is RFC 3339), with typed values for CESQL. The required and
/// optional context attributes always exist (unset = <c>""</c>); an extension exists only when set.
/// </summary>
public sealed class EventAttributes : ICesqlEvent
{
    private static readonly string[] ContextAttributes = ["specversion", "type", "source", "subject", "id", "dataschema", "datacontenttype", "time"];

    // One dictionary for both forms (events stay about a second in DecodedEventCache: every object per event counts).
    private readonly Dictionary<string, (string Text, CesqlValue Typed)> _values = new(StringComparer.Ordinal);

    /// <summary>Attributes from name/value pairs (tests, and the canonical form of any source); extensions are strings.</summary>
    public EventAttributes(IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        foreach (var (name, value) in attributes)
        {
            _values[name] = (value, CesqlValue.FromString(value));
        }
    }

    private EventAttributes()
    {
    }

    /// <summary>The attributes of <paramref name="cloudEvent"/>.</summary>
    public static EventAttributes From(CloudEvent cloudEvent)
    {
        ArgumentNullException.ThrowIfNull(cloudEvent);
        var attributes = new EventAttributes();
        var version = PrivateAttributes.SpecVersionOf(cloudEvent);
        attributes._values["specversion"] = (version, CesqlValue.FromString(version));
        foreach (var (attribute, value) in cloudEvent.GetPopulatedAttributes())
        {
            if (PrivateAttributes.IsPrivate(attribute.Name))
            {
                continue; // never seen by filters (a 0.3 event shows specversion 0.3 and schemaurl instead)
            }

            var name = version == CloudEvents03.VersionId ? CloudEvents03.AttributeFrom10(attribute.Name) : attribute.Name;
            var text = attribute.Format(value);
            attributes._values[name] = (text, value switch
            {
                int i when attribute.IsExtension => CesqlValue.FromInteger(i),
                bool b when attribute.IsExtension => CesqlValue.FromBoolean(b),
                _ => CesqlValue.FromString(text),
            });
        }

        return attributes;
    }

    /// <summary>The string form of an attribute; false when it does not exist.</summary>
    public bool TryGetText(string name, out string value)
    {
        if (_values.TryGetValue(name, out var found))
        {
            value = found.Text;
            return true;
        }

        value = "";
        return Array.IndexOf(ContextAttributes, name) >= 0;
    }

    /// <inheritdoc />
    public bool TryGetAttribute(string name, out CesqlValue value)
    {
        if (_values.TryGetValue(name, out var found))
        {
            value = found.Typed;
            return true;
        }

        // CESQL: an unset optional attribute (subject, time, ...) does not exist; the required ones always do.
        value = CesqlValue.FromString("");
        return name is "specversion" or "id" or "source" or "type";
    }
}
