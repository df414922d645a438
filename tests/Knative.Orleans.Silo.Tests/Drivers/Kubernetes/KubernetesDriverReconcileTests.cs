using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Silo.Drivers.Kubernetes;
using static Knative.Orleans.Silo.Tests.Drivers.Kubernetes.KubernetesDriverHarness;

namespace Knative.Orleans.Silo.Tests.Drivers.Kubernetes;

/// <summary>Conflicts, API errors and a restarted control plane: what exists is reconciled, never duplicated.</summary>
public sealed class KubernetesDriverReconcileTests
{
    private static int Count(IEnumerable<string> requests, string prefix) => requests.Count(r => r.StartsWith(prefix, StringComparison.Ordinal));

    private static string Deployments => $"/apis/apps/v1/namespaces/{Namespace}/deployments";

    [Fact]
    public async Task AlreadyExists_on_create_adopts_the_existing_deployment_and_its_running_pods()
    {
        // A create whose answer was lost (or a crashed control plane) left the Deployment behind, unknown to this driver.
        await using var h = await KubernetesDriverHarness.StartAsync();
        h.Api.Seed(DeploymentBuilder.Make(Spec("old"), Namespace, replicas: 2, defaultPort: 8080));

        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);

        var ready = await h.Sink.WaitAsync("i-1", WorkloadPhase.Ready); // bound to a running pod: no cold start
        Assert.StartsWith("http://10.1.0.", ready.Address, StringComparison.Ordinal);
        Assert.Equal(1, Count(h.Api.Requests, "POST " + Deployments));
        Assert.Equal(1, h.Api.Deployment(DeploymentName())!.Spec.Replicas); // corrected to the instances wanted
        await h.Api.WaitAsync(a => a.PodsOf(DeploymentName()).Count == 1, "one pod left");
        Assert.Equal(ready.Address, "http://" + h.Api.PodsOf(DeploymentName())[0].Status.PodIP + ":8080"); // the bound one stayed
    }

    [Fact]
    public async Task A_drifted_deployment_gets_the_desired_template_when_adopted()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        var drifted = DeploymentBuilder.Make(Spec("old") with { Image = "registry/old:1" }, Namespace, replicas: 1, defaultPort: 8080);
        h.Api.Seed(drifted);

        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);

        var deployment = h.Api.Deployment(DeploymentName())!;
        Assert.Equal("ghcr.io/knative/helloworld-go:latest", deployment.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(DeploymentBuilder.HashOf(DeploymentBuilder.Make(Spec("i-1"), Namespace, 1, 8080)), DeploymentBuilder.HashOf(deployment));
    }

    [Fact]
    public async Task Conflict_on_update_reads_again_and_retries()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);
        // Another writer changes the Deployment between our read and our replace: the replace gets 409.
        h.Api.Before("PUT", "/deployments/", () => h.Api.Touch(DeploymentName()));

        await h.Driver.StartAsync(Spec("i-2"), CancellationToken.None);

        var deployment = h.Api.Deployment(DeploymentName())!;
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("someone-else", deployment.Metadata.Annotations["touched-by"]); // their change kept: we re-read
        Assert.Equal(2, Count(h.Api.Requests, $"PUT {Deployments}/"));
        Assert.Equal(2, Count(h.Api.Requests, $"GET {Deployments}/"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Transient_api_errors_are_retried_with_backoff(int status)
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        h.Api.Fail("POST", "/deployments", status, times: 2);

        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);

        Assert.Equal(3, Count(h.Api.Requests, "POST " + Deployments));
        Assert.Equal(1, h.Api.Deployment(DeploymentName())!.Spec.Replicas);
        Assert.DoesNotContain(WorkloadPhase.Exited, h.Sink.Phases("i-1"));
    }

    [Fact]
    public async Task An_api_that_keeps_failing_is_reported_as_exited_with_the_servers_message()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        h.Api.Fail("POST", "/deployments", 503, times: 100, reason: "ServiceUnavailable");

        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);

        var exited = await h.Sink.WaitAsync("i-1", WorkloadPhase.Exited);
        Assert.Equal(-1, exited.ExitCode);
        Assert.Equal(
            $"Kubernetes API: create deployment {DeploymentName()} failed with 503 ServiceUnavailable after 4 attempt(s): injected 503 for POST {Deployments}",
            exited.Message);
        Assert.Equal(4, Count(h.Api.Requests, "POST " + Deployments));
    }

    [Fact]
    public async Task A_refused_request_is_not_retried()
    {
        await using var h = await KubernetesDriverHarness.StartAsync();
        h.Api.Fail("POST", "/deployments", 403, reason: "Forbidden");

        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);

        var exited = await h.Sink.WaitAsync("i-1", WorkloadPhase.Exited);
        Assert.Contains("failed with 403 Forbidden after 1 attempt(s)", exited.Message, StringComparison.Ordinal);
        Assert.Equal(1, Count(h.Api.Requests, "POST " + Deployments));
    }

    [Fact]
    public async Task A_restarted_driver_adopts_existing_deployments_and_binds_their_pods_without_creating_any()
    {
        await using var h = await KubernetesDriverHarness.StartAsync(seed: api =>
            api.Seed(DeploymentBuilder.Make(Spec("before-crash"), Namespace, replicas: 2, defaultPort: 8080)));
        var before = h.Api.PodsOf(DeploymentName()).Select(p => p.Metadata.Name).ToList();

        // The revision grain reactivates and asks for two instances again.
        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);
        await h.Driver.StartAsync(Spec("i-2"), CancellationToken.None);

        var a = await h.Sink.WaitAsync("i-1", WorkloadPhase.Ready);
        var b = await h.Sink.WaitAsync("i-2", WorkloadPhase.Ready);
        Assert.NotEqual(a.Address, b.Address);
        Assert.Equal(0, Count(h.Api.Requests, "POST " + Deployments));
        Assert.Equal(0, Count(h.Api.Requests, "PUT " + Deployments)); // replicas already right
        Assert.Equal(before, h.Api.PodsOf(DeploymentName()).Select(p => p.Metadata.Name).ToList()); // same pods, none restarted
    }

    [Fact]
    public async Task Adopted_deployments_nobody_claims_are_decided_by_their_owner()
    {
        await using var h = await KubernetesDriverHarness.StartAsync(seed: api =>
        {
            api.Seed(DeploymentBuilder.Make(Spec("x", revision: "idle-00001"), Namespace, replicas: 2, defaultPort: 8080));
            api.Seed(DeploymentBuilder.Make(Spec("x", revision: "gone-00001"), Namespace, replicas: 1, defaultPort: 8080));
            api.Seed(DeploymentBuilder.Make(Spec("x", revision: "elsewhere-00001"), Namespace, replicas: 3, defaultPort: 8080));
            api.Seed(DeploymentBuilder.Make(Spec("x", revision: "claimed-00001"), Namespace, replicas: 2, defaultPort: 8080));
        });
        h.Arbiter.Verdicts["default/idle-00001"] = AdoptionVerdict.ScaleToZero;
        h.Arbiter.Verdicts["default/gone-00001"] = AdoptionVerdict.Delete;
        h.Arbiter.Verdicts["default/elsewhere-00001"] = AdoptionVerdict.Keep;
        await h.Driver.StartAsync(Spec("c-1", revision: "claimed-00001"), CancellationToken.None);

        Assert.False(await h.Driver.SweepAdoptedAsync(CancellationToken.None));

        Assert.Equal(0, h.Api.Deployment(DeploymentName("idle-00001"))!.Spec.Replicas);
        Assert.Null(h.Api.Deployment(DeploymentName("gone-00001")));
        Assert.Equal(3, h.Api.Deployment(DeploymentName("elsewhere-00001"))!.Spec.Replicas);
        Assert.Equal(1, h.Api.Deployment(DeploymentName("claimed-00001"))!.Spec.Replicas); // down to the one instance claimed
        await h.Sink.WaitAsync("c-1", WorkloadPhase.Ready);
    }

    [Fact]
    public async Task A_driver_that_cannot_list_at_start_still_starts_and_adopts_on_create()
    {
        await using var h = await KubernetesDriverHarness.StartAsync(seed: api =>
        {
            api.Seed(DeploymentBuilder.Make(Spec("x"), Namespace, replicas: 1, defaultPort: 8080));
            api.Fail("GET", "/deployments", 500, times: 4);
        });

        await h.Driver.StartAsync(Spec("i-1"), CancellationToken.None);

        await h.Sink.WaitAsync("i-1", WorkloadPhase.Ready);
        Assert.Equal(1, Count(h.Api.Requests, "POST " + Deployments)); // 409 AlreadyExists, then adopted
        Assert.Equal(1, h.Api.Deployment(DeploymentName())!.Spec.Replicas);
    }
}
