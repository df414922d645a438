using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Eventing.Delivery;

/// <summary>The wait before retry k (pure; see KNATIVE-NOTES §4.4, "Backoff").</summary>
public static class Backoff
{
    /// <summary>
    /// Wait before retry <paramref name="retry"/> (1-based) with base <paramref name="delay"/>: exponential
    /// <c>d × 2^(k−1)</c>, linear <c>d × k</c>; no delay → 0; no policy → exponential. Saturates at
    /// <see cref="TimeSpan.MaxValue"/>. Defaults (PT0.2S, exponential): 0.2, 0.4, 0.8 … 102.4 s for k = 1..10.
    /// </summary>
    public static TimeSpan Wait(string? policy, TimeSpan delay, int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        if (delay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        double factor = policy == BackoffPolicies.Linear ? retry : Math.Pow(2, retry - 1);
        var ticks = delay.Ticks * factor;
        return ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
    }
}
