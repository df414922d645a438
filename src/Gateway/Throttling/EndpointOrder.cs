using Endpoint = Knative.Orleans.Contracts.Routing.Endpoint;

namespace Knative.Orleans.Gateway.Throttling;

/// <summary>Orders endpoints by instance id, then address (ordinal): the order every gateway sorts instances in.</summary>
internal sealed class EndpointOrder : IComparer<Endpoint>
{
    public static readonly EndpointOrder Instance = new();

    public int Compare(Endpoint? x, Endpoint? y)
    {
        var byId = string.CompareOrdinal(x?.InstanceId, y?.InstanceId);
        return byId != 0 ? byId : string.CompareOrdinal(x?.Address, y?.Address);
    }
}
