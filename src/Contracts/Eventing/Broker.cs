using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>A Knative Broker (<c>eventing.knative.dev/v1</c>, <c>kind: Broker</c>): an event mesh with a durable store.</summary>
[GenerateSerializer, Alias("kn.Broker")]
public sealed record Broker
{
    /// <summary><c>eventing.knative.dev/v1</c>.</summary>
    [Id(0)] public string? ApiVersion { get; init; }

    /// <summary><c>Broker</c>.</summary>
    [Id(1)] public string? Kind { get; init; }

    /// <summary>Metadata.</summary>
    [Id(2)] public ObjectMeta? Metadata { get; init; }

    /// <summary>Desired state.</summary>
    [Id(3)] public BrokerSpec? Spec { get; init; }

    /// <summary>Observed state (ignored on input).</summary>
    [Id(4)] public BrokerStatus? Status { get; init; }
}

/// <summary>Broker spec.</summary>
[GenerateSerializer, Alias("kn.BrokerSpec")]
public sealed record BrokerSpec
{
    /// <summary>Default delivery of the broker's triggers (a trigger with its own <c>delivery</c> ignores it as a whole).
    /// Defaulted to retry 10, exponential, PT0.2S when absent.</summary>
    [Id(0)] public DeliverySpec? Delivery { get; init; }
}

/// <summary>Broker status.</summary>
[GenerateSerializer, Alias("kn.BrokerStatus")]
public sealed record BrokerStatus
{
    /// <summary>The generation this status describes.</summary>
    [Id(0)] public long ObservedGeneration { get; init; }

    /// <summary>Ready, Addressable, IngressReady, FilterReady, DeadLetterSinkResolved.</summary>
    [Id(1)] public List<Condition>? Conditions { get; init; }

    /// <summary>The ingress address: <c>{Gateway:Url}/{namespace}/{broker}</c>.</summary>
    [Id(2)] public Addressable? Address { get; init; }

    /// <summary>The dead letter sink of <c>spec.delivery</c>, when set.</summary>
    [Id(3)] public string? DeadLetterSinkUri { get; init; }
}
