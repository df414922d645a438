using Orleans.Concurrency;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// A Knative Service, keyed <c>{namespace}/{name}</c>. Owns the service spec, its Configuration and Route views,
/// stamps a Revision for every template change and resolves traffic.
/// </summary>
[Alias("kn.IServiceGrain")]
public interface IServiceGrain : IGrainWithStringKey
{
    /// <summary>Validates and stores <paramref name="service"/>; stamps a revision when the template changed.</summary>
    /// <param name="service">The manifest; its namespace and name must match the grain key.</param>
    /// <param name="mode">Create (POST) or replace (PUT).</param>
    /// <param name="user">The requesting user, recorded in the creator/lastModifier annotations.</param>
    [Alias("Apply")]
    Task<ApplyResult<Service>> ApplyAsync(Service service, ApplyMode mode, string user);

    /// <summary>The service with its status, or null when it does not exist.</summary>
    [Alias("Get")]
    Task<Service?> GetAsync();

    /// <summary>Deletes the service, its revisions and their workloads. False when it did not exist.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();

    /// <summary>The Configuration owned by the service (same name), or null.</summary>
    [Alias("GetConfiguration")]
    Task<Configuration?> GetConfigurationAsync();

    /// <summary>The Route owned by the service (same name), or null.</summary>
    [Alias("GetRoute")]
    Task<Route?> GetRouteAsync();

    /// <summary>Names of the revisions the service stamped, oldest first.</summary>
    [Alias("GetRevisionNames")]
    Task<string[]> GetRevisionNamesAsync();

    /// <summary>The routing snapshot the gateway uses for this service's host.</summary>
    [Alias("GetRouteSnapshot")]
    Task<Routing.RouteSnapshot> GetRouteSnapshotAsync();

    /// <summary>
    /// The Service's own Configuration as a standalone Route resolves a <c>configurationName</c> target naming it
    /// (<see cref="ConfigurationFacts.Exists"/> false when the service does not exist or does not own its Configuration).
    /// </summary>
    [Alias("GetConfigurationFacts")]
    Task<ConfigurationFacts> GetConfigurationFactsAsync();

    /// <summary>
    /// Starts (<paramref name="watch"/> true) or stops telling the standalone route <paramref name="routeName"/> (same
    /// namespace) whenever the service's revisions or status change, one-way; kept while the service does not exist.
    /// </summary>
    [Alias("Watch")]
    Task WatchAsync(string routeName, bool watch);

    /// <summary>
    /// A standalone Configuration or Route of the service's name was deleted (sent by its grain, one-way): a service that
    /// did not own it checks again, stamps its pending revision and publishes its routing once it owns both.
    /// </summary>
    [OneWay, Alias("ChildReleased")]
    Task ChildReleasedAsync();

    /// <summary>
    /// The revisions standalone route <paramref name="routeName"/> now sends traffic to (its whole set, empty once it routes
    /// none of ours or is deleted; sent by the route grain, one-way and idempotent). They count as routed for this
    /// service's revision GC, routingState and min-scale, as Knative counts every route's targets.
    /// </summary>
    [OneWay, Alias("RoutedByRoute")]
    Task RoutedByRouteAsync(string routeName, string[] revisionNames);

    /// <summary>A revision's readiness changed (sent by the revision grain, one-way).</summary>
    [OneWay, Alias("RevisionChanged")]
    Task RevisionChangedAsync(RevisionReadiness readiness);
}

/// <summary>Readiness of a revision as its parent needs it.</summary>
[GenerateSerializer, Immutable, Alias("kn.RevisionReadiness")]
public sealed record RevisionReadiness
{
    /// <summary>Revision name.</summary>
    [Id(0)] public required string RevisionName { get; init; }

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c> (the revision's Ready condition).</summary>
    [Id(1)] public required string Ready { get; init; }

    /// <summary>Reason when not True.</summary>
    [Id(2)] public string? Reason { get; init; }

    /// <summary>Message when not True.</summary>
    [Id(3)] public string? Message { get; init; }
}
