namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// A plain <see cref="ICesqlEvent"/>: the CloudEvents context attributes plus typed extensions.
/// The REQUIRED attributes (<c>specversion</c>, <c>id</c>, <c>source</c>, <c>type</c>) always exist (unset → <c>""</c>),
/// because CESQL assumes a valid event and <c>EXISTS id</c> MUST be true. The OPTIONAL ones (<c>subject</c>,
/// <c>dataschema</c>, <c>datacontenttype</c>, <c>time</c>) exist only when non-null: the TCK expects an absent
/// <c>subject</c> to raise MissingAttribute and <c>EXISTS time</c> to be false when unset.
/// </summary>
public sealed record CesqlEvent : ICesqlEvent
{
    private static readonly IReadOnlyDictionary<string, CesqlValue> NoExtensions =
        new Dictionary<string, CesqlValue>(StringComparer.Ordinal);

    public string SpecVersion { get; init; } = "1.0";

    public string Id { get; init; } = "";

    /// <summary>URI-reference, verbatim.</summary>
    public string Source { get; init; } = "";

    public string Type { get; init; } = "";

    public string? Subject { get; init; }

    /// <summary>URI, verbatim.</summary>
    public string? DataSchema { get; init; }

    public string? DataContentType { get; init; }

    /// <summary>RFC 3339 timestamp, verbatim (CESQL reads timestamps as Strings).</summary>
    public string? Time { get; init; }

    /// <summary>Extensions by lower-case name, with their CloudEvents type (String, Integer or Boolean).</summary>
    public IReadOnlyDictionary<string, CesqlValue> Extensions { get; init; } = NoExtensions;

    public bool TryGetAttribute(string name, out CesqlValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        string? text = name switch
        {
            "specversion" => SpecVersion ?? "",
            "id" => Id ?? "",
            "source" => Source ?? "",
            "type" => Type ?? "",
            "subject" => Subject,
            "dataschema" => DataSchema,
            "datacontenttype" => DataContentType,
            "time" => Time,
            _ => null,
        };
        if (text is not null)
        {
            value = CesqlValue.FromString(text);
            return true;
        }

        if (!IsContextAttribute(name) && Extensions.TryGetValue(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    private static bool IsContextAttribute(string name) => name is "specversion" or "id" or "source" or "type"
        or "subject" or "dataschema" or "datacontenttype" or "time";
}
