using Knative.Orleans.Contracts.Serving;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// Activates every revision that never became ready (so that each keeps trying to reach its initial scale: Knative
/// starts every new revision to prove it can run, traffic or not) and every revision scaled above zero (so that one whose
/// grain and workloads died with a silo starts its instances again on a live one). Activating a revision that is
/// already active changes nothing, so any silo may run this at any time; the silo runs it at start (pending revisions
/// only: after a restart of the whole platform every revision is at zero until its next request) and whenever a silo
/// of the cluster is declared dead (both).
/// </summary>
public sealed partial class PendingRevisionsResumer(IGrainFactory grains, ILogger<PendingRevisionsResumer> logger)
{
    /// <summary>
    /// Activates the pending revisions and, with <paramref name="scaled"/>, those scaled above zero; drops keys of
    /// revisions that no longer exist.
    /// </summary>
    public async Task ResumeAsync(bool scaled, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var index in scaled ? [RevisionGrain.PendingRevisionsKey, RevisionGrain.ScaledRevisionsKey] : new[] { RevisionGrain.PendingRevisionsKey })
        {
            var keys = await grains.GetGrain<IResourceIndexGrain>(index).ListAsync();
            foreach (var key in keys)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await grains.GetGrain<IRevisionGrain>(key).GetAsync() is null)
                {
                    await grains.GetGrain<IResourceIndexGrain>(index).RemoveAsync(key);
                }
            }

            count += keys.Length;
        }

        LogResumed(logger, count);
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "Resumed {Count} revisions (not ready yet, or scaled above zero)")]
    private static partial void LogResumed(ILogger logger, int count);
}
