using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>A Configuration (<c>serving.knative.dev/v1</c>); stamps revisions from its template.</summary>
[GenerateSerializer, Alias("kn.Configuration")]
public sealed record Configuration
{
    /// <summary><c>serving.knative.dev/v1</c>.</summary>
    [Id(0)] public string? ApiVersion { get; init; }

    /// <summary><c>Configuration</c>.</summary>
    [Id(1)] public string? Kind { get; init; }

    /// <summary>Metadata.</summary>
    [Id(2)] public ObjectMeta? Metadata { get; init; }

    /// <summary>Spec: the template.</summary>
    [Id(3)] public ConfigurationSpec? Spec { get; init; }

    /// <summary>Status.</summary>
    [Id(4)] public ConfigurationStatus? Status { get; init; }
}

/// <summary>Configuration spec.</summary>
[GenerateSerializer, Alias("kn.ConfigurationSpec")]
public sealed record ConfigurationSpec
{
    /// <summary>The revision template.</summary>
    [Id(0)] public RevisionTemplateSpec? Template { get; init; }
}

/// <summary>Configuration status.</summary>
[GenerateSerializer, Alias("kn.ConfigurationStatus")]
public sealed record ConfigurationStatus
{
    /// <summary>The generation this status describes.</summary>
    [Id(0)] public long ObservedGeneration { get; init; }

    /// <summary>Ready.</summary>
    [Id(1)] public List<Condition>? Conditions { get; init; }

    /// <summary>Newest stamped revision.</summary>
    [Id(2)] public string? LatestCreatedRevisionName { get; init; }

    /// <summary>Newest ready revision.</summary>
    [Id(3)] public string? LatestReadyRevisionName { get; init; }
}
