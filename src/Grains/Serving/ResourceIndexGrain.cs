using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;
using Orleans.Concurrency;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// Names of one resource kind in one namespace, for listing (key <c>{kind}/{namespace}</c>). With an
/// <see cref="IResourceIndexStore"/> (the embedded SQLite storage) every name is its own row and a create costs one small
/// row write; otherwise the names live in this grain's state, rewritten as a whole, and concurrent changes share a write.
/// </summary>
// Reentrant: calls overlap so that concurrent creates share one storage commit. With a store each call is one independent
// store operation; without one, changes apply to the in-memory set synchronously and writes go through SaveAsync, which
// keeps at most one write of the state in flight.
[Reentrant]
[GrainType("index")]
public sealed class ResourceIndexGrain(
    [PersistentState("index", "store")] IPersistentState<ResourceIndexState> state,
    IEnumerable<IResourceIndexStore> stores) : Grain, IResourceIndexGrain
{
    private readonly IResourceIndexStore? _store = stores.FirstOrDefault();
    private Task? _write;
    private long _changes;
    private long _saved;

    private string Key => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_store is not null && state.State.Names.Count > 0)
        {
            // Names written before the store existed (an older version): move them into the store once.
            await _store.AddAsync(Key, state.State.Names, cancellationToken);
            await state.ClearStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task AddAsync(string name)
    {
        if (_store is not null)
        {
            await _store.AddAsync(Key, [name]);
        }
        else if (state.State.Names.Add(name))
        {
            await SaveAsync();
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string name)
    {
        if (_store is not null)
        {
            await _store.RemoveAsync(Key, name);
        }
        else if (state.State.Names.Remove(name))
        {
            await SaveAsync();
        }
    }

    /// <inheritdoc />
    public async Task<bool> ContainsAsync(string name) =>
        _store is not null ? await _store.ContainsAsync(Key, name) : state.State.Names.Contains(name);

    /// <inheritdoc />
    public async Task<string[]> ListAsync() =>
        _store is not null ? await _store.ListAsync(Key) : state.State.Names.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Returns once a write that includes every change made so far has completed.</summary>
    private async Task SaveAsync()
    {
        var mine = ++_changes;
        while (_saved < mine)
        {
            _write ??= WriteAsync(_changes);
            var write = _write;
            try
            {
                await write;
            }
            finally
            {
                if (ReferenceEquals(_write, write))
                {
                    _write = null;
                }
            }
        }
    }

    private async Task WriteAsync(long upTo)
    {
        await state.WriteStateAsync();
        _saved = Math.Max(_saved, upTo);
    }
}

/// <summary>Persisted names of a <see cref="ResourceIndexGrain"/> (empty when an <see cref="IResourceIndexStore"/> holds them).</summary>
[GenerateSerializer, Alias("kn.ResourceIndexState")]
public sealed class ResourceIndexState
{
    /// <summary>The names.</summary>
    [Id(0)] public HashSet<string> Names { get; set; } = new(StringComparer.Ordinal);
}
