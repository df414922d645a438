using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;

namespace Knative.Orleans.Gateway.Tests;

public sealed class TrafficSplitterTests
{
    private static RouteSnapshot Route(string? pending, params (string Revision, int Percent)[] targets) => new()
    {
        ServiceKey = "default/hello",
        Exists = true,
        PendingRevision = pending,
        Targets = [.. targets.Select(t => new RouteTarget { RevisionName = t.Revision, Percent = t.Percent })],
    };

    [Fact]
    public void Weighted_choice_follows_the_percents_over_every_roll()
    {
        // a 70, tagged-only b 0, c 30: the 100 possible rolls must split exactly 70/30 and never pick b.
        var route = Route(null, ("a", 70), ("b", 0), ("c", 30));
        var random = new ScriptedRandom(Enumerable.Range(0, 100));

        var picks = Enumerable.Range(0, 100).Select(_ => TrafficSplitter.Choose(route, random)).ToList();

        Assert.Equal(70, picks.Count(p => p == "a"));
        Assert.Equal(30, picks.Count(p => p == "c"));
        Assert.DoesNotContain("b", picks);
        Assert.All(random.MaxValues, max => Assert.Equal(100, max));
        Assert.Equal("a", picks[69]);
        Assert.Equal("c", picks[70]);
    }

    [Fact]
    public void Weights_not_summing_to_100_are_normalised()
    {
        var route = Route(null, ("a", 1), ("b", 3));
        var random = new ScriptedRandom([0, 1, 3]);

        Assert.Equal("a", TrafficSplitter.Choose(route, random));
        Assert.Equal("b", TrafficSplitter.Choose(route, random));
        Assert.Equal("b", TrafficSplitter.Choose(route, random));
        Assert.Equal([4, 4, 4], random.MaxValues);
    }

    [Fact]
    public void Without_traffic_targets_the_pending_revision_is_used()
    {
        var random = new ScriptedRandom([]);
        Assert.Equal("hello-00001", TrafficSplitter.Choose(Route("hello-00001", ("tagged", 0)), random));
        Assert.Null(TrafficSplitter.Choose(Route(null, ("tagged", 0)), random));
        Assert.Null(TrafficSplitter.Choose(Route(null), random));
    }
}
