using System.Text.Json;
using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>Listing reads stored state: it answers what the grains answer and wakes none of them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ServiceListTests(ClusterFixture fx)
{
    private readonly KnativeClient _client = new(fx.Client);

    [Fact]
    public async Task Listing_answers_what_the_grains_answer_without_activating_them()
    {
        await _client.ApplyServiceAsync("listidle", ServiceGrainTests.Hello("b"), ApplyMode.Create);
        await _client.ApplyServiceAsync("listidle", ServiceGrainTests.Hello("a"), ApplyMode.Create);
        await _client.ApplyServiceAsync("listidle", ServiceGrainTests.Hello("a", target: "again"), ApplyMode.Replace);
        foreach (var name in new[] { "a", "b" })
        {
            await fx.Cluster.DeactivateAsync(fx.Client.GetGrain<IServiceGrain>("listidle/" + name));
        }

        var services = await _client.ListServicesAsync("listidle");
        var configurations = await _client.ListConfigurationsAsync("listidle");
        var routes = await _client.ListRoutesAsync("listidle");

        var management = fx.Client.GetGrain<IManagementGrain>(0);
        var active = await management.GetActiveGrains(GrainType.Create("service"));
        Assert.DoesNotContain(active, id => id.Key.ToString()!.StartsWith("listidle/", StringComparison.Ordinal));

        Assert.Equal(["a", "b"], services.Select(s => s.Metadata!.Name));
        Assert.Equal(["a", "b"], configurations.Select(c => c.Metadata!.Name));
        Assert.Equal(["a", "b"], routes.Select(r => r.Metadata!.Name));
        Assert.Equal(2, services[0].Metadata!.Generation);
        for (var i = 0; i < 2; i++)
        {
            var name = services[i].Metadata!.Name!;
            Assert.Equal(Json(await _client.GetServiceAsync("listidle", name)), Json(services[i]));
            Assert.Equal(Json(await _client.GetConfigurationAsync("listidle", name)), Json(configurations[i]));
            Assert.Equal(Json(await _client.GetRouteAsync("listidle", name)), Json(routes[i]));
        }

        // The check above sees activations: the Get calls just activated both grains.
        active = await management.GetActiveGrains(GrainType.Create("service"));
        Assert.Equal(2, active.Count(id => id.Key.ToString()!.StartsWith("listidle/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Index_without_a_store_keeps_every_concurrent_change_across_activations()
    {
        var index = fx.Client.GetGrain<IResourceIndexGrain>("scale-test/concurrent");
        var names = Enumerable.Range(0, 200).Select(i => $"n{i:D3}").ToArray();
        await Task.WhenAll(names.Select(index.AddAsync));
        await Task.WhenAll(names.Where((_, i) => i % 2 == 0).Select(index.RemoveAsync));
        await fx.Cluster.DeactivateAsync(index);

        Assert.Equal(names.Where((_, i) => i % 2 == 1), await index.ListAsync());
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
