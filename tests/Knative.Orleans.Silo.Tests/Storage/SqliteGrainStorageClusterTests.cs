using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Knative.Orleans.Silo.Tests.Storage;

/// <summary>
/// End to end on an in-process cluster: <c>AddSqliteGrainStorage("store", ...)</c> backs a grain's
/// <c>[PersistentState("s", "store")]</c>, and the state outlives activations and the cluster itself.
/// </summary>
public sealed class SqliteGrainStorageClusterTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Registration_backs_PersistentState_and_state_survives_deactivation()
    {
        var cluster = await StartClusterAsync(_directory.Path);
        try
        {
            var services = cluster.GetSiloServiceProvider(cluster.Silos[0].SiloAddress);
            Assert.IsType<SqliteGrainStorage>(services.GetRequiredKeyedService<IGrainStorage>("store"));
            Assert.IsType<SystemTextJsonGrainStorageSerializer>(services.GetRequiredService<IGrainStorageSerializer>());

            var grain = cluster.Client.GetGrain<INotebookGrain>("default/notes");
            await grain.Append("one");
            Assert.Equal(2, await grain.Append("two"));
            var etag = await grain.GetETag();

            await cluster.DeactivateAsync(grain);

            var state = await grain.Get();
            Assert.Equal(["one", "two"], state.Lines);
            Assert.Equal(2, state.Version);
            Assert.Equal(etag, await grain.GetETag());

            // The row is where the schema says: (grain type, grain key, state name) -> etag, data.
            var (storedETag, json) = ReadRow("notebook", "default/notes", "s");
            Assert.Equal(etag, storedETag);
            Assert.Contains("\"two\"", json);

            await grain.Clear();
            await cluster.DeactivateAsync(grain);
            Assert.Empty((await grain.Get()).Lines);
            Assert.Null(await grain.GetETag());
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task State_survives_a_new_cluster_on_the_same_path()
    {
        var first = await StartClusterAsync(_directory.Path);
        try
        {
            await first.Client.GetGrain<INotebookGrain>("restart").Append("before restart");
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = await StartClusterAsync(_directory.Path);
        try
        {
            var grain = second.Client.GetGrain<INotebookGrain>("restart");
            Assert.Equal(["before restart"], (await grain.Get()).Lines);
            Assert.Equal(2, await grain.Append("after restart"));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task Index_names_kept_in_grain_state_move_into_the_index_table()
    {
        // Without an index store the names live in the grain's state; 50 concurrent adds share writes and all persist.
        var names = Enumerable.Range(0, 50).Select(i => $"s{i:D2}").ToArray();
        var first = await StartClusterAsync(_directory.Path);
        try
        {
            await Task.WhenAll(names.Select(n => first.Client.GetGrain<IResourceIndexGrain>("services/mig").AddAsync(n)));
            Assert.True(await first.Client.GetGrain<IResourceIndexGrain>("services/mig").ContainsAsync("s07"));
            Assert.False(await first.Client.GetGrain<IResourceIndexGrain>("services/mig").ContainsAsync("s50"));
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.Equal(1L, Count("SELECT count(*) FROM grain_state WHERE grain_type = 'index' AND grain_key = 'services/mig';"));

        var second = await StartClusterAsync(_directory.Path, withIndexStore: true);
        try
        {
            var index = second.Client.GetGrain<IResourceIndexGrain>("services/mig");
            Assert.Equal(names, await index.ListAsync());
            await index.AddAsync("s50");
            await index.RemoveAsync("s00");
            Assert.Equal(names.Skip(1).Append("s50"), await index.ListAsync());
            Assert.Equal((true, false, false), (await index.ContainsAsync("s50"), await index.ContainsAsync("s00"), await index.ContainsAsync("s5")));
            Assert.Equal(50L, Count("SELECT count(*) FROM resource_index WHERE index_key = 'services/mig';"));
            Assert.Equal(0L, Count("SELECT count(*) FROM grain_state WHERE grain_type = 'index' AND grain_key = 'services/mig';"));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_silo_without_Path_fails_to_start()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddSqliteGrainStorage("store", _ => { }));
        var cluster = builder.Build();
        try
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.DeployAsync());
            var validation = FindInner<OptionsValidationException>(error);
            Assert.NotNull(validation);
            Assert.Contains("SqliteGrainStorageOptions.Path is required", validation.Message);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private static async Task<InProcessTestCluster> StartClusterAsync(string path, bool withIndexStore = false)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSqliteGrainStorage("store", o => o.Path = path);
            silo.UseSystemTextJsonGrainStorageSerializer();
            if (withIndexStore)
            {
                silo.AddSqliteResourceIndex("store");
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory.Path, SqliteGrainStorage.DatabaseFileName),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private (string ETag, string Json) ReadRow(string grainType, string grainKey, string stateName)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory.Path, SqliteGrainStorage.DatabaseFileName),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT etag, CAST(data AS TEXT) FROM grain_state WHERE grain_type = $t AND grain_key = $k AND state_name = $s;";
        command.Parameters.AddWithValue("$t", grainType);
        command.Parameters.AddWithValue("$k", grainKey);
        command.Parameters.AddWithValue("$s", stateName);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"no row for ({grainType}, {grainKey}, {stateName})");
        return (reader.GetString(0), reader.GetString(1));
    }

    private static T? FindInner<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T match)
            {
                return match;
            }

            if (exception is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (FindInner<T>(inner) is { } found)
                    {
                        return found;
                    }
                }
            }
        }

        return null;
    }
}
