namespace Knative.Orleans.Contracts.Client;

/// <summary>
/// Orleans cluster identity of the platform (<c>Cluster:ServiceId</c>, <c>Cluster:ClusterId</c>, <c>Cluster:GatewayPort</c>);
/// an SDK client must use the same values to join.
/// </summary>
public static class ClusterDefaults
{
    /// <summary>Default <c>Cluster:ServiceId</c>.</summary>
    public const string ServiceId = "knative-orleans";

    /// <summary>Default <c>Cluster:ClusterId</c>.</summary>
    public const string ClusterId = "embedded";

    /// <summary>Default <c>Cluster:GatewayPort</c>: where Orleans clients (SDK programs, standalone gateways) connect.</summary>
    public const int GatewayPort = 30000;

    /// <summary>Default <c>Cluster:SiloPort</c>.</summary>
    public const int SiloPort = 11111;
}
