using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>A Knative Trigger (<c>eventing.knative.dev/v1</c>, <c>kind: Trigger</c>): a filtered subscription to a broker.</summary>
[GenerateSerializer, Alias("kn.Trigger")]
public sealed record Trigger
{
    /// <summary><c>eventing.knative.dev/v1</c>.</summary>
    [Id(0)] public string? ApiVersion { get; init; }

    /// <summary><c>Trigger</c>.</summary>
    [Id(1)] public string? Kind { get; init; }

    /// <summary>Metadata.</summary>
    [Id(2)] public ObjectMeta? Metadata { get; init; }

    /// <summary>Desired state.</summary>
    [Id(3)] public TriggerSpec? Spec { get; init; }

    /// <summary>Observed state (ignored on input).</summary>
    [Id(4)] public TriggerStatus? Status { get; init; }
}

/// <summary>Trigger spec.</summary>
[GenerateSerializer, Alias("kn.TriggerSpec")]
public sealed record TriggerSpec
{
    /// <summary>The broker's name in the trigger's namespace (required, immutable).</summary>
    [Id(0)] public string? Broker { get; init; }

    /// <summary>The legacy attributes filter; ignored when <see cref="Filters"/> is non-empty.</summary>
    [Id(1)] public TriggerFilter? Filter { get; init; }

    /// <summary>Subscriptions API filters, ANDed.</summary>
    [Id(2)] public List<SubscriptionsApiFilter>? Filters { get; init; }

    /// <summary>Where matching events go (only <c>uri</c> is supported yet).</summary>
    [Id(3)] public Destination? Subscriber { get; init; }

    /// <summary>Delivery options; when set it replaces the broker's as a whole.</summary>
    [Id(4)] public DeliverySpec? Delivery { get; init; }
}

/// <summary>Trigger status.</summary>
[GenerateSerializer, Alias("kn.TriggerStatus")]
public sealed record TriggerStatus
{
    /// <summary>The generation this status describes.</summary>
    [Id(0)] public long ObservedGeneration { get; init; }

    /// <summary>Ready, BrokerReady, SubscriberResolved, DeadLetterSinkResolved.</summary>
    [Id(1)] public List<Condition>? Conditions { get; init; }

    /// <summary>The resolved subscriber URI.</summary>
    [Id(2)] public string? SubscriberUri { get; init; }

    /// <summary>The resolved dead letter sink URI of the effective delivery, when there is one.</summary>
    [Id(3)] public string? DeadLetterSinkUri { get; init; }
}

/// <summary>The legacy trigger filter: exact attribute matches.</summary>
[GenerateSerializer, Alias("kn.TriggerFilter")]
public sealed record TriggerFilter
{
    /// <summary>Attribute name to value; the value <c>""</c> means "present and non-empty".</summary>
    [Id(0)] public Dictionary<string, string>? Attributes { get; init; }
}

/// <summary>One Subscriptions API filter element; exactly one dialect must be set.</summary>
[GenerateSerializer, Alias("kn.SubscriptionsApiFilter")]
public sealed record SubscriptionsApiFilter
{
    /// <summary>Every attribute equals its value.</summary>
    [Id(0)] public Dictionary<string, string>? Exact { get; init; }

    /// <summary>Every attribute starts with its value.</summary>
    [Id(1)] public Dictionary<string, string>? Prefix { get; init; }

    /// <summary>Every attribute ends with its value.</summary>
    [Id(2)] public Dictionary<string, string>? Suffix { get; init; }

    /// <summary>Every child passes.</summary>
    [Id(3)] public List<SubscriptionsApiFilter>? All { get; init; }

    /// <summary>Some child passes.</summary>
    [Id(4)] public List<SubscriptionsApiFilter>? Any { get; init; }

    /// <summary>The child fails.</summary>
    [Id(5)] public SubscriptionsApiFilter? Not { get; init; }

    /// <summary>A CESQL v1 expression; passes only on Boolean true without error.</summary>
    [Id(6)] public string? Cesql { get; init; }
}
