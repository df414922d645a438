using Orleans.Concurrency;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>
/// The triggers of a namespace waiting for a Knative Service to exist (their subscriber or dead letter sink is a
/// <c>ref</c> to it), keyed by namespace. A Service's creation wakes them at once instead of at their next resync.
/// Kept in memory: a trigger that still waits registers again on each attempt (every <c>Eventing:ResyncPeriod</c>).
/// </summary>
[Alias("kn.IServiceWaitersGrain")]
public interface IServiceWaitersGrain : IGrainWithStringKey
{
    /// <summary>Trigger <paramref name="triggerKey"/> waits for service <paramref name="serviceName"/>; idempotent.</summary>
    [OneWay, Alias("Wait")]
    Task WaitAsync(string serviceName, string triggerKey);

    /// <summary>Service <paramref name="serviceName"/> was created: wakes (<c>NotifyAsync</c>) and forgets its waiters.</summary>
    [OneWay, Alias("ServiceCreated")]
    Task ServiceCreatedAsync(string serviceName);

    /// <summary>The trigger keys waiting for <paramref name="serviceName"/> (diagnostics and tests).</summary>
    [Alias("GetWaiters")]
    Task<string[]> GetWaitersAsync(string serviceName);
}
