namespace Knative.Orleans.Gateway.Throttling;

/// <summary>
/// Knative's three ways to pick an instance (<c>pkg/activator/net/lb_policy.go</c>), as one pure function over the
/// in-flight counts of the candidate instances (sorted by id).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>containerConcurrency 0 (unlimited): power of two choices: two distinct random picks, the one with fewer
/// requests in flight wins (the first on a tie).</item>
/// <item>1 ≤ CC ≤ 3: the first instance with a free slot, which packs the few slots and keeps the order stable.</item>
/// <item>CC &gt; 3: round robin from the position after the last pick, skipping full instances.</item>
/// </list>
/// </remarks>
public static class LoadBalancingPolicy
{
    /// <summary>
    /// The index of the chosen instance, or -1 when every instance is full (or there is none).
    /// </summary>
    /// <param name="containerConcurrency">Slots per instance; 0 = unlimited.</param>
    /// <param name="inFlight">Requests in flight per candidate instance.</param>
    /// <param name="roundRobin">The round-robin position (CC &gt; 3), advanced past the pick.</param>
    /// <param name="random">Used by power of two choices only: <c>Next(n)</c>, then <c>Next(n - 1)</c>.</param>
    /// <param name="excluded">An index not to choose (a refused instance), or -1.</param>
    /// <example>CC 5, in flight [5, 2, 5], position 0: index 0 is full, index 1 is chosen, position becomes 2.</example>
    public static int Choose(int containerConcurrency, ReadOnlySpan<int> inFlight, ref int roundRobin, Random random, int excluded = -1)
    {
        ArgumentNullException.ThrowIfNull(random);
        var count = inFlight.Length;
        if (containerConcurrency <= 0)
        {
            return PowerOfTwoChoices(inFlight, random, excluded);
        }

        if (containerConcurrency <= 3)
        {
            for (var i = 0; i < count; i++)
            {
                if (i != excluded && inFlight[i] < containerConcurrency)
                {
                    return i;
                }
            }

            return -1;
        }

        for (var step = 0; step < count; step++)
        {
            var i = (int)(((uint)roundRobin + (uint)step) % (uint)count);
            if (i != excluded && inFlight[i] < containerConcurrency)
            {
                roundRobin = i + 1;
                return i;
            }
        }

        return -1;
    }

    private static int PowerOfTwoChoices(ReadOnlySpan<int> inFlight, Random random, int excluded)
    {
        // Candidates are the indices except the excluded one; map a candidate position c to its index.
        var skip = excluded >= 0 && excluded < inFlight.Length ? excluded : -1;
        var candidates = inFlight.Length - (skip >= 0 ? 1 : 0);
        switch (candidates)
        {
            case 0:
                return -1;
            case 1:
                return IndexOf(0, skip);
        }

        var first = random.Next(candidates);
        var second = random.Next(candidates - 1);
        if (second >= first)
        {
            second++;
        }

        var a = IndexOf(first, skip);
        var b = IndexOf(second, skip);
        return inFlight[b] < inFlight[a] ? b : a;
    }

    private static int IndexOf(int candidate, int skip) => skip >= 0 && candidate >= skip ? candidate + 1 : candidate;
}
