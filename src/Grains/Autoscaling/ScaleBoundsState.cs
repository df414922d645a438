namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// What <see cref="ScaleBounds.Apply"/> keeps between ticks, the PodAutoscaler status of Knative: the Active condition,
/// whether the revision has reached its initial scale, and the replica count last handed to the driver. Persist it with
/// the revision: it drives scale-to-zero timing.
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.ScaleBoundsState")]
public sealed record ScaleBoundsState
{
    /// <summary>The Active condition.</summary>
    [Id(0)] public ActiveCondition Active { get; init; } = new();

    /// <summary>
    /// True once the ready count first reached the activation threshold (max(min, initial-scale)); Knative's
    /// <c>ScaleTargetInitialized</c>. From then on initial-scale no longer raises the minimum.
    /// </summary>
    [Id(1)] public bool Initialized { get; init; }

    /// <summary>Instances the driver should run; a new revision starts at initial-scale, like its Deployment.</summary>
    [Id(2)] public int Replicas { get; init; }

    /// <summary>A new revision: activating since <paramref name="now"/>, <see cref="DeciderSpec.InitialScale"/> replicas.</summary>
    public static ScaleBoundsState Initial(DeciderSpec spec, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new() { Active = ActiveCondition.Initial(now), Replicas = spec.InitialScale };
    }
}
