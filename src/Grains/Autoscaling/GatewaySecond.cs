namespace Knative.Orleans.Grains.Autoscaling;

/// <summary>
/// Which second's bucket of a <see cref="MetricWindow"/> one gateway's sample goes to, and how much it adds. Pure; one
/// state per gateway.
/// <list type="bullet">
/// <item>Each 1 s report covers a second of its own: a report that arrives in the same second as the gateway's previous
/// report (delivery bunched under load) goes to the next second, as it would have without the delay, instead of doubling
/// one bucket and leaving a hole after it.</item>
/// <item>A cold-start poke carries the requests held now, which the report of that second averages again: within one
/// second the bucket gets the larger of the gateway's pokes and its report, not their sum.</item>
/// </list>
/// </summary>
/// <example>
/// Poke 6 then report 8 in second 10: 6, then +2 (bucket 10 holds 8, not 14). Reports received at 12.1 and 12.9: bucket 12
/// and bucket 13.
/// </example>
/// <param name="Second">The bucket the state below is about.</param>
/// <param name="Reports">The gateway's report in that bucket (0 if none).</param>
/// <param name="Poke">The largest poke of the gateway in that bucket.</param>
/// <param name="LastReport">The bucket of the gateway's latest report.</param>
public readonly record struct GatewaySecond(long Second, double Reports, double Poke, long LastReport)
{
    /// <summary>The bucket for a sample received in <paramref name="second"/>, the value to add to it, and the next state.</summary>
    public static (long Second, double Add, GatewaySecond Next) Add(GatewaySecond? previous, long second, double value, bool isPoke)
    {
        var lastReport = previous?.LastReport ?? long.MinValue;
        if (!isPoke && second <= lastReport)
        {
            second = lastReport + 1;
        }

        var current = previous is { } p && p.Second == second ? p : new GatewaySecond(second, 0, 0, lastReport);
        var next = isPoke
            ? current with { Poke = Math.Max(current.Poke, value) }
            : current with { Reports = current.Reports + value, LastReport = second };
        return (second, Math.Max(next.Reports, next.Poke) - Math.Max(current.Reports, current.Poke), next);
    }
}
