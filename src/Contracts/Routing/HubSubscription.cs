namespace Knative.Orleans.Contracts.Routing;

/// <summary>
/// The routing hub's answer to a subscription or renewal: the live gateways, and the hub activation's epoch. A gateway
/// that sees a new epoch knows the hub was reactivated (its silo died, or it was collected) and may have dropped
/// pushes meanwhile, so it re-pulls everything it caches.
/// </summary>
[GenerateSerializer, Immutable, Alias("kn.HubSubscription")]
public sealed record HubSubscription
{
    /// <summary>Ids of the live gateways, ordinal-sorted, the subscriber included.</summary>
    [Id(0)] public string[] Gateways { get; init; } = [];

    /// <summary>Changes whenever the hub is activated anew.</summary>
    [Id(1)] public required string Epoch { get; init; }
}
