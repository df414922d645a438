using Orleans.Concurrency;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// A standalone Knative Configuration, keyed <c>{namespace}/{name}</c>: stamps a Revision for every template change and
/// tells the Routes that follow it when its revisions change. (A Service's own Configuration lives in the service grain.)
/// </summary>
[Alias("kn.IConfigurationGrain")]
public interface IConfigurationGrain : IGrainWithStringKey
{
    /// <summary>Validates and stores <paramref name="configuration"/>; stamps a revision when the template changed.</summary>
    /// <param name="configuration">The manifest; its namespace and name must match the grain key.</param>
    /// <param name="mode">Create (POST) or replace (PUT).</param>
    /// <param name="user">The requesting user, recorded in the creator/lastModifier annotations.</param>
    [Alias("Apply")]
    Task<ApplyResult<Configuration>> ApplyAsync(Configuration configuration, ApplyMode mode, string user);

    /// <summary>The configuration with its status, or null when it does not exist.</summary>
    [Alias("Get")]
    Task<Configuration?> GetAsync();

    /// <summary>Whether the configuration exists; interleaves with any call in progress (see <see cref="IRouteGrain.ExistsAsync"/>).</summary>
    [AlwaysInterleave, Alias("Exists")]
    Task<bool> ExistsAsync();

    /// <summary>Deletes the configuration, its revisions and their workloads; the routes that follow it re-resolve. False when it did not exist.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();

    /// <summary>Names of the revisions the configuration stamped, oldest first.</summary>
    [Alias("GetRevisionNames")]
    Task<string[]> GetRevisionNamesAsync();

    /// <summary>What a route needs to resolve a target naming this configuration (or one of its revisions).</summary>
    [Alias("GetFacts")]
    Task<ConfigurationFacts> GetFactsAsync();

    /// <summary>Starts (<paramref name="watch"/> true) or stops telling the route <paramref name="routeName"/> about changes.</summary>
    [Alias("Watch")]
    Task WatchAsync(string routeName, bool watch);

    /// <summary>A revision's readiness changed (sent by the revision grain, one-way).</summary>
    [OneWay, Alias("RevisionChanged")]
    Task RevisionChangedAsync(RevisionReadiness readiness);
}

/// <summary>A configuration as a route resolves it.</summary>
[GenerateSerializer, Immutable, Alias("kn.ConfigurationFacts")]
public sealed record ConfigurationFacts
{
    /// <summary>False when the configuration does not exist.</summary>
    [Id(0)] public bool Exists { get; init; }

    /// <summary>The newest stamped revision.</summary>
    [Id(1)] public string? LatestCreatedRevisionName { get; init; }

    /// <summary>The newest ready revision.</summary>
    [Id(2)] public string? LatestReadyRevisionName { get; init; }

    /// <summary>Its revisions, oldest first, with their readiness.</summary>
    [Id(3)] public RevisionReadiness[] Revisions { get; init; } = [];
}
