using Knative.Orleans.Contracts.Serving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// At start, activates every revision that never became ready, so that each keeps trying to reach its initial scale
/// after a restart (Knative starts every new revision to prove it can run, traffic or not).
/// </summary>
public sealed partial class PendingRevisionsResumer(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<PendingRevisionsResumer> logger)
    : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Grains are callable once the host (and with it the silo) has started.
        lifetime.ApplicationStarted.Register(() => _ = ResumeAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var keys = await grains.GetGrain<IResourceIndexGrain>(RevisionGrain.PendingRevisionsKey).ListAsync();
            foreach (var key in keys)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (await grains.GetGrain<IRevisionGrain>(key).GetAsync() is null)
                {
                    await grains.GetGrain<IResourceIndexGrain>(RevisionGrain.PendingRevisionsKey).RemoveAsync(key);
                }
            }

            LogResumed(logger, keys.Length);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, e);
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "Resumed {Count} revisions that had not become ready yet")]
    private static partial void LogResumed(ILogger logger, int count);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Resuming revisions that had not become ready failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
