using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Silo.Drivers.Kubernetes;
using static Knative.Orleans.Silo.Tests.Drivers.Kubernetes.KubernetesDriverHarness;

namespace Knative.Orleans.Silo.Tests.Drivers.Kubernetes;

/// <summary>The real driver over HTTP against <see cref="FakeKubernetesApi"/>: create, scale, watch, delete.</summary>
public sealed class KubernetesDriverTests
{
    [Fact]
    public async Task Start_creates_the_deployment_and_reports_the_pod_address_once_the_watch_says_ready()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);

        var deployment = h.Api.Deployment(DeploymentName())!;
        Assert.Equal(1, deployment.Spec.Replicas);
        Assert.Equal(Namespace, deployment.Metadata.NamespaceProperty);
        var labels = deployment.Spec.Template.Metadata.Labels;
        Assert.Equal("hello", labels["serving.knative.dev/service"]);
        Assert.Equal("hello", labels["serving.knative.dev/configuration"]);
        Assert.Equal("hello-00001", labels["serving.knative.dev/revision"]);
        Assert.Equal("0b7e5d4e-uid", labels["serving.knative.dev/revisionUID"]);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal("user-container", container.Name);
        Assert.Equal("ghcr.io/knative/helloworld-go:latest", container.Image);
        Assert.Null(container.Command); // the image's entrypoint
        Assert.Equal(8080, Assert.Single(container.Ports).ContainerPort);
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("8080", env["PORT"]);
        Assert.Equal("hello-00001", env["K_REVISION"]);
        Assert.Equal("Knative", env["TARGET"]);
        Assert.Equal("/healthz", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("8080", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Equal("500m", container.Resources.Limits["cpu"].ToString());
        Assert.Equal(120, deployment.Spec.Template.Spec.TerminationGracePeriodSeconds);

        await h.Api.WaitAsync(a => a.PodsOf(DeploymentName()).Count == 1, "one pod");
        var pod = h.Api.PodsOf(DeploymentName())[0].Metadata.Name;
        h.Api.MarkReady(pod, "10.0.0.7");
        var ready = await h.Sink.WaitAsync("i-1", WorkloadPhase.Ready);
        Assert.Equal("http://10.0.0.7:8080", ready.Address);
        Assert.Equal([WorkloadPhase.Starting, WorkloadPhase.Ready], h.Sink.Phases("i-1"));
    }

    [Fact]
    public async Task Scale_up_down_and_to_zero_removes_exactly_the_stopped_instances_pods()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        foreach (var id in new[] { "i-1", "i-2", "i-3" })
        {
            await h.Driver.StartAsync(Spec(id), CancellationToken.None);
        }

        Assert.Equal(3, h.Api.Deployment(DeploymentName())!.Spec.Replicas);
        await h.Api.WaitAsync(a => a.PodsOf(DeploymentName()).Count == 3, "three pods");
        var n = 0;
        foreach (var pod in h.Api.PodsOf(DeploymentName()))
        {
            h.Api.MarkReady(pod.Metadata.Name, $"10.0.0.{++n}");
        }

        var addresses = new Dictionary<string, string>();
        foreach (var id in new[] { "i-1", "i-2", "i-3" })
        {
            addresses[id] = (await h.Sink.WaitAsync(id, WorkloadPhase.Ready)).Address!;
        }

        Assert.Equal(3, addresses.Values.Distinct().Count());

        // Scale down: i-2's pod goes, whatever the ReplicaSet would have picked by age.
        await h.Driver.StopAsync("default/hello-00001", "i-2", TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal(2, h.Api.Deployment(DeploymentName())!.Spec.Replicas);
        var left = h.Api.PodsOf(DeploymentName()).Select(p => "http://" + p.Status.PodIP + ":8080").ToHashSet();
        Assert.Equal(new HashSet<string> { addresses["i-1"], addresses["i-3"] }, left);

        await h.Driver.StopAsync("default/hello-00001", "i-1", TimeSpan.FromSeconds(1), CancellationToken.None);
        await h.Driver.StopAsync("default/hello-00001", "i-3", TimeSpan.FromSeconds(1), CancellationToken.None);
        var zero = h.Api.Deployment(DeploymentName())!;
        Assert.Equal(0, zero.Spec.Replicas); // kept at zero, as Knative keeps a revision's Deployment
        Assert.Empty(h.Api.PodsOf(DeploymentName()));
        Assert.DoesNotContain(WorkloadPhase.Exited, h.Sink.Phases("i-2")); // nothing reported for a stopped instance

        // From zero again: the same Deployment is scaled, not created.
        await h.Driver.StartAsync(Spec("i-4"), CancellationToken.None);
        Assert.Equal(1, h.Api.Deployment(DeploymentName())!.Spec.Replicas);
        Assert.Single(h.Api.Requests, r => r.StartsWith("POST /apis/apps/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_a_revision_deletes_its_deployment_and_pods()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);
        await h.Api.WaitAsync(a => a.PodsOf(DeploymentName()).Count == 1, "one pod");

        await h.Driver.StopAsync("default/hello-00001", "i-1", TimeSpan.Zero, CancellationToken.None);
        await h.Driver.DeleteRevisionAsync("default/hello-00001", CancellationToken.None);
        Assert.Null(h.Api.Deployment(DeploymentName()));
        Assert.Empty(h.Api.PodsOf(DeploymentName()));
        Assert.Contains($"DELETE /apis/apps/v1/namespaces/{Namespace}/deployments/{DeploymentName()}", h.Api.Requests);

        await h.Driver.DeleteRevisionAsync("default/hello-00001", CancellationToken.None); // 404: already gone, fine
    }

    [Fact]
    public async Task Revisions_of_two_knative_namespaces_with_the_same_name_get_two_deployments()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        await h.Driver.StartAsync(Spec("a-1", ns: "team-a"), CancellationToken.None);
        await h.Driver.StartAsync(Spec("b-1", ns: "team-b"), CancellationToken.None);
        await h.Api.WaitAsync(a => a.PodsOf(DeploymentName(ns: "team-a")).Count == 1 && a.PodsOf(DeploymentName(ns: "team-b")).Count == 1, "two pods");
        h.Api.MarkReady(h.Api.PodsOf(DeploymentName(ns: "team-a"))[0].Metadata.Name, "10.0.1.1");
        h.Api.MarkReady(h.Api.PodsOf(DeploymentName(ns: "team-b"))[0].Metadata.Name, "10.0.2.1");
        Assert.Equal("http://10.0.1.1:8080", (await h.Sink.WaitAsync("a-1", WorkloadPhase.Ready)).Address);
        Assert.Equal("http://10.0.2.1:8080", (await h.Sink.WaitAsync("b-1", WorkloadPhase.Ready)).Address);
        Assert.All(h.Sink.History("a-1"), s => Assert.Equal("team-a/hello-00001", s.RevisionKey));
    }

    [Fact]
    public async Task A_crash_before_ready_is_reported_as_exited_with_the_exit_code_and_the_replicas_follow()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);
        await h.Api.WaitAsync(a => a.PodsOf(DeploymentName()).Count == 1, "one pod");
        h.Api.Crash(h.Api.PodsOf(DeploymentName())[0].Metadata.Name, 3, "boom: missing TARGET");

        var exited = await h.Sink.WaitAsync("i-1", WorkloadPhase.Exited);
        Assert.Equal(3, exited.ExitCode);
        Assert.Equal("Error: boom: missing TARGET", exited.Message);
        await h.Api.WaitAsync(a => a.Deployment(DeploymentName())!.Spec.Replicas == 0, "replicas back to 0");
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_is_reported_as_a_spawn_failure()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);
        await h.Api.WaitAsync(a => a.PodsOf(DeploymentName()).Count == 1, "one pod");
        h.Api.Stuck(h.Api.PodsOf(DeploymentName())[0].Metadata.Name, "ImagePullBackOff", "Back-off pulling image \"nope\"");

        var exited = await h.Sink.WaitAsync("i-1", WorkloadPhase.Exited);
        Assert.Equal(-1, exited.ExitCode);
        Assert.Equal("ImagePullBackOff: Back-off pulling image \"nope\"", exited.Message);
    }

    [Fact]
    public async Task A_ready_pod_that_disappears_makes_its_instance_unready_then_ready_on_the_replacement()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);
        await h.Api.WaitAsync(a => a.PodsOf(DeploymentName()).Count == 1, "one pod");
        var first = h.Api.PodsOf(DeploymentName())[0].Metadata.Name;
        h.Api.MarkReady(first, "10.0.0.1");
        await h.Sink.WaitAsync("i-1", WorkloadPhase.Ready);

        h.Api.KillPod(first);
        await h.Sink.WaitAsync("i-1", WorkloadPhase.Unready);
        await h.Api.WaitAsync(a => a.PodsOf(DeploymentName()).Count == 1, "a replacement pod");
        h.Api.MarkReady(h.Api.PodsOf(DeploymentName())[0].Metadata.Name, "10.0.0.2");
        Assert.Equal("http://10.0.0.2:8080", (await h.Sink.WaitAsync("i-1", WorkloadPhase.Ready, occurrence: 2)).Address);
    }

    [Fact]
    public async Task A_closed_watch_is_opened_again_and_no_event_is_lost()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);
        await h.Api.WaitAsync(a => a.PodsOf(DeploymentName()).Count == 1, "one pod");
        var watchesBefore = h.Api.Requests.Count(r => r.EndsWith(" watch", StringComparison.Ordinal));

        h.Api.CloseWatches();
        h.Api.MarkReady(h.Api.PodsOf(DeploymentName())[0].Metadata.Name, "10.0.0.9");
        Assert.Equal("http://10.0.0.9:8080", (await h.Sink.WaitAsync("i-1", WorkloadPhase.Ready)).Address);
        await h.Api.WaitAsync(a => a.Requests.Count(r => r.EndsWith(" watch", StringComparison.Ordinal)) > watchesBefore, "a new watch");
    }
}
