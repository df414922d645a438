namespace Knative.Orleans.Silo.Hosting;

/// <summary>
/// <c>/readyz</c> on the admin URL: ready once the host (and with it the silo) has started, not ready again from the
/// moment shutdown begins, so that load balancers stop sending work.
/// </summary>
public sealed class PlatformReadiness
{
    private volatile bool _ready;

    /// <summary>True while the platform serves.</summary>
    public bool IsReady => _ready;

    /// <summary>Hooks the readiness to the host lifetime.</summary>
    public void Attach(IHostApplicationLifetime lifetime)
    {
        lifetime.ApplicationStarted.Register(() => _ready = true);
        lifetime.ApplicationStopping.Register(() => _ready = false);
    }
}
