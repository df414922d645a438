using Orleans.Concurrency;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// A standalone Knative Route, keyed <c>{namespace}/{name}</c>: splits <c>http://{name}.{ns}.{domain}</c> between
/// Configurations (their latest ready revision) and Revisions, and publishes the routing snapshot the gateways use.
/// (A Service's own Route lives in the service grain.)
/// </summary>
[Alias("kn.IRouteGrain")]
public interface IRouteGrain : IGrainWithStringKey
{
    /// <summary>Validates and stores <paramref name="route"/>, then resolves its traffic.</summary>
    /// <param name="route">The manifest; its namespace and name must match the grain key.</param>
    /// <param name="mode">Create (POST) or replace (PUT).</param>
    /// <param name="user">The requesting user, recorded in the creator/lastModifier annotations.</param>
    [Alias("Apply")]
    Task<ApplyResult<Route>> ApplyAsync(Route route, ApplyMode mode, string user);

    /// <summary>The route with its status, or null when it does not exist.</summary>
    [Alias("Get")]
    Task<Route?> GetAsync();

    /// <summary>
    /// Whether the route exists. Interleaves with any call in progress, so a Service checking whether it owns the Route of
    /// its name never waits on a route that waits on the Service.
    /// </summary>
    [AlwaysInterleave, Alias("Exists")]
    Task<bool> ExistsAsync();

    /// <summary>Deletes the route; its host answers 404. False when it did not exist.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();

    /// <summary>The routing snapshot the gateway uses for the route's host.</summary>
    [Alias("GetRouteSnapshot")]
    Task<Routing.RouteSnapshot> GetRouteSnapshotAsync();

    /// <summary>A configuration the route follows changed (sent by the configuration grain, one-way).</summary>
    [OneWay, Alias("ConfigurationChanged")]
    Task ConfigurationChangedAsync(string configurationName);
}
