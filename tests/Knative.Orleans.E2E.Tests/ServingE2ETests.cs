using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

[Collection(PlatformCollection.Name)]
[Trait("Category", "E2E")]
public sealed class ServingE2ETests(PlatformFixture fx)
{
    private PlatformProcess P => fx.Platform;

    [Fact]
    public async Task Hello_manifest_serves_through_the_gateway_scales_to_zero_and_cold_starts()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var created = await P.Admin.PostAsync(Manifests.ServicePath("e2e"), Manifests.Yaml(Manifests.HelloYaml("hello", marker)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal("http://hello.e2e.example.com", (string?)body["status"]!["url"]);
        Assert.Equal("hello-00001", (string?)body["status"]!["latestCreatedRevisionName"]);

        var svc = await P.Admin.WaitForAsync(Manifests.ServicePath("e2e", "hello"), s => Manifests.Condition(s, "Ready") == "True", "service Ready");
        Assert.Equal("hello-00001", (string?)svc["status"]!["latestReadyRevisionName"]);
        Assert.Equal(100, (int)svc["status"]!["traffic"]![0]!["percent"]!);
        Assert.Equal("True", Manifests.Condition(svc, "ConfigurationsReady"));
        Assert.Equal("True", Manifests.Condition(svc, "RoutesReady"));

        using (var response = await P.Gateway.SendAsync(Manifests.ToService("hello", "e2e")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Hello world!\n", await response.Content.ReadAsStringAsync());
        }

        using (var response = await P.Gateway.SendAsync(Manifests.ToService("hello", "e2e", "/env")))
        {
            var env = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("hello", (string?)env["K_SERVICE"]);
            Assert.Equal("hello", (string?)env["K_CONFIGURATION"]);
            Assert.Equal("hello-00001", (string?)env["K_REVISION"]);
            Assert.NotEqual("8080", (string?)env["PORT"]);
        }

        using (var response = await P.Gateway.SendAsync(Manifests.ToService("hello", "e2e", "/headers?x=1")))
        {
            var headers = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("hello.e2e.example.com", (string?)headers["host"]);
            Assert.Equal("127.0.0.1", (string?)headers["x-forwarded-for"]);
            Assert.Equal("http", (string?)headers["x-forwarded-proto"]);
        }

        // Idle: stable-window 6 s + grace 1 s, then the process is stopped.
        await P.Admin.WaitForAsync(Manifests.RevisionPath("e2e", "hello-00001"),
            r => (int?)r["status"]!["actualReplicas"] == 0 && Manifests.Condition(r, "Active") == "False", "scale to zero", 40);
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(10)));

        // Cold start: the next request is held until an instance is ready.
        var watch = Stopwatch.StartNew();
        using (var response = await P.Gateway.SendAsync(Manifests.ToService("hello", "e2e")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Hello world!\n", await response.Content.ReadAsStringAsync());
        }

        Assert.Single(Workloads.WithMarker(marker));
        var revision = await P.Admin.GetJsonAsync(Manifests.RevisionPath("e2e", "hello-00001"));
        Assert.Equal(1, (int?)revision["status"]!["actualReplicas"]);
        Assert.Equal("True", Manifests.Condition(revision, "Active"));

        using var deleted = await P.Admin.DeleteAsync(Manifests.ServicePath("e2e", "hello"));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(10)));
        using var gone = await P.Gateway.SendAsync(Manifests.ToService("hello", "e2e"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Template_change_stamps_a_new_revision_and_traffic_moves_to_it()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var _ = await P.Admin.PostAsync(Manifests.ServicePath("e2e"), Manifests.Yaml(Manifests.HelloYaml("update", marker)));
        await P.Admin.WaitForAsync(Manifests.ServicePath("e2e", "update"), s => Manifests.Condition(s, "Ready") == "True", "v1 ready");

        using var put = await P.Admin.PutAsync(Manifests.ServicePath("e2e", "update"), Manifests.Yaml(Manifests.HelloYaml("update", marker, "knative")));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var svc = await P.Admin.WaitForAsync(Manifests.ServicePath("e2e", "update"),
            s => (string?)s["status"]!["latestReadyRevisionName"] == "update-00002", "v2 ready");
        Assert.Equal(2, (int)svc["metadata"]!["generation"]!);
        using var response = await P.Gateway.SendAsync(Manifests.ToService("update", "e2e"));
        Assert.Equal("Hello knative!\n", await response.Content.ReadAsStringAsync());

        // Re-applying the same manifest stamps nothing.
        using var same = await P.Admin.PutAsync(Manifests.ServicePath("e2e", "update"), Manifests.Yaml(Manifests.HelloYaml("update", marker, "knative")));
        var list = await P.Admin.GetJsonAsync(Manifests.RevisionPath("e2e"));
        Assert.Equal(["update-00001", "update-00002"], list["items"]!.AsArray().Select(r => (string?)r!["metadata"]!["name"])
            .Where(n => n!.StartsWith("update-", StringComparison.Ordinal)));
        await P.Admin.DeleteAsync(Manifests.ServicePath("e2e", "update"));
    }

    [Fact]
    public async Task Workload_that_exits_before_ready_fails_the_revision_and_the_gateway_answers_503()
    {
        var marker = Guid.NewGuid().ToString("N");
        var yaml = Manifests.HelloYaml("broken", marker).Replace($"\"{Repo.HelloPy}\"", "\"-c\", \"import sys; print('cannot start: missing config'); sys.exit(3)\"");
        using var _ = await P.Admin.PostAsync(Manifests.ServicePath("e2e"), Manifests.Yaml(yaml));

        var revision = await P.Admin.WaitForAsync(Manifests.RevisionPath("e2e", "broken-00001"),
            r => Manifests.Condition(r, "Ready") == "False", "revision failed");
        Assert.Equal("ExitCode3", Manifests.Condition(revision, "Ready", "reason"));
        Assert.Contains("cannot start: missing config", Manifests.Condition(revision, "Ready", "message"));
        var svc = await P.Admin.WaitForAsync(Manifests.ServicePath("e2e", "broken"), s => Manifests.Condition(s, "Ready") == "False", "service failed");
        Assert.Equal("RevisionFailed", Manifests.Condition(svc, "ConfigurationsReady", "reason"));

        using var response = await P.Gateway.SendAsync(Manifests.ToService("broken", "e2e"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("cannot start: missing config", await response.Content.ReadAsStringAsync());

        using var log = await P.Admin.GetAsync(Manifests.RevisionPath("e2e", "broken-00001") + "/log");
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        Assert.Contains("cannot start: missing config", await log.Content.ReadAsStringAsync());
        await P.Admin.DeleteAsync(Manifests.ServicePath("e2e", "broken"));
    }

    [Fact]
    public async Task Unknown_host_is_404_and_health_endpoints_answer_on_both_listeners()
    {
        using var unknown = await P.Gateway.SendAsync(Manifests.ToService("nothing", "nowhere"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        foreach (var client in new[] { P.Gateway, P.Admin })
        {
            using var healthz = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
            using var readyz = await client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        }
    }
}
