using Knative.Orleans.Contracts.Serving;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// Revision garbage collection (Knative's config-gc): the decision is <see cref="RevisionGc.Collect"/>; this part
/// keeps the inputs (creation and routing-state times, no-gc) and deletes what it returns. It runs after every change
/// of the service and, while the grain is active, every <see cref="RevisionGcConfig.CheckPeriod"/>.
/// </summary>
public sealed partial class ServiceGrain
{
    private IGrainTimer? _gcTimer;

    /// <inheritdoc />
    private void StartGcTimer()
    {
        if (gc.CheckPeriod is { } period)
        {
            // KeepAlive false: an idle service costs nothing; it is checked again when it is next activated (a gateway
            // that routes to it re-pulls its route every resync, which keeps it active).
            _gcTimer = this.RegisterGrainTimer(static (self, _) => self.CollectRevisionsAsync(), this,
                new GrainTimerCreationOptions { DueTime = period, Period = period, Interleave = false, KeepAlive = false });
        }
    }

    private static bool IsPreserved(Revision revision) =>
        revision.Metadata?.Annotations?.GetValueOrDefault(ServingLabels.NoGc) is { } value
        && value.Equals("true", StringComparison.OrdinalIgnoreCase);

    private void StampRoutingStateModified(List<RevisionRecord> changed)
    {
        var now = time.GetUtcNow();
        foreach (var record in changed)
        {
            var index = state.State.Revisions.FindIndex(r => r.Name == record.Name);
            state.State.Revisions[index] = record with { RoutingStateModified = now };
        }
    }

    private async Task CollectRevisionsAsync()
    {
        if (state.State.Service is null || gc.Disabled)
        {
            return;
        }

        var now = time.GetUtcNow();
        var candidates = state.State.Revisions
            .Select(r => new GcRevision(r.Name, r.CreatedAt ?? now, r.RoutingStateModified, r.Routed, r.Preserved)).ToList();
        var doomed = RevisionGc.Collect(candidates, state.State.Status?.LatestReadyRevisionName, gc, now);
        if (doomed.Count == 0)
        {
            return;
        }

        foreach (var name in doomed)
        {
            LogCollected(logger, this.GetPrimaryKeyString(), name);
            await GrainFactory.GetGrain<IRevisionGrain>(Namespace + "/" + name).DeleteAsync();
        }

        state.State.Revisions.RemoveAll(r => doomed.Contains(r.Name));
        state.State.ResourceVersion++;
        await state.WriteStateAsync();
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Service {ServiceKey} garbage-collected revision {RevisionName}")]
    private static partial void LogCollected(ILogger logger, string serviceKey, string revisionName);
}
