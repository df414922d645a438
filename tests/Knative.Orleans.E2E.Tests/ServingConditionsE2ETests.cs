using System.Net;
using System.Text.Json.Nodes;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

/// <summary>
/// Knative's conflict conditions end to end (admin API, real workloads, requests through the gateway):
/// RevisionNameTaken, NotOwned, and a standalone Route following a Service's configuration.
/// </summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "E2E")]
public sealed class ServingConditionsE2ETests(PlatformFixture fx)
{
    private PlatformProcess P => fx.Platform;

    [Fact]
    public async Task A_taken_byo_revision_name_fails_the_configuration_and_the_previous_split_keeps_serving()
    {
        const string Ns = "conds1";
        const string Name = "clash";
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync(Manifests.ServicePath(Ns), WithRevisionName(Manifests.HelloYaml(Name, marker, "one"), "clash-one"));
        await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => Manifests.Condition(s, "Ready") == "True", "clash-one ready", 60);
        await WaitForAllAsync(Ns, Name, "Hello one!\n");

        // A standalone configuration owns "clash-x-a", a name the service may also choose (it starts with "clash-").
        await CreateAsync(ConfigurationPath(Ns), ConfigurationYaml("clash-x", "clash-x-a", marker, "x"));
        using (var put = await P.Admin.PutAsync(Manifests.ServicePath(Ns, Name), Manifests.Yaml(WithRevisionName(Manifests.HelloYaml(Name, marker, "two"), "clash-x-a"))))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        const string Taken = "The revision name \"clash-x-a\" is taken by a conflicting Revision, so traffic will not be migrated";
        var svc = await P.Admin.GetJsonAsync(Manifests.ServicePath(Ns, Name));
        Assert.Equal(("False", "RevisionNameTaken", Taken), Cond(svc, "RoutesReady"));
        Assert.Equal(("False", "RevisionNameTaken", Taken), Cond(svc, "Ready"));
        Assert.Equal(("False", "RevisionFailed", "Revision creation failed with message: revisions.serving.knative.dev \"clash-x-a\" already exists."),
            Cond(svc, "ConfigurationsReady"));
        Assert.Equal("clash-one", (string?)svc["status"]!["latestCreatedRevisionName"]);
        var configuration = await P.Admin.GetJsonAsync(ConfigurationPath(Ns, Name));
        Assert.Equal(("False", "RevisionFailed", "Revision creation failed with message: revisions.serving.knative.dev \"clash-x-a\" already exists."),
            Cond(configuration, "Ready"));
        var foreign = await P.Admin.GetJsonAsync(Manifests.RevisionPath(Ns, "clash-x-a"));
        Assert.Equal("clash-x", (string?)foreign["metadata"]!["labels"]!["serving.knative.dev/configuration"]);

        // The previous split keeps serving.
        await WaitForAllAsync(Ns, Name, "Hello one!\n");

