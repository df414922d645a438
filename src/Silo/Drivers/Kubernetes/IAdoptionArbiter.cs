using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>What to do with an adopted Deployment nobody claimed within the adoption grace period.</summary>
public enum AdoptionVerdict
{
    /// <summary>Its revision grain runs (maybe on another silo): leave it alone and forget it here.</summary>
    Keep = 0,

    /// <summary>The revision exists and wants no instance: scale the Deployment to zero.</summary>
    ScaleToZero = 1,

    /// <summary>The revision no longer exists (deleted while the control plane was down): delete the Deployment.</summary>
    Delete = 2,
}

/// <summary>Asks the owner of a revision what becomes of a Deployment found at start that no instance claimed.</summary>
public interface IAdoptionArbiter
{
    /// <summary>Decides for <paramref name="revisionKey"/> (<c>{namespace}/{revision}</c>).</summary>
    Task<AdoptionVerdict> DecideAsync(string revisionKey, CancellationToken cancellationToken);
}

/// <summary>
/// Asks the revision grain: a tick first (a reactivated grain decides its scale and starts instances, which take the running
/// pods over on the silo it lives on), then its status. Missing revision → Delete; no replica desired nor running →
/// ScaleToZero; otherwise Keep (the silo that owns the grain writes the replicas).
/// </summary>
public sealed class GrainAdoptionArbiter(IGrainFactory grains) : IAdoptionArbiter
{
    /// <inheritdoc />
    public async Task<AdoptionVerdict> DecideAsync(string revisionKey, CancellationToken cancellationToken)
    {
        var revision = await grains.GetGrain<IRevisionGrain>(revisionKey).GetAsync().ConfigureAwait(false);
        if (revision is null)
        {
            return AdoptionVerdict.Delete;
        }

        await grains.GetGrain<IRevisionWorkloadGrain>(revisionKey).TickAsync().ConfigureAwait(false);
        revision = await grains.GetGrain<IRevisionGrain>(revisionKey).GetAsync().ConfigureAwait(false);
        return revision?.Status is { DesiredReplicas: 0, ActualReplicas: 0 } ? AdoptionVerdict.ScaleToZero
            : revision is null ? AdoptionVerdict.Delete : AdoptionVerdict.Keep;
    }
}
