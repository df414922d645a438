using System.Diagnostics.CodeAnalysis;
using Orleans.Runtime;

namespace Knative.Orleans.Silo.Tests.Storage;

[GenerateSerializer, Alias("tests.storage.Endpoint")]
public sealed record Endpoint([property: Id(0)] string Host, [property: Id(1)] int Port);

/// <summary>A state with nested collections, to prove the round trip through the serializer.</summary>
[GenerateSerializer, Alias("tests.storage.NotebookState")]
public sealed class NotebookState
{
    [Id(0)] public string Title { get; set; } = string.Empty;

    [Id(1)] public List<string> Lines { get; set; } = [];

    [Id(2)] public Dictionary<string, List<int>> Buckets { get; set; } = [];

    [Id(3)] public List<Endpoint> Endpoints { get; set; } = [];

    [Id(4)] public long Version { get; set; }
}

[Alias("tests.storage.INotebookGrain")]
public interface INotebookGrain : IGrainWithStringKey
{
    [Alias("Append")]
    Task<long> Append(string line);

    [Alias("Get")]
    Task<NotebookState> Get();

    [Alias("GetETag")]
    Task<string?> GetETag();

    [Alias("Clear")]
    Task Clear();
}

/// <summary>A test grain whose state lives in the grain storage named "store".</summary>
public sealed class NotebookGrain([PersistentState("s", "store")] IPersistentState<NotebookState> state)
    : Grain, INotebookGrain
{
    public async Task<long> Append(string line)
    {
        state.State.Lines.Add(line);
        state.State.Version++;
        await state.WriteStateAsync();
        return state.State.Version;
    }

    public Task<NotebookState> Get() => Task.FromResult(state.State);

    public Task<string?> GetETag() => Task.FromResult(state.Etag);

    public Task Clear() => state.ClearStateAsync();
}

/// <summary>What the grain runtime hands a storage provider, without Orleans' nullable <c>GrainState&lt;T&gt;.State</c>.</summary>
public sealed class TestGrainState<T>(T state) : IGrainState<T>
{
    [AllowNull]
    public T State { get; set; } = state;

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}
