using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Grains.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

public sealed class RoutedRevisionsTests
{
    [Fact]
    public void Targets_and_the_latest_created_revision_are_routed_and_only_changes_are_returned()
    {
        var revisions = new List<RevisionRecord>
        {
            new() { Name = "s-00001" }, new() { Name = "s-00002" }, new() { Name = "s-00003" },
        };

        var changed = RoutedRevisions.Mark(revisions, [new RouteTarget { RevisionName = "s-00002", Percent = 100 }]);

        Assert.Equal(["s-00001"], changed.Select(r => r.Name));
        Assert.False(changed[0].Routed);
        Assert.Equal([false, true, true], revisions.Select(r => r.Routed));
        Assert.Empty(RoutedRevisions.Mark(revisions, [new RouteTarget { RevisionName = "s-00002", Percent = 100 }]));

        var back = RoutedRevisions.Mark(revisions, [new RouteTarget { RevisionName = "s-00001", Tag = "old" }]);
        Assert.Equal(["s-00001", "s-00002"], back.Select(r => r.Name));
        Assert.Equal([true, false, true], revisions.Select(r => r.Routed));
    }

    [Fact]
    public void Revisions_other_routes_send_traffic_to_stay_routed()
    {
        var revisions = new List<RevisionRecord> { new() { Name = "s-00001" }, new() { Name = "s-00002" } };

        Assert.Empty(RoutedRevisions.Mark(revisions, [new RouteTarget { RevisionName = "s-00002", Percent = 100 }], ["s-00001", "other-00001"]));
        Assert.Equal([true, true], revisions.Select(r => r.Routed));

        var released = RoutedRevisions.Mark(revisions, [new RouteTarget { RevisionName = "s-00002", Percent = 100 }], []);
        Assert.Equal(["s-00001"], released.Select(r => r.Name));
        Assert.False(released[0].Routed);
    }
}
