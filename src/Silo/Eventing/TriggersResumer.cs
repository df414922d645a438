using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Silo.Eventing;

/// <summary>
/// At start, activates every trigger so that each resumes delivery from its persisted cursor (events accepted before a
/// restart are delivered after it, without waiting for a new event).
/// </summary>
public sealed partial class TriggersResumer(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<TriggersResumer> logger) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = ResumeAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var keys = await grains.GetGrain<IResourceIndexGrain>(EventingNames.AllTriggersIndexKey).ListAsync();
            await Task.WhenAll(keys.Select(k => grains.GetGrain<ITriggerGrain>(k).ResumeAsync()));
            LogResumed(logger, keys.Length);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Resumed delivery of {Count} triggers")]
    private static partial void LogResumed(ILogger logger, int count);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Resuming triggers failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
