namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>The inputs of one <see cref="ScaleBounds.Apply"/> tick besides the state and the spec.</summary>
public sealed record ScaleBoundsInput
{
    /// <summary>config-deployment <c>progress-deadline</c> default (600 s).</summary>
    public static readonly TimeSpan DefaultProgressDeadline = TimeSpan.FromSeconds(600);

    /// <summary>The decider's <see cref="ScaleDecision.DesiredScale"/>; -1 = unknown.</summary>
    public required int DesiredScale { get; init; }

    /// <summary>Ready instances now.</summary>
    public required int ReadyCount { get; init; }

    /// <summary>
    /// Some route target names the revision (a tag-only target, or a <c>latestRevision</c> target whose latest created
    /// revision it is, counts).
    /// </summary>
    public bool Reachable { get; init; } = true;

    /// <summary>ResourcesAvailable or ContainerHealthy is False: with 0 ready the revision counts as unreachable.</summary>
    public bool Failed { get; init; }

    /// <summary>The decision time.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>config-deployment <c>progress-deadline</c>; activating for longer than this plus 30 s scales to 0.</summary>
    public TimeSpan ProgressDeadline { get; init; } = DefaultProgressDeadline;
}
