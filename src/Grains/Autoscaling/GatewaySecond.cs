namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// What one gateway put into the current second's bucket of a <see cref="MetricWindow"/>: the sum of its 1 s reports and
/// the largest of its cold-start pokes. The bucket gets the larger of the two, so a poke and the report of the same
/// second do not add up (the poke's held requests are part of the report's average). Pure; one per gateway.
/// </summary>
/// <example>
/// Poke 6 then report 8 in second 10: 6, then +2 (the bucket holds 8, not 14). Report 8 then poke 3: 8, then +0.
/// Poke 2 in second 10, report 8 in second 11: 2 in bucket 10, 8 in bucket 11.
/// </example>
public readonly record struct GatewaySecond(long Second, double Reports, double Poke)
{
    /// <summary>
    /// The value to add to <paramref name="second"/>'s bucket for one sample of this gateway, and the gateway's state after it.
    /// </summary>
    public static (double Add, GatewaySecond Next) Add(GatewaySecond? previous, long second, double value, bool isPoke)
    {
        var current = previous is { } p && p.Second == second ? p : new GatewaySecond(second, 0, 0);
        var next = isPoke
            ? current with { Poke = Math.Max(current.Poke, value) }
            : current with { Reports = current.Reports + value };
        return (Math.Max(next.Reports, next.Poke) - Math.Max(current.Reports, current.Poke), next);
    }
}
