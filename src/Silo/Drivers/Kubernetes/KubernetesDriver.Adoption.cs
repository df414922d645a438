namespace Knative.Orleans.Silo.Drivers.Kubernetes;

public sealed partial class KubernetesDriver
{
    /// <summary>
    /// Once the adoption grace period is over, decides for every adopted Deployment no instance claimed: its owner
    /// (the <see cref="IAdoptionArbiter"/>; without one, this driver) says keep, scale to zero, or delete. Failed
    /// decisions are tried again one grace period later.
    /// </summary>
    private async Task SweepLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.AdoptionGracePeriod, _time, cancellationToken).ConfigureAwait(false);
                if (!await SweepAdoptedAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    /// <summary>One adoption sweep now (the driver runs one every grace period); true when some adopted Deployments are still undecided.</summary>
    public async Task<bool> SweepAdoptedAsync(CancellationToken cancellationToken)
    {
        List<RevisionWorkloads> adopted;
        lock (_gate)
        {
            adopted = [.. _revisions.Values.Where(r => r.AdoptedUntil is not null)];
        }

        var pending = false;
        foreach (var revision in adopted)
        {
            try
            {
                var verdict = AdoptionVerdict.ScaleToZero;
                bool claimed;
                lock (_gate)
                {
                    claimed = revision.Instances.Count > 0;
                }

                if (!claimed && _arbiter is not null)
                {
                    verdict = await _arbiter.DecideAsync(revision.Key, cancellationToken).ConfigureAwait(false);
                }

                lock (_gate)
                {
                    revision.AdoptedUntil = null;
                    claimed = revision.Instances.Count > 0;
                    if (!claimed && verdict == AdoptionVerdict.Keep)
                    {
                        // Owned elsewhere: this driver must not write it; a local start later adopts it again.
                        revision.Exists = false;
                        revision.Replicas = null;
                    }
                }

                Log.AdoptionDecided(_logger, revision.DeploymentName, revision.Key, claimed ? "claimed" : verdict.ToString());
                if (!claimed && verdict == AdoptionVerdict.Delete)
                {
                    await DeleteDeploymentAsync(revision, cancellationToken).ConfigureAwait(false);
                }
                else if (claimed || verdict == AdoptionVerdict.ScaleToZero)
                {
                    await SyncReplicasAsync(revision, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.AdoptionFailed(_logger, revision.Key, e.Message);
                lock (_gate)
                {
                    revision.AdoptedUntil ??= _time.GetUtcNow();
                }

                pending = true;
            }
        }

        return pending;
    }
}
