namespace Knative.Orleans.Contracts.Eventing;

/// <summary>Names shared by the eventing API, grains and gateway.</summary>
public static class EventingNames
{
    /// <summary>API group and version.</summary>
    public const string ApiVersion = "eventing.knative.dev/v1";

    /// <summary>API group.</summary>
    public const string Group = "eventing.knative.dev";

    /// <summary>Resource index kind of brokers (<c>brokers/{namespace}</c>).</summary>
    public const string BrokersIndex = "brokers";

    /// <summary>Resource index kind of triggers (<c>triggers/{namespace}</c>).</summary>
    public const string TriggersIndex = "triggers";

    /// <summary>Index of every trigger key (<c>{namespace}/{name}</c>) across namespaces, used to resume delivery at startup.</summary>
    public const string AllTriggersIndexKey = "triggers-all/*";

    /// <summary>Label set on a trigger: the broker's name.</summary>
    public const string BrokerLabel = "eventing.knative.dev/broker";

    /// <summary>Extension: when the broker accepted the event (RFC 3339 UTC).</summary>
    public const string ArrivalTime = "knativearrivaltime";

    /// <summary>Extension: the hop budget; never leaves the broker.</summary>
    public const string BrokerTtl = "knativebrokerttl";

    /// <summary>Dead-letter extension: the final status code.</summary>
    public const string ErrorCode = "knativeerrorcode";

    /// <summary>Dead-letter extension: the URL that failed.</summary>
    public const string ErrorDest = "knativeerrordest";

    /// <summary>Dead-letter extension: base64 of the final response body, cut to 1024 chars.</summary>
    public const string ErrorData = "knativeerrordata";

    /// <summary>The largest <c>knativebrokerttl</c>.</summary>
    public const int MaxTtl = 255;
}
