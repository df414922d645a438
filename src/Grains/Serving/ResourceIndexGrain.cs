using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Names of one resource kind in one namespace, for listing (key <c>{kind}/{namespace}</c>).</summary>
[GrainType("index")]
public sealed class ResourceIndexGrain([PersistentState("index", "store")] IPersistentState<ResourceIndexState> state)
    : Grain, IResourceIndexGrain
{
    /// <inheritdoc />
    public async Task AddAsync(string name)
    {
        if (state.State.Names.Add(name))
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string name)
    {
        if (state.State.Names.Remove(name))
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public Task<string[]> ListAsync() => Task.FromResult(state.State.Names.Order(StringComparer.Ordinal).ToArray());
}

/// <summary>Persisted names of a <see cref="ResourceIndexGrain"/>.</summary>
[GenerateSerializer, Alias("kn.ResourceIndexState")]
public sealed class ResourceIndexState
{
    /// <summary>The names.</summary>
    [Id(0)] public HashSet<string> Names { get; set; } = new(StringComparer.Ordinal);
}
