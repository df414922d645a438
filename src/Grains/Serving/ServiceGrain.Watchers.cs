using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// Standalone Routes that name the service's Configuration (<c>configurationName: {svc}</c>) or pin one of its revisions:
/// they register here and are told (one-way) after every stored change, then pull <see cref="GetConfigurationFactsAsync"/>.
/// </summary>
public sealed partial class ServiceGrain
{
    /// <inheritdoc />
    public Task<ConfigurationFacts> GetConfigurationFactsAsync() => Task.FromResult(ServiceResources.OwnsConfiguration(state.State)
        ? ConfigurationStatusBuilder.Facts(state.State.Status is { } s
            ? new ConfigurationStatus { LatestCreatedRevisionName = s.LatestCreatedRevisionName, LatestReadyRevisionName = s.LatestReadyRevisionName }
            : null, state.State.Revisions)
        : new ConfigurationFacts { Exists = false });

    /// <inheritdoc />
    public async Task WatchAsync(string routeName, bool watch)
    {
        // Kept even while the service does not exist: a route that names it re-resolves when it is created.
        if (watch ? state.State.Watchers.Add(routeName) : state.State.Watchers.Remove(routeName))
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task RoutedByRouteAsync(string routeName, string[] revisionNames)
    {
        // Only our own revisions are kept (a route tells every service it depends on its whole set).
        var ours = revisionNames.Where(n => state.State.Revisions.Exists(r => r.Name == n)).Order(StringComparer.Ordinal).ToArray();
        var known = state.State.RoutedBy.GetValueOrDefault(routeName) ?? [];
        if (state.State.Service is null || ours.SequenceEqual(known, StringComparer.Ordinal))
        {
            return; // unchanged (the route re-sends after each of our notifications), or no service to protect
        }

        if (ours.Length == 0)
        {
            state.State.RoutedBy.Remove(routeName);
        }
        else
        {
            state.State.RoutedBy[routeName] = ours;
        }

        await SaveAndPublishAsync();
    }

    private void NotifyWatchers(IEnumerable<string> routes)
    {
        foreach (var route in routes)
        {
            // One-way: a route awaits this grain (facts, watch), never the other way round.
            _ = GrainFactory.GetGrain<IRouteGrain>(Namespace + "/" + route).ConfigurationChangedAsync(Name);
        }
    }
}
