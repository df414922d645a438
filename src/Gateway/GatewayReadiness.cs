namespace Knative.Orleans.Gateway;

/// <summary>Whether the gateway takes traffic: answers <c>/readyz</c>. Set by <see cref="GatewayReadinessService"/>.</summary>
public sealed class GatewayReadiness
{
    private volatile bool _ready;

    /// <summary>True between startup (with the route subscription in place) and the start of shutdown.</summary>
    public bool IsReady => _ready;

    /// <summary>Marks the gateway ready.</summary>
    public void MarkReady() => _ready = true;

    /// <summary>Marks the gateway not ready.</summary>
    public void MarkNotReady() => _ready = false;
}
