namespace Knative.Orleans.Contracts.Conditions;

/// <summary>A Knative status condition (type, True/False/Unknown, reason, message).</summary>
[GenerateSerializer, Immutable, Alias("kn.Condition")]
public sealed record Condition
{
    /// <summary>Condition type, e.g. <c>Ready</c>.</summary>
    [Id(0)] public required string Type { get; init; }

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    [Id(1)] public required string Status { get; init; }

    /// <summary>CamelCase reason; empty when True.</summary>
    [Id(2)] public string? Reason { get; init; }

    /// <summary>Human-readable message.</summary>
    [Id(3)] public string? Message { get; init; }

    /// <summary>When the status last changed, RFC 3339 UTC.</summary>
    [Id(4)] public string? LastTransitionTime { get; init; }

    /// <summary><c>Error</c> (empty in JSON) for dependents of Ready, <c>Info</c> for informational ones such as Active.</summary>
    [Id(5)] public string? Severity { get; init; }
}

/// <summary>Condition status values.</summary>
public static class ConditionStatus
{
    /// <summary>The condition holds.</summary>
    public const string True = "True";

    /// <summary>The condition does not hold.</summary>
    public const string False = "False";

    /// <summary>Not known yet.</summary>
    public const string Unknown = "Unknown";
}
