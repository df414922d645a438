using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Routing;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Persisted state of a <see cref="DomainClaimGrain"/>.</summary>
[GenerateSerializer, Alias("kn.DomainClaimState")]
public sealed class DomainClaimState
{
    /// <summary>The namespace whose DomainMapping owns the host; null when unclaimed.</summary>
    [Id(0)] public string? Namespace { get; set; }

    /// <summary>The service the host goes to (in <see cref="Namespace"/>); null when it goes nowhere.</summary>
    [Id(1)] public string? ServiceName { get; set; }
}

/// <summary>
/// Knative's ClusterDomainClaim for one host: the first namespace to claim it owns it until it releases it; the
/// gateway asks here (and is told through the routing hub) which service the host goes to.
/// </summary>
[GrainType("domainclaim")]
public sealed class DomainClaimGrain(
    [PersistentState("domainclaim", "store")] IPersistentState<DomainClaimState> state,
    TimeProvider time) : Grain, IDomainClaimGrain
{
    private long _version;

    private string Host => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<bool> ClaimAsync(string @namespace, string? serviceName)
    {
        if (state.State.Namespace is { } owner && owner != @namespace)
        {
            return false;
        }

        if (state.State.Namespace != @namespace || state.State.ServiceName != serviceName)
        {
            state.State.Namespace = @namespace;
            state.State.ServiceName = serviceName;
            await state.WriteStateAsync();
            await PublishAsync();
        }

        return true;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string @namespace)
    {
        if (state.State.Namespace != @namespace)
        {
            return;
        }

        await state.ClearStateAsync();
        state.State = new DomainClaimState();
        await PublishAsync();
    }

    /// <inheritdoc />
    public Task<DomainMappingSnapshot> GetSnapshotAsync() => Task.FromResult(Snapshot());

    private Task PublishAsync() => GrainFactory.GetGrain<IRoutingHubGrain>(0).PublishDomainMappingAsync(Snapshot());

    private DomainMappingSnapshot Snapshot() => new()
    {
        Host = Host,
        Version = SnapshotVersion.Next(ref _version, time),
        Exists = state.State is { Namespace: not null, ServiceName: not null },
        ServiceKey = state.State is { Namespace: { } ns, ServiceName: { } name } ? ns + "/" + name : null,
    };
}
