namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// What <see cref="Decider.Decide"/> remembers between ticks: the panic episode, the scale-down-delay window and the last
/// valid decision. Immutable; kept in memory only: like Knative's autoscaler, a reactivated grain starts from
/// <see cref="Initial"/> (and lost metric history with it).
/// </summary>
public sealed record DeciderState
{
    /// <summary>When the panic threshold was last crossed, while panicking; null in stable mode.</summary>
    public DateTimeOffset? PanicStart { get; init; }

    /// <summary>The highest desired count of the current panic episode (panic never scales down).</summary>
    public int MaxPanicPods { get; init; }

    /// <summary>Recent desired counts for <c>scale-down-delay</c>.</summary>
    public ScaleDownDelayWindow DelayWindow { get; init; } = ScaleDownDelayWindow.Empty;

    /// <summary>The desired count of the last decision made with data; -1 before any.</summary>
    public int LastDesiredScale { get; init; } = -1;

    /// <summary>The excess burst capacity of the last decision made with data; null before any.</summary>
    public int? LastExcessBurstCapacity { get; init; }

    /// <summary>True while in panic mode.</summary>
    public bool Panicking => PanicStart is not null;

    /// <summary>
    /// A new decider. With more than one instance ready it starts in panic with that many as the panic maximum, so losing
    /// the metric history on a restart never scales down (knative/serving <c>pkg/autoscaler/scaling/autoscaler.go</c>,
    /// <c>newAutoscaler</c>).
    /// </summary>
    public static DeciderState Initial(int readyCount, DateTimeOffset now) => new()
    {
        PanicStart = readyCount > 1 ? now : null,
        MaxPanicPods = Math.Max(0, readyCount),
    };
}
