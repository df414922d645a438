using Knative.Orleans.Gateway.Tests.Fakes;
using Knative.Orleans.Gateway.Throttling;

namespace Knative.Orleans.Gateway.Tests;

/// <summary>Knative's three policies as one pure function, replayed with scripted random rolls.</summary>
public sealed class LoadBalancingPolicyTests
{
    public static TheoryData<string, int, int[], int, int[], int, int, int[]> Cases => new()
    {
        // name, CC, in flight, round-robin position, rolls, excluded, expected index, expected Next(max) arguments
        // CC 0: power of two choices. Rolls (0, 0): first = 0, second = 0 → bumped past the first → 1.
        { "p2c: the less busy of two picks", 0, [2, 1, 5], 0, [0, 0], -1, 1, [3, 2] },
        { "p2c: a tie goes to the first pick", 0, [1, 1, 1], 0, [2, 0], -1, 2, [3, 2] },
        { "p2c: the busier first pick loses", 0, [0, 9, 4], 0, [1, 1], -1, 2, [3, 2] },
        { "p2c: unlimited, even when busy", 0, [100, 200], 0, [1, 0], -1, 0, [2, 1] },
        { "p2c: one instance needs no roll", 0, [7], 0, [], -1, 0, [] },
        { "p2c: none", 0, [], 0, [], -1, -1, [] },
        { "p2c: excluded is never a candidate", 0, [0, 5, 3], 0, [0, 0], 0, 2, [2, 1] },
        { "p2c: only the excluded one left", 0, [0], 0, [], 0, -1, [] },

        // 1 ≤ CC ≤ 3: the first instance (sorted) with a free slot.
        { "first free: the first", 1, [0, 0, 0], 0, [], -1, 0, [] },
        { "first free: skips full", 1, [1, 0, 0], 0, [], -1, 1, [] },
        { "first free: CC 3 packs the first", 3, [2, 0], 0, [], -1, 0, [] },
        { "first free: all full", 2, [2, 2], 0, [], -1, -1, [] },
        { "first free: skips the excluded", 3, [0, 0], 0, [], 0, 1, [] },

        // CC > 3: round robin from the position, skipping full instances.
        { "round robin: from the position", 4, [0, 0, 0], 1, [], -1, 1, [] },
        { "round robin: skips full", 5, [5, 2, 5], 0, [], -1, 1, [] },
        { "round robin: wraps around", 4, [0, 4, 4], 1, [], -1, 0, [] },
        { "round robin: position past the end wraps", 4, [0, 0], 5, [], -1, 1, [] },
        { "round robin: all full", 4, [4, 4], 0, [], -1, -1, [] },
        { "round robin: skips the excluded", 10, [0, 0, 0], 0, [], 0, 1, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chooses_like_knative(string name, int cc, int[] inFlight, int position, int[] rolls, int excluded, int expected, int[] maxValues)
    {
        var random = new ScriptedRandom(rolls);

        var chosen = LoadBalancingPolicy.Choose(cc, inFlight, ref position, random, excluded);

        Assert.True(expected == chosen, $"{name}: expected {expected}, chose {chosen}");
        Assert.Equal(maxValues, random.MaxValues);
    }

    [Fact]
    public void Round_robin_advances_past_each_pick()
    {
        var position = 0;
        int[] inFlight = [0, 4, 0];
        var picks = Enumerable.Range(0, 4).Select(_ => LoadBalancingPolicy.Choose(4, inFlight, ref position, new ScriptedRandom([]))).ToArray();

        Assert.Equal([0, 2, 0, 2], picks);
    }
}
