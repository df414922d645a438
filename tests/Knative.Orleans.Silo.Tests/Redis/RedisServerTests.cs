using Knative.Orleans.Tests.Shared;
using StackExchange.Redis;

namespace Knative.Orleans.Silo.Tests.Redis;

/// <summary>The shared test helper really starts, kills and restarts redis-server without losing an acknowledged write.</summary>
public sealed class RedisServerTests
{
    [Fact]
    public async Task Acknowledged_write_survives_kill_and_restart()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            await connection.GetDatabase().StringSetAsync("k", "v");
        }

        await server.KillAsync();
        Assert.False(server.IsRunning);
        await server.StartAsync();

        await using var again = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        Assert.Equal("v", (string?)await again.GetDatabase().StringGetAsync("k"));
    }
}
