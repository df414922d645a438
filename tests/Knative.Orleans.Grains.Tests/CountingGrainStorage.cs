using System.Collections.Concurrent;
using Orleans.Storage;

namespace Knative.Orleans.Grains.Tests;

/// <summary>
/// Wraps a grain storage and counts its reads (one per activation of a grain with state) and writes per grain type; it
/// can also fail the next write of one grain type, as a full disk or a lost database would.
/// </summary>
public sealed class CountingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly ConcurrentDictionary<string, int> _reads = new();
    private readonly ConcurrentDictionary<string, int> _writes = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();

    /// <summary>Reads by grain type so far.</summary>
    public IReadOnlyDictionary<string, int> Reads => new Dictionary<string, int>(_reads);

    /// <summary>Writes (clears included) by grain type so far.</summary>
    public IReadOnlyDictionary<string, int> Writes => new Dictionary<string, int>(_writes);

    /// <summary>The next write of a grain of <paramref name="grainType"/> throws instead of writing.</summary>
    public void FailNextWrite(string grainType) => _failures.AddOrUpdate(grainType, 1, (_, n) => n + 1);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _reads.AddOrUpdate(grainId.Type.ToString()!, 1, (_, n) => n + 1);
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Count(grainId);
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Count(grainId);
        return inner.ClearStateAsync(stateName, grainId, grainState);
    }

    private void Count(GrainId grainId)
    {
        var type = grainId.Type.ToString()!;
        if (_failures.TryGetValue(type, out var pending) && pending > 0 && _failures.TryUpdate(type, pending - 1, pending))
        {
            throw new IOException($"injected write failure ({grainId})");
        }

        _writes.AddOrUpdate(type, 1, (_, n) => n + 1);
    }
}
