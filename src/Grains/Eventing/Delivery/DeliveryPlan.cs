using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Grains.Eventing.Delivery;

/// <summary>The effective delivery of a trigger, resolved from its spec and its broker's (pure).</summary>
/// <param name="Retries">Retries after the first attempt.</param>
/// <param name="Policy">Backoff policy (null = exponential).</param>
/// <param name="Delay">Backoff base delay.</param>
/// <param name="Timeout">Per-attempt timeout.</param>
/// <param name="DeadLetterSink">Where failed events go (a URI or a Knative Service ref, resolved when needed), or null.</param>
public sealed record DeliveryPlan(int Retries, string? Policy, TimeSpan Delay, TimeSpan Timeout, Destination? DeadLetterSink)
{
    /// <summary>Cap of one attempt when no <c>timeout</c> is set (IMC's fan-out cap).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The spec rule: a non-null trigger delivery is used whole (no DLS in it = no DLS), else the broker's. Fields are
    /// assumed valid (admission checked them).
    /// </summary>
    public static DeliveryPlan Resolve(DeliverySpec? trigger, DeliverySpec? broker)
    {
        var spec = trigger ?? broker ?? new DeliverySpec();
        var delay = IsoDuration.TryParse(spec.BackoffDelay, out var d) ? d : TimeSpan.Zero;
        var timeout = IsoDuration.TryParse(spec.Timeout, out var t) && t > TimeSpan.Zero ? t : DefaultTimeout;
        return new DeliveryPlan(Math.Max(0, spec.Retry ?? 0), spec.BackoffPolicy, delay, timeout, spec.DeadLetterSink);
    }
}
