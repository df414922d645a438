using Knative.Orleans.Gateway.Routing;

namespace Knative.Orleans.Gateway;

/// <summary>
/// Drives <see cref="GatewayReadiness"/>: ready once the host has started and the route subscription succeeded,
/// not ready as soon as the host starts stopping (so load balancers drain the gateway first).
/// </summary>
public sealed class GatewayReadinessService(
    GatewayReadiness readiness,
    RouteSubscription subscription,
    IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _started;
    private CancellationTokenRegistration _stopping;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = lifetime.ApplicationStarted.Register(() => _ = MarkReadyWhenSubscribedAsync());
        _stopping = lifetime.ApplicationStopping.Register(readiness.MarkNotReady);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        readiness.MarkNotReady();
        _started.Dispose();
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    private async Task MarkReadyWhenSubscribedAsync()
    {
        await subscription.Subscribed.WaitAsync(lifetime.ApplicationStopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (subscription.Subscribed.IsCompletedSuccessfully && !lifetime.ApplicationStopping.IsCancellationRequested)
        {
            readiness.MarkReady();
        }
    }
}
