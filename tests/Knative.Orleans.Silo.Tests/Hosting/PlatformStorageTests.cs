using Knative.Orleans.Silo.Hosting;
using Knative.Orleans.Silo.Storage;
using Knative.Orleans.Silo.Tests.Storage;
using Knative.Orleans.Tests.Shared;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Knative.Orleans.Silo.Tests.Hosting;

/// <summary>
/// The platform's storage composition on a real redis-server and on SQLite: the same grain state is stored as the same
/// plain System.Text.Json text in both (no CLR type names), and Redis state survives deactivation.
/// </summary>
public sealed class PlatformStorageTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Redis_and_SQLite_store_the_same_System_Text_Json_state()
    {
        await using var redis = await RedisServer.StartNewAsync();
        var redisJson = await WriteNotebookAsync(Config(("Redis:ConnectionString", redis.ConnectionString)), async cluster =>
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
            var server = connection.GetServer(connection.GetEndPoints()[0]);
            var key = Assert.Single(server.Keys(pattern: "*notebook*"));
            Assert.Contains("platform/notes", key.ToString());
            return (string)(await connection.GetDatabase().HashGetAsync(key, "data"))!;
        });
        var sqliteJson = await WriteNotebookAsync(Config(("Storage:Path", _directory.Path)), _ => Task.FromResult(ReadSqlite()));

        Assert.DoesNotContain("$type", redisJson);
        Assert.Contains("\"Lines\":[\"one\",\"two\"]", redisJson);
        Assert.Equal(sqliteJson, redisJson);
    }

    private static PlatformConfiguration Config(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        var (config, errors) = PlatformConfiguration.Read(configuration);
        Assert.Empty(errors);
        return config!;
    }

    private static async Task<string> WriteNotebookAsync(PlatformConfiguration config, Func<InProcessTestCluster, Task<string>> read)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddPlatformStorage(config));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        try
        {
            var grain = cluster.Client.GetGrain<INotebookGrain>("platform/notes");
            await grain.Append("one");
            await grain.Append("two");
            await cluster.DeactivateAsync(grain);
            Assert.Equal(["one", "two"], (await grain.Get()).Lines);
            return await read(cluster);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private string ReadSqlite()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(_directory.Path, SqliteGrainStorage.DatabaseFileName),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT CAST(data AS TEXT) FROM grain_state WHERE grain_type = 'notebook' AND grain_key = 'platform/notes';";
        return (string)command.ExecuteScalar()!;
    }
}