        // A free name recovers: the revision is stamped and traffic migrates once it is ready.
        using (var put = await P.Admin.PutAsync(Manifests.ServicePath(Ns, Name), Manifests.Yaml(WithRevisionName(Manifests.HelloYaml(Name, marker, "two"), "clash-two"))))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        svc = await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => Manifests.Condition(s, "Ready") == "True", "clash-two ready", 60);
        Assert.Equal("clash-two", (string?)svc["status"]!["latestReadyRevisionName"]);
        await WaitForAllAsync(Ns, Name, "Hello two!\n");

        await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, Name));
        await P.Admin.DeleteAsync(ConfigurationPath(Ns, "clash-x"));
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_service_named_like_standalone_objects_is_not_owned_until_they_are_deleted_and_then_serves()
    {
        const string Ns = "conds2";
        const string Name = "own";
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync(ConfigurationPath(Ns), ConfigurationYaml(Name, null, marker, "standalone"));
        await CreateAsync(RoutePath(Ns), $"""
            apiVersion: serving.knative.dev/v1
            kind: Route
            metadata:
              name: {Name}
            spec:
              traffic:
                - configurationName: {Name}
                  percent: 100
            """);
        await P.Admin.WaitForAsync(RoutePath(Ns, Name), r => Manifests.Condition(r, "Ready") == "True", "standalone route ready", 60);
        await WaitForAllAsync(Ns, Name, "Hello standalone!\n");

        // The Service is created but owns neither: NotOwned on the Configuration first; the standalone route keeps serving.
        await CreateAsync(Manifests.ServicePath(Ns), Manifests.HelloYaml(Name, marker, "svc"));
        var svc = await P.Admin.GetJsonAsync(Manifests.ServicePath(Ns, Name));
        const string Configuration = "There is an existing Configuration \"own\" that we do not own.";
        Assert.Equal(("False", "NotOwned", Configuration), Cond(svc, "ConfigurationsReady"));
        Assert.Equal(("False", "NotOwned", Configuration), Cond(svc, "Ready"));
        Assert.Null((string?)svc["status"]!["latestCreatedRevisionName"]);
        var configuration = await P.Admin.GetJsonAsync(ConfigurationPath(Ns, Name));
        Assert.Null(configuration["metadata"]!["ownerReferences"]);
        await WaitForAllAsync(Ns, Name, "Hello standalone!\n");

        // The configuration is deleted: the service stamps its revision and now stops at the foreign Route.
        using (var deleted = await P.Admin.DeleteAsync(ConfigurationPath(Ns, Name)))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        svc = await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => Manifests.Condition(s, "RoutesReady", "reason") == "NotOwned", "route not owned", 60);
        Assert.Equal(("False", "NotOwned", "There is an existing Route \"own\" that we do not own."), Cond(svc, "Ready"));
        Assert.Equal("own-00001", (string?)svc["status"]!["latestCreatedRevisionName"]);

        // The route is deleted: the service owns both, becomes Ready and serves its own revision.
        using (var deleted = await P.Admin.DeleteAsync(RoutePath(Ns, Name)))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        svc = await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => Manifests.Condition(s, "Ready") == "True", "service ready", 60);
        Assert.Equal("own-00001", (string?)svc["status"]!["latestReadyRevisionName"]);
        var route = await P.Admin.GetJsonAsync(RoutePath(Ns, Name));
        Assert.Equal("Service", (string?)route["metadata"]!["ownerReferences"]![0]!["kind"]);
        await WaitForAllAsync(Ns, Name, "Hello svc!\n");

        await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, Name));
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_standalone_route_naming_a_services_configuration_follows_its_rollouts()
    {
        const string Ns = "conds3";
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync(Manifests.ServicePath(Ns), Manifests.HelloYaml("web", marker, "v1"));
        await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, "web"), s => Manifests.Condition(s, "Ready") == "True", "web v1 ready", 60);
        await CreateAsync(RoutePath(Ns), """
            apiVersion: serving.knative.dev/v1
            kind: Route
            metadata:
              name: follow
            spec:
              traffic:
                - configurationName: web
                  percent: 100
            """);
        var route = await P.Admin.WaitForAsync(RoutePath(Ns, "follow"), r => Manifests.Condition(r, "Ready") == "True", "follow ready", 60);
        Assert.Equal("web-00001", (string?)route["status"]!["traffic"]![0]!["revisionName"]);
        await WaitForAllAsync(Ns, "follow", "Hello v1!\n");

        // The service rolls out v2: the route follows its latest ready revision.
        using (var put = await P.Admin.PutAsync(Manifests.ServicePath(Ns, "web"), Manifests.Yaml(Manifests.HelloYaml("web", marker, "v2"))))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        route = await P.Admin.WaitForAsync(RoutePath(Ns, "follow"), r => (string?)r["status"]!["traffic"]![0]!["revisionName"] == "web-00002", "follow on v2", 60);
        Assert.Equal("True", Manifests.Condition(route, "Ready"));
        await WaitForAllAsync(Ns, "follow", "Hello v2!\n");
        await WaitForAllAsync(Ns, "web", "Hello v2!\n");

        await P.Admin.DeleteAsync(RoutePath(Ns, "follow"));
        await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, "web"));
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Volumes_are_refused_by_the_local_runtime_with_a_400_that_says_why_and_nothing_is_stored()
    {
        const string Ns = "conds4";
        var marker = Guid.NewGuid().ToString("N");
        var withVolumes = Manifests.HelloYaml("vol", marker)
            .Replace("  template:\n    spec:\n", "  template:\n    spec:\n      volumes:\n        - name: config\n          configMap:\n            name: app-config\n        - name: scratch\n          emptyDir: {}\n", StringComparison.Ordinal)
            .Replace("          env:\n", "          volumeMounts:\n            - name: config\n              mountPath: /etc/app\n            - name: scratch\n              mountPath: /scratch\n          env:\n", StringComparison.Ordinal);
        using (var response = await P.Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(withVolumes)))
        {
            var status = await AssertStatusAsync(response, HttpStatusCode.BadRequest, "BadRequest");
            Assert.Equal("validation failed: volumes are not supported by the local process runtime: "
                + "spec.template.spec.containers[0].volumeMounts, spec.template.spec.volumes\n"
                + "a local process cannot mount secrets, config maps or emptyDir volumes; pass settings as env, or run on the Kubernetes runtime",
                (string?)status["message"]);
        }

        // Knative's own volume rules are reported with it, all at once (a hostPath source, a mount of no volume).
        var invalid = withVolumes.Replace("          emptyDir: {}\n", "          hostPath:\n            path: /etc\n", StringComparison.Ordinal)
            .Replace("            - name: scratch\n", "            - name: nope\n", StringComparison.Ordinal);
        using (var response = await P.Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(invalid)))
        {
            var message = (string?)(await AssertStatusAsync(response, HttpStatusCode.BadRequest, "BadRequest"))["message"];
            Assert.Contains("must not set the field(s): spec.template.spec.volumes[1].hostPath", message, StringComparison.Ordinal);
            Assert.Contains("volume with name \"scratch\" not mounted: spec.template.spec.volumes[1].name", message, StringComparison.Ordinal);
            Assert.Contains("volumeMount has no matching volume: spec.template.spec.containers[0].volumeMounts[1].name", message, StringComparison.Ordinal);
        }

        using var missing = await P.Admin.GetAsync(Manifests.ServicePath(Ns, "vol"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<JsonNode> AssertStatusAsync(HttpResponseMessage response, HttpStatusCode code, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == code, $"expected {(int)code}, got {(int)response.StatusCode}: {body}");
        var status = JsonNode.Parse(body)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal(reason, (string?)status["reason"]);
        return status;
    }

    private static (string?, string?, string?) Cond(JsonNode resource, string type) =>
        (Manifests.Condition(resource, type), Manifests.Condition(resource, type, "reason"), Manifests.Condition(resource, type, "message"));

    private static string ConfigurationPath(string ns, string name = "") =>
        $"/apis/serving.knative.dev/v1/namespaces/{ns}/configurations" + (name.Length > 0 ? "/" + name : "");

    private static string RoutePath(string ns, string name = "") =>
        $"/apis/serving.knative.dev/v1/namespaces/{ns}/routes" + (name.Length > 0 ? "/" + name : "");

    private static string ConfigurationYaml(string name, string? revisionName, string marker, string target) => $"""
        apiVersion: serving.knative.dev/v1
        kind: Configuration
        metadata:
          name: {name}
        spec:
          template:
        {(revisionName is null ? "" : $"    metadata:\n      name: {revisionName}\n")}    spec:
              containers:
                - image: ghcr.io/knative/helloworld-go:latest
                  command: ["/usr/bin/python3", "{Repo.HelloPy}"]
                  env:
                    - name: TARGET
                      value: "{target}"
                    - name: E2E_MARKER
                      value: "{marker}"
        """;

    private static string WithRevisionName(string serviceYaml, string revisionName) =>
        serviceYaml.Replace("  template:\n    spec:", $"  template:\n    metadata:\n      name: {revisionName}\n    spec:", StringComparison.Ordinal);

    private async Task CreateAsync(string path, string yaml)
    {
        using var response = await P.Admin.PostAsync(path, Manifests.Yaml(yaml));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {body}");
    }

    private async Task<string> GetBodyAsync(string ns, string label)
    {
        using var response = await P.Gateway.SendAsync(Manifests.ToService(label, ns));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{label}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>Waits until 20 requests in a row get <paramref name="expected"/> (the split has reached the gateway).</summary>
    private async Task WaitForAllAsync(string ns, string label, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var streak = 0;
        while (streak < 20)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{label} did not settle on {expected.Trim()}");
            streak = await GetBodyAsync(ns, label) == expected ? streak + 1 : 0;
        }
    }
}
