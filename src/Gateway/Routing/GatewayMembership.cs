namespace Knative.Orleans.Gateway.Routing;

/// <summary>
/// This gateway's id and the live gateways it knows of (from the routing hub, refreshed on every subscription renewal).
/// </summary>
/// <remarks>
/// The view always contains this gateway, so before the first subscription, and in the all-in-one process, it is the
/// only one and owns every instance. The view is an immutable <see cref="GatewaySet"/>, swapped atomically.
/// </remarks>
public sealed class GatewayMembership
{
    private volatile GatewaySet _current;

    /// <summary>Creates the membership of a gateway with a fresh random id.</summary>
    public GatewayMembership()
        : this(Guid.NewGuid().ToString("N"))
    {
    }

    /// <summary>Creates the membership of the gateway <paramref name="selfId"/>.</summary>
    public GatewayMembership(string selfId)
    {
        ArgumentException.ThrowIfNullOrEmpty(selfId);
        SelfId = selfId;
        _current = new GatewaySet([selfId], 0);
    }

    /// <summary>Raised after <see cref="Current"/> changed.</summary>
    public event Action? Changed;

    /// <summary>This gateway's id, stable for the life of the process.</summary>
    public string SelfId { get; }

    /// <summary>The live gateways, this one included.</summary>
    public GatewaySet Current => _current;

    /// <summary>
    /// Replaces the view with <paramref name="liveGatewayIds"/> (plus this gateway); raises <see cref="Changed"/> and
    /// returns true when the set differs from the current one.
    /// </summary>
    public bool Update(IEnumerable<string> liveGatewayIds)
    {
        ArgumentNullException.ThrowIfNull(liveGatewayIds);
        var ids = liveGatewayIds.Append(SelfId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (ids.AsSpan().SequenceEqual(_current.Ids))
        {
            return false;
        }

        _current = new GatewaySet(ids, Array.IndexOf(ids, SelfId));
        Changed?.Invoke();
        return true;
    }
}

/// <summary>An immutable view of the live gateways.</summary>
/// <param name="Ids">Gateway ids, ordinal-sorted, without duplicates.</param>
/// <param name="SelfIndex">This gateway's position in <paramref name="Ids"/>.</param>
public sealed record GatewaySet(string[] Ids, int SelfIndex);
