using Knative.Orleans.Gateway.Throttling;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Gateway.Routing;

/// <summary>
/// Keeps <see cref="RouteCache"/> subscribed to the routing hub and, as a backstop for lost pushes, resyncs it.
/// </summary>
/// <remarks>
/// Subscribes once the host has started (inside a silo the grains are only callable then), retrying every
/// <see cref="GatewayOptions.SubscriptionRetryDelay"/> until the first success. Then every
/// <see cref="GatewayOptions.SubscriptionRenewalPeriod"/> it renews (the hub forgets subscribers that stop renewing
/// and a reactivated hub starts with none) and takes the hub's list of live gateways into <see cref="GatewayMembership"/>.
/// It re-pulls every cached route and revision when the hub's epoch changed (a new hub activation, e.g. after the silo
/// hosting it died: pushes may have been lost meanwhile) and every <see cref="GatewayOptions.ResyncPeriod"/> anyway.
/// Errors are logged and the loop goes on.
/// </remarks>
public sealed partial class RouteSubscription(
    IRoutingSource source,
    RouteCache cache,
    GatewayMembership membership,
    ThrottlerRegistry throttlers,
    TimeProvider timeProvider,
    IOptions<GatewayOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<RouteSubscription> logger) : BackgroundService
{
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _epoch;

    /// <summary>Completes when the first subscription succeeded.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_subscribed.Task.IsCompleted)
        {
            return;
        }

        try
        {
            await source.UnsubscribeAsync(cache).WaitAsync(cancellationToken);
        }
        catch (global::Orleans.Runtime.SiloUnavailableException)
        {
            // In the all-in-one process the silo stops first; the hub and its subscriptions are gone with it.
        }
        catch (Exception ex)
        {
            Log.UnsubscribeFailed(logger, ex);
        }
    }

    /// <summary>
    /// One resync pass: drops revisions no route refers to (and their idle throttlers), then re-pulls every cached
    /// route and revision.
    /// </summary>
    internal async Task ResyncAsync(CancellationToken cancellationToken)
    {
        cache.PruneUnroutedRevisions();
        throttlers.Prune();
        foreach (var serviceKey in cache.ServiceKeys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await cache.RefreshRouteAsync(serviceKey);
            }
            catch (Exception ex)
            {
                Log.ResyncFailed(logger, serviceKey, ex);
            }
        }

        foreach (var revisionKey in cache.RevisionKeys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                cache.ApplyEndpoints(await source.GetEndpointsAsync(revisionKey));
            }
            catch (Exception ex)
            {
                Log.ResyncFailed(logger, revisionKey, ex);
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WhenStartedAsync(stoppingToken);
            while (!await TrySubscribeAsync())
            {
                await Task.Delay(options.Value.SubscriptionRetryDelay, timeProvider, stoppingToken);
            }

            _subscribed.TrySetResult();
            Log.Subscribed(logger);

            var lastResync = timeProvider.GetTimestamp();
            using var timer = new PeriodicTimer(options.Value.SubscriptionRenewalPeriod, timeProvider);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var epoch = _epoch;
                if (!await TrySubscribeAsync())
                {
                    continue;
                }

                if (_epoch != epoch || timeProvider.GetElapsedTime(lastResync) >= options.Value.ResyncPeriod)
                {
                    if (_epoch != epoch)
                    {
                        Log.HubChanged(logger);
                    }

                    lastResync = timeProvider.GetTimestamp();
                    await ResyncAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            // The live gateways decide which instances this gateway owns (see ThrottlerRegistry).
            var subscription = await source.SubscribeAsync(membership.SelfId, cache);
            membership.Update(subscription.Gateways);
            _epoch = subscription.Epoch;
            return true;
        }
        catch (Exception ex)
        {
            Log.SubscribeFailed(logger, ex);
            return false;
        }
    }

    private Task WhenStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), started);
        return started.Task.WaitAsync(cancellationToken);
    }
}
