namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// A new revision that starts nothing (initial-scale 0, no min-scale: bench/control-plane's services) is stored once: its
/// first reconcile computes the status (conditions, desired scale, autoscaler bounds) and that write stores the revision
/// with it, instead of one write for the revision and a second for its first status. One that starts instances is still
/// written before its first reconcile. Crash safety is unchanged: <see cref="CreateAsync"/> returns only
/// after the write, and if the revision could not be stored the activation is dropped, so the next call starts again
/// from what storage holds (no revision) instead of from a revision held only in memory.
/// </summary>
public sealed partial class RevisionGrain
{
    // True while the revision in memory has not been written yet (between CreateAsync's start and its first write).
    private bool _unsaved;

    /// <summary>The first reconcile of a new revision, then its write if the reconcile did not write it.</summary>
    private async Task ReconcileAndStoreAsync()
    {
        _unsaved = true;
        if (WantsInstancesAtRest())
        {
            // Its first reconcile starts instances: store it first, so that no workload ever runs for a revision that
            // storage does not hold (two writes, as before; only a revision that starts nothing is written once).
            await SaveAsync();
        }

        try
        {
            await ReconcileAsync();
        }
        finally
        {
            // Also after a failed reconcile: the revision is stored as it was when the write came first, then the error surfaces.
            if (_unsaved)
            {
                await SaveAsync();
            }
        }
    }

    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch when (_unsaved)
        {
            // Never stored: forget it and drop the activation (which stops any instance it started), so that nothing
            // answers with a revision that storage does not hold; the caller sees the error and may retry.
            state.State = new RevisionState();
            _unsaved = false;
            DeactivateOnIdle();
            throw;
        }

        _unsaved = false;
    }
}
