using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Serving;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Storage;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// Lists services by reading their stored <see cref="ServiceState"/> through the grain storage, the names coming from
/// the namespace's <see cref="IResourceIndexGrain"/>. A service grain writes its state (status included) before it
/// answers any change, so the stored state is what its grain would answer; idle services stay deactivated.
/// </summary>
[StatelessWorker]
[GrainType("servicelist")]
public sealed class ServiceListGrain(IServiceProvider services) : Grain, IServiceListGrain
{
    /// <summary>How many states are read at once.</summary>
    private const int ReadParallelism = 32;

    private readonly IGrainStorage _storage = services.GetRequiredKeyedService<IGrainStorage>("store");

    /// <inheritdoc />
    public Task<Service[]> ListServicesAsync() => ListAsync(ServiceResources.MakeService, s => s.Service is not null);

    /// <inheritdoc />
    public Task<Configuration[]> ListConfigurationsAsync() => ListAsync(ServiceResources.MakeConfiguration, ServiceResources.OwnsConfiguration);

    /// <inheritdoc />
    public Task<Route[]> ListRoutesAsync() => ListAsync(ServiceResources.MakeRoute, ServiceResources.OwnsRoute);

    private async Task<T[]> ListAsync<T>(Func<ServiceState, T> view, Func<ServiceState, bool> include)
    {
        var ns = this.GetPrimaryKeyString();
        var names = await GrainFactory.GetGrain<IResourceIndexGrain>(KnativeClient.ServicesIndex + "/" + ns).ListAsync();
        var states = new ServiceState?[names.Length];
        for (var first = 0; first < names.Length; first += ReadParallelism)
        {
            var count = Math.Min(ReadParallelism, names.Length - first);
            await Task.WhenAll(Enumerable.Range(first, count).Select(async i => states[i] = await ReadAsync(KnativeClient.Key(ns, names[i]))));
        }

        // A name without a service (deleted, or a create that crashed after indexing) is skipped, as before.
        return states.Where(s => s is not null && include(s)).Select(s => view(s!)).ToArray();
    }

    private async Task<ServiceState?> ReadAsync(string key)
    {
        var state = new GrainState<ServiceState>(new ServiceState());
        await _storage.ReadStateAsync("service", GrainId.Create("service", key), state);
        return state.RecordExists ? state.State : null;
    }
}
