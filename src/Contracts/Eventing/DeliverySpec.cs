namespace Knative.Orleans.Contracts.Eventing;

/// <summary>Delivery options (<c>spec.delivery</c>) of a broker or trigger.</summary>
[GenerateSerializer, Alias("kn.DeliverySpec")]
public sealed record DeliverySpec
{
    /// <summary>Where an event goes after the last failed attempt.</summary>
    [Id(0)] public Destination? DeadLetterSink { get; init; }

    /// <summary>Retries after the first attempt (≥ 0): attempts = 1 + retry. Absent = 0.</summary>
    [Id(1)] public int? Retry { get; init; }

    /// <summary><c>exponential</c> (default) or <c>linear</c>.</summary>
    [Id(2)] public string? BackoffPolicy { get; init; }

    /// <summary>ISO-8601 duration (<c>PT0.2S</c>): the base of the backoff. Absent = no wait.</summary>
    [Id(3)] public string? BackoffDelay { get; init; }

    /// <summary>ISO-8601 duration &gt; 0: the timeout of one attempt. Absent = 15 minutes.</summary>
    [Id(4)] public string? Timeout { get; init; }
}

/// <summary>Backoff policy names.</summary>
public static class BackoffPolicies
{
    /// <summary><c>wait(k) = d × 2^(k−1)</c>.</summary>
    public const string Exponential = "exponential";

    /// <summary><c>wait(k) = d × k</c>.</summary>
    public const string Linear = "linear";
}
