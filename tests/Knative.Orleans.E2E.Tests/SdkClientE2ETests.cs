using System.Net;
using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.E2E.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Knative.Orleans.E2E.Tests;

[Collection(PlatformCollection.Name)]
[Trait("Category", "E2E")]
public sealed class SdkClientE2ETests(PlatformFixture fx)
{
    [Fact]
    public async Task A_dotnet_program_joins_as_an_orleans_client_and_manages_services_without_http()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(
            gatewayPort: fx.Platform.OrleansGatewayPort, serviceId: ClusterDefaults.ServiceId, clusterId: ClusterDefaults.ClusterId));
        builder.Services.AddKnativeClient();
        using var host = builder.Build();
        await host.StartAsync();
        var knative = host.Services.GetRequiredService<IKnativeClient>();
        var marker = Guid.NewGuid().ToString("N");

        var result = await knative.ApplyServiceAsync("sdk", new Service
        {
            ApiVersion = "serving.knative.dev/v1",
            Kind = "Service",
            Metadata = new ObjectMeta { Name = "fromsdk" },
            Spec = new ServiceSpec
            {
                Template = new RevisionTemplateSpec
                {
                    Spec = new RevisionSpec
                    {
                        Containers =
                        [
                            new Container
                            {
                                Image = "sdk/hello",
                                Command = ["/usr/bin/python3", Repo.HelloPy],
                                Env = [new EnvVar { Name = "TARGET", Value = "sdk" }, new EnvVar { Name = "E2E_MARKER", Value = marker }],
                            },
                        ],
                    },
                },
            },
        }, ApplyMode.Create);

        Assert.Equal(ApplyOutcome.Created, result.Outcome);
        var viaHttp = await fx.Platform.Admin.WaitForAsync(Manifests.ServicePath("sdk", "fromsdk"),
            s => Manifests.Condition(s, "Ready") == "True", "ready");
        Assert.Equal("fromsdk-00001", (string?)viaHttp["status"]!["latestReadyRevisionName"]);
        using (var response = await fx.Platform.Gateway.SendAsync(Manifests.ToService("fromsdk", "sdk")))
        {
            Assert.Equal("Hello sdk!\n", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(["fromsdk"], (await knative.ListServicesAsync("sdk")).Select(s => s.Metadata!.Name));
        Assert.True(await knative.DeleteServiceAsync("sdk", "fromsdk"));
        using var gone = await fx.Platform.Admin.GetAsync(Manifests.ServicePath("sdk", "fromsdk"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(10)));
        await host.StopAsync();
    }
}
