using Knative.Orleans.Grains.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

public sealed class DrainPolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(300);
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(10);

    public static TheoryData<string, double, GatewayReport[], DrainVerdict> Cases => new()
    {
        { "no gateway reports at all", 0.1, [], DrainVerdict.Drained },
        { "only a sample from before the switch", 0.5, [Report(-0.5, 0, 0.2)], DrainVerdict.Draining },
        { "silent since the switch for two report periods: nothing in flight", 2, [Report(-0.5, 1, 0.2)], DrainVerdict.Drained },
        { "silent since the switch for less than two periods", 1.9, [Report(-0.5, 1, 0.2)], DrainVerdict.Draining },
        { "a sample taken exactly at the switch is not after it", 0.5, [Report(0, 0, 0.2)], DrainVerdict.Draining },
        { "after the switch, still in flight", 1.5, [Report(1, 2, 1.1)], DrainVerdict.Draining },
        { "after the switch, still in flight, long after", 60, [Report(59.5, 2, 59.6)], DrainVerdict.Draining },
        { "after the switch, nothing in flight", 1.5, [Report(1, 0, 1.1)], DrainVerdict.Drained },
        { "instance absent from the sample = 0", 1.5, [new GatewayReport(0, new Dictionary<string, int>(), T0.AddSeconds(1), T0.AddSeconds(1.1))], DrainVerdict.Drained },
        { "one of two gateways still busy", 1.5, [Report(1, 0, 1.1), Report(1, 1, 1.1)], DrainVerdict.Draining },
        { "a dead gateway's old busy report does not hold it up", 20, [Report(19, 0, 19.1), Report(-2, 3, -1.9)], DrainVerdict.Drained },
        { "timeoutSeconds passed", 300, [Report(299, 5, 299.1)], DrainVerdict.TimedOut },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides(string rule, double nowSeconds, GatewayReport[] reports, DrainVerdict expected) =>
        Assert.True(expected == DrainPolicy.Decide("i1", T0, T0.AddSeconds(nowSeconds), Timeout, Expiry, reports), rule);

    private static GatewayReport Report(double takenSeconds, int inFlight, double receivedSeconds) =>
        new(inFlight, new Dictionary<string, int> { ["i1"] = inFlight, ["other"] = 7 }, T0.AddSeconds(takenSeconds), T0.AddSeconds(receivedSeconds));
}
