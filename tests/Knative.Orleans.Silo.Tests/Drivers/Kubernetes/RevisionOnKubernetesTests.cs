using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Autoscaling;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Grains.Serving;
using Knative.Orleans.Silo.Drivers.Kubernetes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Knative.Orleans.Silo.Tests.Drivers.Kubernetes;

/// <summary>
/// The real chain on one in-process silo: service grain → revision grain → <see cref="KubernetesDriver"/> (registered as
/// the platform registers it) → HTTP → <see cref="FakeKubernetesApi"/>, and the pod watch back to the grain.
/// </summary>
public sealed class RevisionOnKubernetesTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubernetesApi.StartAsync();
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("store");
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton(AutoscalerConfig.Default);
            silo.Services.AddSingleton(RevisionGcConfig.Default);
            silo.Services.Configure<ServingOptions>(o => o.LocalProcessRuntime = false);
            silo.Services.AddSingleton<IWorkloadStatusSink, GrainWorkloadStatusSink>();
            silo.Services.AddKubernetesDriver(o =>
            {
                var test = KubernetesDriverHarness.Options(_api.Url);
                (o.Host, o.Namespace, o.RetryBaseDelay, o.RetryMaxDelay, o.WatchRestartDelay) =
                    (test.Host, test.Namespace, test.RetryBaseDelay, test.RetryMaxDelay, test.WatchRestartDelay);
            });
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task A_service_reaches_ready_on_a_pod_and_deleting_it_deletes_the_deployment()
    {
        var client = new KnativeClient(_cluster.Client);
        var service = new Service
        {
            ApiVersion = "serving.knative.dev/v1",
            Kind = "Service",
            Metadata = new ObjectMeta { Name = "hello" },
            Spec = new ServiceSpec
            {
                Template = new RevisionTemplateSpec
                {
                    Spec = new RevisionSpec
                    {
                        Containers = [new Container { Image = "ghcr.io/knative/helloworld-go:latest", Command = ["/ko-app/helloworld"] }],
                    },
                },
            },
        };
        Assert.Equal(ApplyOutcome.Created, (await client.ApplyServiceAsync("default", service, ApplyMode.Create)).Outcome);

        var deployment = KubernetesNames.Deployment("default/hello-00001");
        await _api.WaitAsync(a => a.PodsOf(deployment).Count == 1, "the revision's pod");
        Assert.Equal("hello", _api.Deployment(deployment)!.Spec.Template.Metadata.Labels["serving.knative.dev/service"]);
        _api.MarkReady(_api.PodsOf(deployment)[0].Metadata.Name, "10.2.3.4");

        var endpoints = await _cluster.Client.GetGrain<IRevisionGrain>("default/hello-00001").WaitForReadyAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("http://10.2.3.4:8080", Assert.Single(endpoints.Ready).Address);
        var revision = await client.GetRevisionAsync("default", "hello-00001");
        Assert.Equal(ConditionStatus.True, ConditionSet.Get(revision!.Status!.Conditions, "Ready")!.Status);
        Assert.Equal(1, revision.Status.ActualReplicas);

        Assert.True(await client.DeleteServiceAsync("default", "hello"));
        await _api.WaitAsync(a => a.Deployment(deployment) is null, "the Deployment deleted");
        Assert.Empty(_api.PodsOf(deployment));
    }
    [Fact]
    public async Task The_deployment_carries_the_volumes_and_mounts_read_only_except_emptyDir()
    {
        var client = new KnativeClient(_cluster.Client);
        var service = new Service
        {
            ApiVersion = "serving.knative.dev/v1",
            Kind = "Service",
            Metadata = new ObjectMeta { Name = "vols" },
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
                                VolumeMounts =
                                [
                                    new() { Name = "creds", MountPath = "/etc/creds" },
                                    new() { Name = "settings", MountPath = "/etc/settings", ReadOnly = true },
                                    new() { Name = "both", MountPath = "/etc/both" },
                                    new() { Name = "scratch", MountPath = "/scratch" },
                                ],
                            },
                        ],
                        Volumes =
                        [
                            new() { Name = "creds", Secret = new() { SecretName = "db", Items = [new() { Key = "password", Path = "pw" }] } },
                            new() { Name = "settings", ConfigMap = new() { Name = "app-config", Optional = true } },
                            new() { Name = "both", Projected = new() { Sources = [new() { Secret = new() { Name = "db" } }, new() { ConfigMap = new() { Name = "app-config" } }] } },
                            new() { Name = "scratch", EmptyDir = new() { SizeLimit = "64Mi" } },
                        ],
                    },
                },
            },
        };
        var created = await client.ApplyServiceAsync("default", service, ApplyMode.Create);
        Assert.True(created.Outcome == ApplyOutcome.Created, created.Message);

        var name = KubernetesNames.Deployment("default/vols-00001");
        await _api.WaitAsync(a => a.Deployment(name) is not null, "the revision's Deployment");
        var pod = _api.Deployment(name)!.Spec.Template.Spec;
        Assert.Equal(["creds", "settings", "both", "scratch"], pod.Volumes.Select(v => v.Name));
        Assert.Equal(("db", "password", "pw"), (pod.Volumes[0].Secret.SecretName, pod.Volumes[0].Secret.Items[0].Key, pod.Volumes[0].Secret.Items[0].Path));
        Assert.Equal(("app-config", true), (pod.Volumes[1].ConfigMap.Name, pod.Volumes[1].ConfigMap.Optional));
        Assert.Equal(["db", null], pod.Volumes[2].Projected.Sources.Select(s => s.Secret?.Name));
        Assert.Equal("app-config", pod.Volumes[2].Projected.Sources[1].ConfigMap.Name);
        Assert.Equal("64Mi", pod.Volumes[3].EmptyDir.SizeLimit.ToString());
        var mounts = Assert.Single(pod.Containers).VolumeMounts;
        Assert.Equal([("creds", "/etc/creds", true), ("settings", "/etc/settings", true), ("both", "/etc/both", true), ("scratch", "/scratch", false)],
            mounts.Select(m => (m.Name, m.MountPath, m.ReadOnlyProperty == true)));

        Assert.True(await client.DeleteServiceAsync("default", "vols"));
        await _api.WaitAsync(a => a.Deployment(name) is null, "the Deployment deleted");
    }
}
