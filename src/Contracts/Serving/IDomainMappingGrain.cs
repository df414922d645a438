using Knative.Orleans.Contracts.Routing;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>A DomainMapping, keyed <c>{namespace}/{host}</c>.</summary>
[Alias("kn.IDomainMappingGrain")]
public interface IDomainMappingGrain : IGrainWithStringKey
{
    /// <summary>Validates and stores <paramref name="mapping"/>, claims its host and points the host at the referenced service.</summary>
    [Alias("Apply")]
    Task<ApplyResult<DomainMapping>> ApplyAsync(DomainMapping mapping, ApplyMode mode, string user);

    /// <summary>The mapping with a fresh status (claim retried, reference re-resolved), or null when it does not exist.</summary>
    [Alias("Get")]
    Task<DomainMapping?> GetAsync();

    /// <summary>Deletes the mapping and releases its host. False when it did not exist.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();
}

/// <summary>
/// The cluster-wide claim on one host (Knative's ClusterDomainClaim), keyed by the host: at most one namespace's
/// DomainMapping owns it, and the gateway asks it where the host goes.
/// </summary>
[Alias("kn.IDomainClaimGrain")]
public interface IDomainClaimGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims the host for <paramref name="namespace"/> and points it at <paramref name="serviceName"/> in that
    /// namespace (null: claimed, routes nowhere). False when another namespace holds the claim.
    /// </summary>
    [Alias("Claim")]
    Task<bool> ClaimAsync(string @namespace, string? serviceName);

    /// <summary>Releases the claim if <paramref name="namespace"/> holds it.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string @namespace);

    /// <summary>Where the host goes, for the gateway.</summary>
    [Alias("GetSnapshot")]
    Task<DomainMappingSnapshot> GetSnapshotAsync();
}
