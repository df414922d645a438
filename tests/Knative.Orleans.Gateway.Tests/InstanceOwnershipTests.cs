using Knative.Orleans.Gateway.Throttling;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>The split of a revision's instances among gateways: pure, the same answer in every gateway.</summary>
public sealed class InstanceOwnershipTests
{
    public static TheoryData<int, int> Sizes()
    {
        var data = new TheoryData<int, int>();
        for (var gateways = 1; gateways <= 5; gateways++)
        {
            for (var instances = 0; instances <= 7; instances++)
            {
                data.Add(gateways, instances);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_instance_has_exactly_one_owner_and_counts_differ_by_at_most_one(int gateways, int instances)
    {
        var ids = Enumerable.Range(0, instances).Select(i => $"i-{i}").ToArray();
        foreach (var revision in new[] { "default/hello-00001", "team/other-00042" })
        {
            var owned = Enumerable.Range(0, gateways).Select(g => InstanceOwnership.Owned(ids, g, gateways, revision)).ToArray();

            Assert.Equal(ids, owned.SelectMany(o => o).Order(StringComparer.Ordinal));
            Assert.InRange(owned.Max(o => o.Count) - owned.Min(o => o.Count), 0, 1);
            for (var i = 0; i < instances; i++)
            {
                var owner = InstanceOwnership.OwnerOf(i, instances, gateways, revision);
                Assert.Contains(ids[i], owned[owner]);
            }
        }
    }

    [Fact]
    public void Slices_are_contiguous_and_remnants_go_round_robin_from_the_revision_offset()
    {
        const string Revision = "default/hello-00001";
        var offset = (int)(InstanceOwnership.StableHash(Revision) % 3);
        string[] ids = ["a", "b", "c", "d", "e", "f", "g"];

        var owned = Enumerable.Range(0, 3).Select(g => InstanceOwnership.Owned(ids, g, 3, Revision)).ToArray();

        // ⌊7/3⌋ = 2 each: {a,b} {c,d} {e,f}; the remnant g goes to the gateway at the revision's offset.
        Assert.Equal(["a", "b"], owned[0].Where(id => id != "g"));
        Assert.Equal(["c", "d"], owned[1].Where(id => id != "g"));
        Assert.Equal(["e", "f"], owned[2].Where(id => id != "g"));
        Assert.Contains("g", owned[offset]);
    }

    [Fact]
    public void Stable_hash_is_fixed_fnv1a()
    {
        // The same value in every process and version: ownership must agree across gateways.
        Assert.Equal(2166136261u, InstanceOwnership.StableHash(string.Empty));
        Assert.Equal(0xE40C292Cu, InstanceOwnership.StableHash("a"));
    }
}
