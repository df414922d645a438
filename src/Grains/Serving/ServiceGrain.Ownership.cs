using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// Knative's <c>NotOwned</c>: a Service owns the Configuration and Route of its name, so a standalone one of that name
/// blocks it. The service is stored and reports the condition; it stamps no revision while the Configuration is foreign
/// and publishes no routing while either is; when the standalone object is deleted its grain tells this one (one-way).
/// </summary>
public sealed partial class ServiceGrain
{
    private const string NotOwnedConfiguration = "Configuration";

    private const string NotOwnedRoute = "Route";

    /// <inheritdoc />
    public async Task ChildReleasedAsync()
    {
        if (state.State.Service is not { } service || state.State.NotOwned is null)
        {
            return;
        }

        state.State.NotOwned = await FindForeignChildAsync();
        if (state.State.NotOwned is null)
        {
            LogOwned(logger, this.GetPrimaryKeyString());
        }

        if (state.State.NotOwned != NotOwnedConfiguration && StampPending(state.State.ConfigurationGeneration))
        {
            var user = service.Metadata?.Annotations?.GetValueOrDefault(ServingLabels.LastModifier) ?? KnativeClient.DefaultUser;
            await StampAsync(service, state.State.ConfigurationGeneration, user, time.GetUtcNow());
        }

        await SaveAndPublishAsync();
    }

    /// <summary>
    /// <c>Configuration</c> or <c>Route</c> when a standalone object of that kind holds the service's name, else null. One
    /// point lookup per kind in the namespace's resource index (no grain activated in the common case); a name found there
    /// is confirmed with its grain, since an index entry may outlive its object (a crash, or a delete in progress).
    /// </summary>
    private async Task<string?> FindForeignChildAsync()
    {
        var key = this.GetPrimaryKeyString();
        var configuration = GrainFactory.GetGrain<IResourceIndexGrain>(KnativeClient.ConfigurationsIndex + "/" + Namespace).ContainsAsync(Name);
        var route = GrainFactory.GetGrain<IResourceIndexGrain>(KnativeClient.RoutesIndex + "/" + Namespace).ContainsAsync(Name);
        if (await configuration && await GrainFactory.GetGrain<IConfigurationGrain>(key).ExistsAsync())
        {
            return NotOwnedConfiguration;
        }

        return await route && await GrainFactory.GetGrain<IRouteGrain>(key).ExistsAsync() ? NotOwnedRoute : null;
    }

    /// <summary>The template at <paramref name="generation"/> has no revision yet (deferred while not owned, or its name was taken).</summary>
    private bool StampPending(long generation) =>
        state.State.RevisionNameTaken is not null || state.State.Revisions.LastOrDefault()?.ConfigurationGeneration != generation;

    [Microsoft.Extensions.Logging.LoggerMessage(EventId = 3103, Level = Microsoft.Extensions.Logging.LogLevel.Information,
        Message = "Service {ServiceKey} now owns its Configuration and Route")]
    private static partial void LogOwned(Microsoft.Extensions.Logging.ILogger logger, string serviceKey);
}
