using Knative.Orleans.Silo.Storage;
using Orleans.Runtime;
using Orleans.Storage;

namespace Knative.Orleans.Silo.Tests.Storage;

/// <summary>
/// Concurrent writes share commits (<see cref="SqliteGrainStorage.MaxBatch"/>) and keep the per-write contract: every
/// acknowledged write is on disk, and a write that fails (a stale etag) fails alone.
/// </summary>
public sealed class SqliteGroupCommitTests : IDisposable
{
    private const string StateName = "s";

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Concurrent_writes_are_all_durable_after_their_tasks_complete()
    {
        var ids = Enumerable.Range(0, 2 * SqliteGrainStorage.MaxBatch + 7)
            .Select(i => GrainId.Create("notebook", $"group/{i}")).ToArray();
        var states = ids.Select((_, i) => new TestGrainState<NotebookState>(new NotebookState { Title = $"t{i}" })).ToArray();
        using (var storage = SqliteGrainStorageFactory.Create(_directory.Path))
        {
            await Task.WhenAll(ids.Select((id, i) => storage.WriteStateAsync(StateName, id, states[i])));
            Assert.All(states, s => Assert.True(s.RecordExists));
        }

        // A new provider on the same file (the process restarted) reads every acknowledged write.
        using var reopened = SqliteGrainStorageFactory.Create(_directory.Path);
        for (var i = 0; i < ids.Length; i++)
        {
            var read = new TestGrainState<NotebookState>(new NotebookState());
            await reopened.ReadStateAsync(StateName, ids[i], read);
            Assert.Equal($"t{i}", read.State.Title);
            Assert.Equal(states[i].ETag, read.ETag);
        }
    }

    [Fact]
    public async Task A_conflicting_write_fails_alone_and_the_writes_around_it_commit()
    {
        using var storage = SqliteGrainStorageFactory.Create(_directory.Path);
        var contested = GrainId.Create("notebook", "group/contested");
        var current = new TestGrainState<NotebookState>(new NotebookState { Title = "v1" });
        await storage.WriteStateAsync(StateName, contested, current);
        var stale = new TestGrainState<NotebookState>(new NotebookState { Title = "stale" }) { ETag = "not-the-stored-etag", RecordExists = true };

        var others = Enumerable.Range(0, 100).Select(i => (Id: GrainId.Create("notebook", $"group/other-{i}"),
            State: new TestGrainState<NotebookState>(new NotebookState { Title = $"o{i}" }))).ToArray();
        var writes = others.Take(50).Select(o => storage.WriteStateAsync(StateName, o.Id, o.State))
            .Append(storage.WriteStateAsync(StateName, contested, stale))
            .Concat(others.Skip(50).Select(o => storage.WriteStateAsync(StateName, o.Id, o.State))).ToArray();

        var failure = await Assert.ThrowsAsync<InconsistentStateException>(() => Task.WhenAll(writes));
        Assert.Contains("not-the-stored-etag", failure.Message);
        Assert.Equal(1, writes.Count(w => w.IsFaulted));

        var read = new TestGrainState<NotebookState>(new NotebookState());
        await storage.ReadStateAsync(StateName, contested, read);
        Assert.Equal("v1", read.State.Title);
        Assert.Equal(current.ETag, read.ETag);
        foreach (var (id, state) in others)
        {
            var other = new TestGrainState<NotebookState>(new NotebookState());
            await storage.ReadStateAsync(StateName, id, other);
            Assert.Equal(state.State.Title, other.State.Title);
        }
    }

    [Fact]
    public async Task Index_rows_are_added_listed_in_ordinal_order_removed_and_survive_a_reopen()
    {
        using (var storage = SqliteGrainStorageFactory.Create(_directory.Path))
        {
            var index = new SqliteResourceIndexStore(storage);
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i => index.AddAsync("services/ns", [$"svc-{i:D3}"])));
            await index.AddAsync("services/ns", ["svc-000", "b", "B", "a-1"]); // idempotent for existing names
            await index.AddAsync("services/other", ["x"]);
            await index.RemoveAsync("services/ns", "svc-150");
            await index.RemoveAsync("services/ns", "never-added");
        }

        using var reopened = SqliteGrainStorageFactory.Create(_directory.Path);
        var names = await new SqliteResourceIndexStore(reopened).ListAsync("services/ns");
        var expected = Enumerable.Range(0, 300).Where(i => i != 150).Select(i => $"svc-{i:D3}").Concat(["b", "B", "a-1"])
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, names);
        Assert.Equal(["x"], await new SqliteResourceIndexStore(reopened).ListAsync("services/other"));
        Assert.Empty(await new SqliteResourceIndexStore(reopened).ListAsync("services/none"));
    }

    [Fact]
    public async Task Writes_after_dispose_throw_and_writes_queued_before_it_are_committed()
    {
        var storage = SqliteGrainStorageFactory.Create(_directory.Path);
        await storage.InitializeAsync(CancellationToken.None); // so that the write below is queued before Dispose runs
        var id = GrainId.Create("notebook", "group/last");
        var state = new TestGrainState<NotebookState>(new NotebookState { Title = "last" });
        var write = storage.WriteStateAsync(StateName, id, state);
        storage.Dispose();
        await write;
        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteStateAsync(StateName, id, state));

        using var reopened = SqliteGrainStorageFactory.Create(_directory.Path);
        var read = new TestGrainState<NotebookState>(new NotebookState());
        await reopened.ReadStateAsync(StateName, id, read);
        Assert.Equal("last", read.State.Title);
    }
}
