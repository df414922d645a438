namespace Knative.Orleans.Gateway.Throttling;

/// <summary>
/// Splits a revision's ready instances among the live gateways so that each instance has exactly one owner, the only
/// gateway that sends it requests; containerConcurrency is then enforced at one point per instance.
/// </summary>
/// <remarks>
/// Knative's activator split (<c>pickIndices</c> in <c>pkg/activator/net/throttler.go</c>): with n instances and g
/// gateways, both sorted, gateway k takes the slice [k⌊n/g⌋, (k+1)⌊n/g⌋). Knative shares the n mod g remnants among all
/// activators at reduced capacity; we give each remnant to one gateway instead, round robin from an offset that is a
/// stable hash of the revision key, so that revisions with fewer instances than gateways do not all land on gateway 0.
/// Example: 7 instances, 3 gateways, offset 2 → slices {0,1}, {2,3}, {4,5}; remnant 6 → gateway 2: counts 2, 2, 3.
/// Every gateway computes the same answer from the same inputs; nothing is exchanged.
/// </remarks>
public static class InstanceOwnership
{
    /// <summary>
    /// The gateway (index into the sorted gateway list) that owns instance <paramref name="instanceIndex"/> of
    /// <paramref name="instanceCount"/> sorted instances.
    /// </summary>
    /// <param name="instanceIndex">In [0, <paramref name="instanceCount"/>).</param>
    /// <param name="instanceCount">Ready instances of the revision.</param>
    /// <param name="gatewayCount">Live gateways, at least 1.</param>
    /// <param name="revisionKey">Spreads the remnants of different revisions over different gateways.</param>
    public static int OwnerOf(int instanceIndex, int instanceCount, int gatewayCount, string revisionKey)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gatewayCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(instanceIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(instanceIndex, instanceCount);

        var slice = instanceCount / gatewayCount;
        if (instanceIndex < slice * gatewayCount)
        {
            return instanceIndex / slice;
        }

        var offset = (int)(StableHash(revisionKey) % (uint)gatewayCount);
        return (offset + instanceIndex - (slice * gatewayCount)) % gatewayCount;
    }

    /// <summary>
    /// The instances of <paramref name="sortedInstances"/> owned by gateway <paramref name="gatewayIndex"/> of
    /// <paramref name="gatewayCount"/>, in their order.
    /// </summary>
    public static List<T> Owned<T>(IReadOnlyList<T> sortedInstances, int gatewayIndex, int gatewayCount, string revisionKey)
    {
        ArgumentNullException.ThrowIfNull(sortedInstances);
        ArgumentOutOfRangeException.ThrowIfNegative(gatewayIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(gatewayIndex, gatewayCount);
        var owned = new List<T>(sortedInstances.Count / gatewayCount + 1);
        for (var i = 0; i < sortedInstances.Count; i++)
        {
            if (OwnerOf(i, sortedInstances.Count, gatewayCount, revisionKey) == gatewayIndex)
            {
                owned.Add(sortedInstances[i]);
            }
        }

        return owned;
    }

    /// <summary>32-bit FNV-1a over the UTF-16 code units: the same in every process (unlike string.GetHashCode).</summary>
    internal static uint StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
