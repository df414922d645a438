using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>
/// <see cref="IServiceWaitersGrain"/>: trigger keys per service name, persisted (written only when a set changes), so a
/// Service created after both grains were deactivated still wakes its waiters.
/// </summary>
[GrainType("servicewaiters")]
public sealed class ServiceWaitersGrain(
    [PersistentState("servicewaiters", "store")] IPersistentState<ServiceWaitersState> state) : Grain, IServiceWaitersGrain
{
    /// <inheritdoc />
    public async Task WaitAsync(string serviceName, string triggerKey)
    {
        if (!state.State.Waiters.TryGetValue(serviceName, out var triggers))
        {
            state.State.Waiters[serviceName] = triggers = [];
        }

        if (!triggers.Contains(triggerKey, StringComparer.Ordinal))
        {
            triggers.Add(triggerKey);
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task ServiceCreatedAsync(string serviceName)
    {
        if (state.State.Waiters.Remove(serviceName, out var triggers))
        {
            await state.WriteStateAsync();
            foreach (var trigger in triggers)
            {
                _ = GrainFactory.GetGrain<ITriggerGrain>(trigger).NotifyAsync(); // one-way
            }
        }
    }

    /// <inheritdoc />
    public Task<string[]> GetWaitersAsync(string serviceName) =>
        Task.FromResult(state.State.Waiters.TryGetValue(serviceName, out var triggers) ? triggers.Order(StringComparer.Ordinal).ToArray() : []);
}

/// <summary>Persisted state of a <see cref="ServiceWaitersGrain"/>.</summary>
[GenerateSerializer, Alias("kn.ServiceWaitersState")]
public sealed class ServiceWaitersState
{
    /// <summary>Trigger keys (<c>{namespace}/{name}</c>) by the name of the Service they wait for.</summary>
    [Id(0)] public Dictionary<string, List<string>> Waiters { get; set; } = [];
}
