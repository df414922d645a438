using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Silo.Eventing;

/// <summary>
/// Activates every trigger so that each resumes delivery from its persisted cursor (events accepted before a restart,
/// or before the silo hosting the trigger died, are delivered without waiting for a new event). Idempotent: run at
/// start and whenever a silo is declared dead.
/// </summary>
public sealed partial class TriggersResumer(IGrainFactory grains, ILogger<TriggersResumer> logger)
{
    /// <summary>Resumes every trigger.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        var keys = await grains.GetGrain<IResourceIndexGrain>(EventingNames.AllTriggersIndexKey).ListAsync();
        cancellationToken.ThrowIfCancellationRequested();
        await Task.WhenAll(keys.Select(k => grains.GetGrain<ITriggerGrain>(k).ResumeAsync()));
        LogResumed(logger, keys.Length);
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Resumed delivery of {Count} triggers")]
    private static partial void LogResumed(ILogger logger, int count);
}
