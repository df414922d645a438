namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// One decision of <see cref="Decider.Decide"/> with its explanation, for the grain to apply and log (knative/serving
/// <c>ScaleResult</c> plus what its debug log prints).
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.ScaleDecision")]
public sealed record ScaleDecision
{
    /// <summary>False when there was no metric data: the other values repeat the last decision (Knative keeps it).</summary>
    [Id(0)] public bool HasData { get; init; }

    /// <summary>Instances wanted before min/max/initial bounds; -1 = unknown (no decision with data yet).</summary>
    [Id(1)] public int DesiredScale { get; init; } = -1;

    /// <summary>Stable or panic mode after this decision.</summary>
    [Id(2)] public DeciderMode Mode { get; init; }

    /// <summary>ceil(stable average / target), kept within the up/down rates and raised to activation-scale.</summary>
    [Id(3)] public int StableDesired { get; init; }

    /// <summary>ceil(panic average / target), kept within the up/down rates and raised to activation-scale.</summary>
    [Id(4)] public int PanicDesired { get; init; }

    /// <summary>Stable-window average of the metric (revision total).</summary>
    [Id(5)] public double ObservedStable { get; init; }

    /// <summary>Panic-window average of the metric (revision total).</summary>
    [Id(6)] public double ObservedPanic { get; init; }

    /// <summary>
    /// floor(ready × total value − target burst capacity − panic average); 0 when TBC is 0, -1 when unlimited. Negative means
    /// the ready instances cannot absorb the burst. Shown only: routing never depends on it here.
    /// </summary>
    [Id(7)] public int ExcessBurstCapacity { get; init; }
}
