namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>What the revision grain knows when it decides a scale.</summary>
/// <param name="Now">The decision time.</param>
/// <param name="LastActivity">When a request was last seen (held or proxied), or when the revision last became ready.</param>
/// <param name="InFlight">Requests in flight now, summed over gateways.</param>
/// <param name="Initialized">True once the revision has reached its initial scale (it proved it can run).</param>
/// <param name="Config">Autoscaler settings.</param>
public readonly record struct ScaleInput(DateTimeOffset Now, DateTimeOffset LastActivity, int InFlight, bool Initialized, AutoscalerConfig Config);

/// <summary>The desired instance count and why.</summary>
/// <param name="Desired">Instances wanted.</param>
/// <param name="Reason">Short explanation, for logs.</param>
public readonly record struct ScaleResult(int Desired, string Reason);

/// <summary>
/// The serving core's scaling policy, a pure function: start at initial-scale to prove the revision can run, keep one
/// instance while there is traffic, scale to zero once no request was seen for stable-window + scale-to-zero-grace-period.
/// The full KPA decider replaces this behind the same inputs (issue #3).
/// </summary>
public static class ScaleToZeroPolicy
{
    /// <summary>Decides the desired scale.</summary>
    public static ScaleResult Decide(ScaleInput input)
    {
        var c = input.Config;
        if (!input.Initialized)
        {
            // Knative starts every new revision at initial-scale, even without traffic, to prove it can become Ready.
            return new(Math.Max(c.InitialScale, input.InFlight > 0 ? 1 : 0), "initial-scale");
        }

        if (input.InFlight > 0)
        {
            return new(1, "requests in flight");
        }

        var idle = input.Now - input.LastActivity;
        var window = c.StableWindow + c.ScaleToZeroGracePeriod;
        if (idle < window)
        {
            return new(1, "traffic within stable-window + scale-to-zero-grace-period");
        }

        return c.EnableScaleToZero ? new(0, "idle") : new(1, "enable-scale-to-zero is false");
    }
}
