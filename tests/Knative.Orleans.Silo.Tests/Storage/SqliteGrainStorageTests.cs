using Knative.Orleans.Silo.Storage;
using Microsoft.Data.Sqlite;
using Orleans.Runtime;
using Orleans.Storage;

namespace Knative.Orleans.Silo.Tests.Storage;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private const string StateName = "s";

    private readonly TempDirectory _directory = new();
    private readonly SqliteGrainStorage _storage;

    public SqliteGrainStorageTests()
    {
        _storage = SqliteGrainStorageFactory.Create(_directory.Path);
    }

    public void Dispose()
    {
        _storage.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task Write_then_read_round_trips_a_state_with_nested_collections()
    {
        var id = NewGrainId();
        var written = new TestGrainState<NotebookState>(SampleState());

        await _storage.WriteStateAsync(StateName, id, written);

        Assert.True(written.RecordExists);
        Assert.False(string.IsNullOrEmpty(written.ETag));

        var read = new TestGrainState<NotebookState>(new NotebookState());
        await _storage.ReadStateAsync(StateName, id, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        AssertSample(read.State);
    }

    [Fact]
    public async Task Read_of_a_missing_record_gives_a_new_state_no_etag_and_no_record()
    {
        var read = new TestGrainState<NotebookState>(new NotebookState { Title = "stale in-memory copy" }) { ETag = "old" };

        await _storage.ReadStateAsync(StateName, NewGrainId(), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal(string.Empty, read.State.Title);
    }

    [Fact]
    public async Task Write_with_a_stale_etag_throws_InconsistentStateException_and_changes_nothing()
    {
        var id = NewGrainId();
        var first = new TestGrainState<NotebookState>(new NotebookState { Title = "v1" });
        await _storage.WriteStateAsync(StateName, id, first);
        var staleETag = first.ETag;

        // A second copy reads v1 and writes v2: the first copy's etag is now stale.
        var second = new TestGrainState<NotebookState>(new NotebookState());
        await _storage.ReadStateAsync(StateName, id, second);
        second.State.Title = "v2";
        await _storage.WriteStateAsync(StateName, id, second);

        first.State.Title = "v3 from a stale copy";
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync(StateName, id, first));

        Assert.Equal(staleETag, first.ETag);
        Assert.Equal(staleETag, conflict.CurrentEtag);
        Assert.Equal(second.ETag, conflict.StoredEtag);
        var stored = await ReadAsync(id);
        Assert.Equal("v2", stored.State.Title);
        Assert.Equal(second.ETag, stored.ETag);
    }

    [Fact]
    public async Task Write_without_etag_over_an_existing_record_throws_InconsistentStateException()
    {
        var id = NewGrainId();
        await _storage.WriteStateAsync(StateName, id, new TestGrainState<NotebookState>(new NotebookState { Title = "kept" }));

        var blind = new TestGrainState<NotebookState>(new NotebookState { Title = "blind write" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, id, blind));

        Assert.Null(blind.ETag);
        Assert.False(blind.RecordExists);
        Assert.Equal("kept", (await ReadAsync(id)).State.Title);
    }

    [Fact]
    public async Task Write_with_an_etag_when_the_record_was_deleted_throws_InconsistentStateException()
    {
        var id = NewGrainId();
        var state = new TestGrainState<NotebookState>(new NotebookState { Title = "v1" });
        await _storage.WriteStateAsync(StateName, id, state);
        var other = await ReadAsync(id);
        await _storage.ClearStateAsync(StateName, id, other);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, id, state));

        Assert.False((await ReadAsync(id)).RecordExists);
    }

    [Fact]
    public async Task Clear_deletes_the_record_and_resets_etag_record_exists_and_state()
    {
        var id = NewGrainId();
        var state = new TestGrainState<NotebookState>(SampleState());
        await _storage.WriteStateAsync(StateName, id, state);

        await _storage.ClearStateAsync(StateName, id, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(string.Empty, state.State.Title);
        Assert.Empty(state.State.Lines);
        var read = await ReadAsync(id);
        Assert.False(read.RecordExists);
        Assert.Equal(0, CountRows());

        // After a clear the grain can write again from scratch.
        state.State.Title = "again";
        await _storage.WriteStateAsync(StateName, id, state);
        Assert.Equal("again", (await ReadAsync(id)).State.Title);
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_throws_InconsistentStateException_and_keeps_the_record()
    {
        var id = NewGrainId();
        var stale = new TestGrainState<NotebookState>(new NotebookState { Title = "v1" });
        await _storage.WriteStateAsync(StateName, id, stale);
        var fresh = await ReadAsync(id);
        fresh.State.Title = "v2";
        await _storage.WriteStateAsync(StateName, id, fresh);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, id, stale));

        Assert.Equal("v2", (await ReadAsync(id)).State.Title);
    }

    [Fact]
    public async Task Clear_of_a_missing_record_without_etag_is_a_no_op()
    {
        var state = new TestGrainState<NotebookState>(new NotebookState());

        await _storage.ClearStateAsync(StateName, NewGrainId(), state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task Rows_are_keyed_by_grain_type_grain_key_and_state_name()
    {
        var a = GrainId.Create("alpha", "same-key");
        var b = GrainId.Create("beta", "same-key");
        await _storage.WriteStateAsync("s", a, new TestGrainState<NotebookState>(new NotebookState { Title = "alpha/s" }));
        await _storage.WriteStateAsync("t", a, new TestGrainState<NotebookState>(new NotebookState { Title = "alpha/t" }));
        await _storage.WriteStateAsync("s", b, new TestGrainState<NotebookState>(new NotebookState { Title = "beta/s" }));

        Assert.Equal("alpha/s", (await ReadAsync(a, "s")).State.Title);
        Assert.Equal("alpha/t", (await ReadAsync(a, "t")).State.Title);
        Assert.Equal("beta/s", (await ReadAsync(b, "s")).State.Title);
        Assert.Equal(3, CountRows());
    }

    [Fact]
    public async Task A_second_instance_on_the_same_path_reads_what_the_first_wrote()
    {
        var id = NewGrainId();
        var written = new TestGrainState<NotebookState>(SampleState());
        await _storage.WriteStateAsync(StateName, id, written);
        _storage.Dispose(); // the "process" stops

        using var restarted = SqliteGrainStorageFactory.Create(_directory.Path);
        var read = new TestGrainState<NotebookState>(new NotebookState());
        await restarted.ReadStateAsync(StateName, id, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        AssertSample(read.State);

        // The etag from before the restart still guards writes.
        read.State.Title = "after restart";
        await restarted.WriteStateAsync(StateName, id, read);
        await Assert.ThrowsAsync<InconsistentStateException>(() => restarted.WriteStateAsync(StateName, id, written));
    }

    [Fact]
    public async Task Two_open_instances_on_the_same_path_see_each_others_writes()
    {
        using var other = SqliteGrainStorageFactory.Create(_directory.Path, "other");
        var id = NewGrainId();
        var mine = new TestGrainState<NotebookState>(new NotebookState { Title = "from first" });
        await _storage.WriteStateAsync(StateName, id, mine);

        var theirs = new TestGrainState<NotebookState>(new NotebookState());
        await other.ReadStateAsync(StateName, id, theirs);
        Assert.Equal("from first", theirs.State.Title);
        theirs.State.Title = "from second";
        await other.WriteStateAsync(StateName, id, theirs);

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync(StateName, id, mine));
        Assert.Equal("from second", (await ReadAsync(id)).State.Title);
    }

    [Fact]
    public async Task Parallel_writes_to_200_grains_are_all_readable()
    {
        var ids = Enumerable.Range(0, 200).Select(i => GrainId.Create("notebook", $"parallel-{i}")).ToArray();

        await Task.WhenAll(ids.Select((id, i) => Task.Run(async () =>
        {
            var state = new TestGrainState<NotebookState>(new NotebookState { Title = id.ToString(), Version = i });
            await _storage.WriteStateAsync(StateName, id, state);
            state.State.Lines.Add("second write");
            await _storage.WriteStateAsync(StateName, id, state);
        })));

        var reads = await Task.WhenAll(ids.Select(id => Task.Run(() => ReadAsync(id))));
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.True(reads[i].RecordExists);
            Assert.Equal(ids[i].ToString(), reads[i].State.Title);
            Assert.Equal(i, reads[i].State.Version);
            Assert.Equal(["second write"], reads[i].State.Lines);
        }

        Assert.Equal(200, CountRows());
    }

    [Fact]
    public async Task Opening_creates_the_directory_an_owner_only_file_in_WAL_mode_and_the_schema()
    {
        Assert.False(Directory.Exists(_directory.Path));

        await _storage.InitializeAsync(CancellationToken.None);

        var file = Path.Combine(_directory.Path, SqliteGrainStorage.DatabaseFileName);
        Assert.Equal(file, _storage.DatabasePath);
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                File.GetUnixFileMode(_directory.Path));
        }

        using var connection = OpenInspector();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteGrainStorage.SchemaVersion, Scalar(connection, "PRAGMA user_version;"));
        Assert.Equal(
            ["grain_type TEXT pk1", "grain_key TEXT pk2", "state_name TEXT pk3", "etag TEXT pk0", "data BLOB pk0"],
            Rows(connection, "SELECT name || ' ' || type || ' pk' || pk FROM pragma_table_info('grain_state') ORDER BY cid;"));
    }

    [Fact]
    public async Task Opening_a_database_with_a_newer_schema_fails()
    {
        await _storage.InitializeAsync(CancellationToken.None);
        _storage.Dispose();
        using (var connection = OpenInspector(readOnly: false))
        {
            Scalar(connection, $"PRAGMA user_version = {SqliteGrainStorage.SchemaVersion + 1};");
        }

        using var newer = SqliteGrainStorageFactory.Create(_directory.Path);
        await Assert.ThrowsAsync<NotSupportedException>(() => newer.InitializeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Operations_after_dispose_throw_ObjectDisposedException()
    {
        await _storage.InitializeAsync(CancellationToken.None);
        _storage.Dispose();
        _storage.Dispose();

        var state = new TestGrainState<NotebookState>(new NotebookState());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _storage.WriteStateAsync(StateName, NewGrainId(), state));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _storage.ReadStateAsync(StateName, NewGrainId(), state));
    }

    private static GrainId NewGrainId() => GrainId.Create("notebook", "ns/" + Guid.NewGuid().ToString("N"));

    private static NotebookState SampleState() => new()
    {
        Title = "ünïcode & \"quotes\"",
        Lines = ["first", "second"],
        Buckets = new() { ["a"] = [1, 2, 3], ["empty"] = [] },
        Endpoints = [new Endpoint("10.0.0.1", 8080), new Endpoint("localhost", 9090)],
        Version = 42,
    };

    private static void AssertSample(NotebookState state)
    {
        var expected = SampleState();
        Assert.Equal(expected.Title, state.Title);
        Assert.Equal(expected.Lines, state.Lines);
        Assert.Equal(expected.Buckets.Keys.Order(), state.Buckets.Keys.Order());
        Assert.Equal(expected.Buckets["a"], state.Buckets["a"]);
        Assert.Empty(state.Buckets["empty"]);
        Assert.Equal(expected.Endpoints, state.Endpoints);
        Assert.Equal(expected.Version, state.Version);
    }

    private async Task<TestGrainState<NotebookState>> ReadAsync(GrainId id, string stateName = StateName)
    {
        var state = new TestGrainState<NotebookState>(new NotebookState());
        await _storage.ReadStateAsync(stateName, id, state);
        return state;
    }

    private long CountRows()
    {
        using var connection = OpenInspector();
        return (long)Scalar(connection, "SELECT count(*) FROM grain_state;")!;
    }

    private SqliteConnection OpenInspector(bool readOnly = true)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory.Path, SqliteGrainStorage.DatabaseFileName),
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static List<string> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
