using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Tests.Serving;

[Collection(ClusterCollection.Name)]
public sealed class ServiceGrainTests(ClusterFixture fx)
{
    private readonly KnativeClient _client = new(fx.Client);

    internal static Service Hello(string name, string target = "world") => new()
    {
        ApiVersion = "serving.knative.dev/v1",
        Kind = "Service",
        Metadata = new ObjectMeta { Name = name },
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
                            Image = "ghcr.io/knative/helloworld-go:latest",
                            Command = ["/usr/bin/python3", "app.py"],
                            Env = [new EnvVar { Name = "TARGET", Value = target }],
                        },
                    ],
                },
            },
        },
    };

    [Fact]
    public async Task Create_stamps_the_first_revision_and_starts_it_at_initial_scale()
    {
        var result = await _client.ApplyServiceAsync("grains", Hello("create1"), ApplyMode.Create);

        Assert.Equal(ApplyOutcome.Created, result.Outcome);
        var svc = result.Value!;
        Assert.Equal(1, svc.Metadata!.Generation);
        Assert.Equal("http://create1.grains.example.com", svc.Status!.Url);
        Assert.Equal("create1-00001", svc.Status.LatestCreatedRevisionName);
        Assert.Null(svc.Status.LatestReadyRevisionName);
        Assert.Equal(ConditionStatus.Unknown, ConditionSet.Get(svc.Status.Conditions, "Ready")!.Status);
        Assert.Equal("RevisionMissing", ConditionSet.Get(svc.Status.Conditions, "RoutesReady")!.Reason);
        Assert.Equal("system:admin", svc.Metadata.Annotations![ServingLabels.Creator]);

        var start = await fx.Driver.NextStartAsync("grains/create1-00001");
        Assert.Equal(["/usr/bin/python3", "app.py"], start.CommandLine);
        Assert.Equal("world", start.Env["TARGET"]);
        Assert.Equal("create1", start.Env["K_SERVICE"]);
        Assert.Equal("create1", start.Env["K_CONFIGURATION"]);
        Assert.Equal("create1-00001", start.Env["K_REVISION"]);
    }

    [Fact]
    public async Task Ready_instance_makes_the_service_ready_and_routes_to_it()
    {
        await _client.ApplyServiceAsync("grains", Hello("ready1"), ApplyMode.Create);
        var start = await fx.Driver.NextStartAsync("grains/ready1-00001");

        await fx.Client.ReportAsync(start, WorkloadPhase.Ready, "http://127.0.0.1:40001");

        var svc = await Eventually.Until(() => _client.GetServiceAsync("grains", "ready1"),
            s => ConditionSet.IsTrue(s!.Status!.Conditions, "Ready"), "service ready");
        Assert.Equal("ready1-00001", svc!.Status!.LatestReadyRevisionName);
        var traffic = Assert.Single(svc.Status.Traffic!);
        Assert.Equal("ready1-00001", traffic.RevisionName);
        Assert.Equal(100, traffic.Percent);
        Assert.True(traffic.LatestRevision);

        var route = await fx.Client.GetGrain<IServiceGrain>("grains/ready1").GetRouteSnapshotAsync();
        Assert.True(route.Exists);
        Assert.Null(route.PendingRevision);
        Assert.Equal("ready1-00001", Assert.Single(route.Targets).RevisionName);

        var endpoints = await fx.Client.GetGrain<IRevisionGrain>("grains/ready1-00001").GetEndpointsAsync();
        Assert.Equal("http://127.0.0.1:40001", Assert.Single(endpoints.Ready).Address);

        var revision = await _client.GetRevisionAsync("grains", "ready1-00001");
        Assert.Equal(1, revision!.Status!.ActualReplicas);
        Assert.Equal(1, revision.Status.DesiredReplicas);
        Assert.All(["Ready", "ContainerHealthy", "ResourcesAvailable", "Active"],
            t => Assert.True(ConditionSet.IsTrue(revision.Status.Conditions, t), t));
        Assert.Equal("ready1", revision.Metadata!.Labels![ServingLabels.Service]);
        Assert.Equal("1", revision.Metadata.Labels[ServingLabels.ConfigurationGeneration]);
    }

    [Fact]
    public async Task Reapplying_the_same_template_stamps_nothing_and_a_change_stamps_the_next_revision()
    {
        await _client.ApplyServiceAsync("grains", Hello("stamp1"), ApplyMode.Create);
        var same = await _client.ApplyServiceAsync("grains", Hello("stamp1"), ApplyMode.Replace);
        Assert.Equal(ApplyOutcome.Updated, same.Outcome);
        Assert.Equal(1, same.Value!.Metadata!.Generation);
        Assert.Equal(["stamp1-00001"], await fx.Client.GetGrain<IServiceGrain>("grains/stamp1").GetRevisionNamesAsync());

        var changed = await _client.ApplyServiceAsync("grains", Hello("stamp1", "knative"), ApplyMode.Replace);
        Assert.Equal(2, changed.Value!.Metadata!.Generation);
        Assert.Equal("stamp1-00002", changed.Value.Status!.LatestCreatedRevisionName);
        Assert.Equal(["stamp1-00001", "stamp1-00002"], await fx.Client.GetGrain<IServiceGrain>("grains/stamp1").GetRevisionNamesAsync());
        var start = await fx.Driver.NextStartAsync("grains/stamp1-00002");
        Assert.Equal("knative", start.Env["TARGET"]);
    }

    [Fact]
    public async Task Create_of_an_existing_service_is_refused_and_changes_nothing()
    {
        await _client.ApplyServiceAsync("grains", Hello("dup1"), ApplyMode.Create);
        var again = await _client.ApplyServiceAsync("grains", Hello("dup1", "other"), ApplyMode.Create);

        Assert.Equal(ApplyOutcome.AlreadyExists, again.Outcome);
        Assert.Equal("services.serving.knative.dev \"dup1\" already exists", again.Message);
        var svc = await _client.GetServiceAsync("grains", "dup1");
        Assert.Equal("world", svc!.Spec!.Template!.Spec!.Containers![0].Env![0].Value);
    }

    [Fact]
    public async Task Invalid_spec_is_refused_with_every_error_and_nothing_is_stored()
    {
        var bad = Hello("bad1") with { Spec = new ServiceSpec { Template = new RevisionTemplateSpec { Spec = new RevisionSpec() } } };

        var result = await fx.Client.GetGrain<IServiceGrain>("grains/bad1").ApplyAsync(bad, ApplyMode.Create, "me");

        Assert.Equal(ApplyOutcome.Invalid, result.Outcome);
        Assert.StartsWith("validation failed: ", result.Message);
        Assert.Contains("missing field(s): spec.template.spec.containers", result.Message);
        Assert.Null(await _client.GetServiceAsync("grains", "bad1"));
    }

    [Fact]
    public async Task Delete_removes_the_service_its_revisions_and_their_workloads()
    {
        await _client.ApplyServiceAsync("grains", Hello("del1"), ApplyMode.Create);
        var start = await fx.Driver.NextStartAsync("grains/del1-00001");

        Assert.True(await _client.DeleteServiceAsync("grains", "del1"));

        Assert.Equal(start.InstanceId, await fx.Driver.NextStopAsync("grains/del1-00001"));
        Assert.Null(await _client.GetServiceAsync("grains", "del1"));
        Assert.Null(await _client.GetRevisionAsync("grains", "del1-00001"));
        Assert.DoesNotContain(await _client.ListServicesAsync("grains"), s => s.Metadata!.Name == "del1");
        Assert.False((await fx.Client.GetGrain<IServiceGrain>("grains/del1").GetRouteSnapshotAsync()).Exists);
        Assert.False(await _client.DeleteServiceAsync("grains", "del1"));
    }

    [Fact]
    public async Task List_returns_services_configurations_and_routes_of_the_namespace()
    {
        await _client.ApplyServiceAsync("listns", Hello("a"), ApplyMode.Create);
        await _client.ApplyServiceAsync("listns", Hello("b"), ApplyMode.Create);

        Assert.Equal(["a", "b"], (await _client.ListServicesAsync("listns")).Select(s => s.Metadata!.Name));
        Assert.Equal(["a", "b"], (await _client.ListConfigurationsAsync("listns")).Select(s => s.Metadata!.Name));
        Assert.Equal(["a", "b"], (await _client.ListRoutesAsync("listns")).Select(s => s.Metadata!.Name));
        Assert.Equal(["a-00001", "b-00001"], (await _client.ListRevisionsAsync("listns")).Select(s => s.Metadata!.Name));
        var config = await _client.GetConfigurationAsync("listns", "a");
        Assert.Equal("a-00001", config!.Status!.LatestCreatedRevisionName);
        Assert.Equal("http://a.listns.example.com", (await _client.GetRouteAsync("listns", "a"))!.Status!.Url);
    }
}
