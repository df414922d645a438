using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

/// <summary>
/// Standalone Configurations and Routes, mirroring knative/serving's conformance tests (test/conformance/api/v1:
/// route_test.go, blue_green_test.go, generatename/byo revision names, update_test.go).
/// </summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "E2E")]
public sealed class RoutesE2ETests(PlatformFixture fx)
{
    private PlatformProcess P => fx.Platform;

    [Fact]
    public async Task Route_splits_between_configurations_then_goes_blue_green_and_goes_not_ready_when_a_configuration_is_deleted()
    {
        const string Ns = "routes1";
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync(ConfigurationPath(Ns), ConfigurationYaml("blue", marker, "blue"));
        await CreateAsync(ConfigurationPath(Ns), ConfigurationYaml("green", marker, "green"));
        await CreateAsync(RoutePath(Ns), RouteYaml("bg", ("blue", 50, "blue"), ("green", 50, "green")));

        var route = await P.Admin.WaitForAsync(RoutePath(Ns, "bg"), r => Manifests.Condition(r, "Ready") == "True", "route ready", 60);
        Assert.Equal("http://bg.routes1.example.com", (string?)route["status"]!["url"]);
        Assert.Equal("http://bg.routes1.svc.cluster.local", (string?)route["status"]!["address"]!["url"]);
        foreach (var type in new[] { "AllTrafficAssigned", "IngressReady", "CertificateProvisioned" })
        {
            Assert.Equal("True", Manifests.Condition(route, type));
        }

        Assert.Equal("TLSNotEnabled", Manifests.Condition(route, "CertificateProvisioned", "reason"));
        var traffic = route["status"]!["traffic"]!.AsArray();
        Assert.Equal(2, traffic.Count);
        Assert.Equal("blue-00001", (string?)traffic[0]!["revisionName"]);
        Assert.Equal("green-00001", (string?)traffic[1]!["revisionName"]);
        Assert.True((bool)traffic[0]!["latestRevision"]!);
        Assert.Null(traffic[0]!["configurationName"]);
        Assert.Equal("http://green-bg.routes1.example.com", (string?)traffic[1]!["url"]);
        Assert.Equal("system:admin", (string?)route["metadata"]!["annotations"]!["serving.knative.dev/creator"]);

        var blue = await P.Admin.GetJsonAsync(ConfigurationPath(Ns, "blue"));
        Assert.Equal("True", Manifests.Condition(blue, "Ready"));
        Assert.Equal("blue-00001", (string?)blue["status"]!["latestCreatedRevisionName"]);
        Assert.Equal("blue-00001", (string?)blue["status"]!["latestReadyRevisionName"]);
        Assert.Equal("system:admin", (string?)blue["metadata"]!["annotations"]!["serving.knative.dev/lastModifier"]);
        var revision = await P.Admin.GetJsonAsync(Manifests.RevisionPath(Ns, "blue-00001"));
        Assert.Equal("blue", (string?)revision["metadata"]!["labels"]!["serving.knative.dev/configuration"]);
        Assert.Equal("1", (string?)revision["metadata"]!["labels"]!["serving.knative.dev/configurationGeneration"]);
        Assert.Null(revision["metadata"]!["labels"]!["serving.knative.dev/service"]);
        Assert.Equal("e2e", (string?)revision["metadata"]!["labels"]!["template-label"]);
        Assert.Equal("Configuration", (string?)revision["metadata"]!["ownerReferences"]![0]!["kind"]);

        var list = await P.Admin.GetJsonAsync(ConfigurationPath(Ns));
        Assert.Equal(["blue", "green"], list["items"]!.AsArray().Select(c => (string?)c!["metadata"]!["name"]));
        var routes = await P.Admin.GetJsonAsync(RoutePath(Ns));
        Assert.Equal(["bg"], routes["items"]!.AsArray().Select(c => (string?)c!["metadata"]!["name"]));

        await WaitForBodyAsync(Ns, "blue-bg", "Hello blue!\n");
        await WaitForBodyAsync(Ns, "green-bg", "Hello green!\n");
        var counts = await CountAsync(Ns, "bg", 200);
        // Binomial n = 200, p = 0.5: sigma ≈ 7.1, so [60; 140] is more than 5.6 sigma either side.
        Assert.Equal(200, counts.GetValueOrDefault("Hello blue!\n") + counts.GetValueOrDefault("Hello green!\n"));
        Assert.InRange(counts.GetValueOrDefault("Hello blue!\n"), 60, 140);

        // Blue-green: all traffic to green, blue keeps its tag at 0%.
        using (var put = await P.Admin.PutAsync(RoutePath(Ns, "bg"), Manifests.Yaml(RouteYaml("bg", ("blue", 0, "blue"), ("green", 100, "green")))))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await WaitForAllAsync(Ns, "bg", "Hello green!\n");
        Assert.Equal("Hello blue!\n", await GetBodyAsync(Ns, "blue-bg"));

        // A new green revision: the route follows the configuration's latest ready revision.
        using (var put = await P.Admin.PutAsync(ConfigurationPath(Ns, "green"), Manifests.Yaml(ConfigurationYaml("green", marker, "green2"))))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await P.Admin.WaitForAsync(RoutePath(Ns, "bg"), r => (string?)r["status"]!["traffic"]![1]!["revisionName"] == "green-00002", "route follows green-00002", 60);
        await WaitForAllAsync(Ns, "bg", "Hello green2!\n");

        // Deleting a configuration the route names: the route goes not ready, as Knative's.
        using (var deleted = await P.Admin.DeleteAsync(ConfigurationPath(Ns, "blue")))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        route = await P.Admin.WaitForAsync(RoutePath(Ns, "bg"), r => Manifests.Condition(r, "Ready") == "False", "route not ready");
        Assert.Equal("ConfigurationMissing", Manifests.Condition(route, "AllTrafficAssigned", "reason"));
        Assert.Equal("Configuration \"blue\" referenced in traffic not found.", Manifests.Condition(route, "AllTrafficAssigned", "message"));
        using (var gone = await P.Admin.GetAsync(Manifests.RevisionPath(Ns, "blue-00001")))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        // Recreated, the route resolves again without being touched.
        await CreateAsync(ConfigurationPath(Ns), ConfigurationYaml("blue", marker, "blue"));
        await P.Admin.WaitForAsync(RoutePath(Ns, "bg"), r => Manifests.Condition(r, "Ready") == "True", "route ready again", 60);

        using (var deleted = await P.Admin.DeleteAsync(RoutePath(Ns, "bg")))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await WaitForStatusAsync(Ns, "bg", HttpStatusCode.NotFound);
        await P.Admin.DeleteAsync(ConfigurationPath(Ns, "blue"));
        await P.Admin.DeleteAsync(ConfigurationPath(Ns, "green"));
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(20)));
        var revisions = await P.Admin.GetJsonAsync(Manifests.RevisionPath(Ns));
        Assert.Empty(revisions["items"]!.AsArray());
    }

    [Fact]
    public async Task Route_to_a_pinned_revision_and_errors_of_routes_and_configurations()
    {
        const string Ns = "routes2";
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync(ConfigurationPath(Ns), ConfigurationYaml("pin", marker, "pinned"));
        await CreateAsync(RoutePath(Ns), """
            apiVersion: serving.knative.dev/v1
            kind: Route
            metadata:
              name: pinned
            spec:
              traffic:
                - revisionName: pin-00001
                  percent: 100
            """);
        await P.Admin.WaitForAsync(RoutePath(Ns, "pinned"), r => Manifests.Condition(r, "Ready") == "True", "pinned route ready", 60);
        await WaitForBodyAsync(Ns, "pinned", "Hello pinned!\n");

        // Every error at once, with Knative's messages and paths.
        using (var bad = await P.Admin.PostAsync(RoutePath(Ns), Manifests.Yaml("""
            metadata:
              name: bad
            spec:
              traffic:
                - revisionName: a
                  configurationName: b
                  percent: 50
                - percent: 40
            """)))
        {
            var status = await AssertStatusAsync(bad, HttpStatusCode.BadRequest, "BadRequest");
            Assert.Equal("validation failed: Traffic targets sum to 90, want 100: spec.traffic\n"
                + "expected exactly one, got both: spec.traffic[0].configurationName, spec.traffic[0].revisionName\n"
                + "expected exactly one, got neither: spec.traffic[1].configurationName, spec.traffic[1].revisionName",
                (string?)status["message"]);
        }

        using (var bad = await P.Admin.PostAsync(ConfigurationPath(Ns), Manifests.Yaml("""
            metadata:
              name: cfg
            spec:
              template:
                metadata:
                  name: other-1
                spec:
                  containers: []
            """)))
        {
            var status = await AssertStatusAsync(bad, HttpStatusCode.BadRequest, "BadRequest");
            Assert.Equal("validation failed: invalid value: \"other-1\" must have prefix \"cfg-\": spec.template.metadata.name\n"
                + "missing field(s): spec.template.spec.containers", (string?)status["message"]);
        }

        using (var dup = await P.Admin.PostAsync(ConfigurationPath(Ns), Manifests.Yaml(ConfigurationYaml("pin", marker, "x"))))
        {
            var status = await AssertStatusAsync(dup, HttpStatusCode.Conflict, "AlreadyExists");
            Assert.Equal("configurations.serving.knative.dev \"pin\" already exists", (string?)status["message"]);
        }

        using (var missing = await P.Admin.GetAsync(RoutePath(Ns, "nope")))
        {
            var status = await AssertStatusAsync(missing, HttpStatusCode.NotFound, "NotFound");
            Assert.Equal("routes.serving.knative.dev \"nope\" not found", (string?)status["message"]);
        }

        // A Service of the name of a standalone configuration does not own it (Knative's NotOwned): created, not ready.
        using (var svc = await P.Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(Manifests.HelloYaml("pin", marker))))
        {
            Assert.Equal(HttpStatusCode.Created, svc.StatusCode);
            var created = JsonNode.Parse(await svc.Content.ReadAsStringAsync())!;
            Assert.Equal("NotOwned", Manifests.Condition(created, "ConfigurationsReady", "reason"));
            Assert.Equal("There is an existing Configuration \"pin\" that we do not own.", Manifests.Condition(created, "Ready", "message"));
        }

        await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, "pin"));

        // JSON patch on the route: point it at the configuration instead.
        using (var patch = await PatchAsync(RoutePath(Ns, "pinned"), "application/json-patch+json",
            """[{"op": "remove", "path": "/spec/traffic/0/revisionName"}, {"op": "add", "path": "/spec/traffic/0/configurationName", "value": "pin"}, {"op": "remove", "path": "/spec/traffic/0/latestRevision"}]"""))
        {
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
            var patched = JsonNode.Parse(await patch.Content.ReadAsStringAsync())!;
            Assert.Equal("pin", (string?)patched["spec"]!["traffic"]![0]!["configurationName"]);
            Assert.Equal(2, (int)patched["metadata"]!["generation"]!);
        }

        using (var yamlPatch = await PatchAsync(RoutePath(Ns, "pinned"), "application/strategic-merge-patch+json", "{}"))
        {
            await AssertStatusAsync(yamlPatch, HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType");
        }

        await P.Admin.DeleteAsync(RoutePath(Ns, "pinned"));
        await P.Admin.DeleteAsync(ConfigurationPath(Ns, "pin"));
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Service_children_are_readable_owned_and_byo_names_must_change_with_the_template()
    {
        const string Ns = "routes3";
        const string Name = "byo";
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync(Manifests.ServicePath(Ns), WithRevisionName(Manifests.HelloYaml(Name, marker, "one"), "byo-one"));
        var svc = await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => Manifests.Condition(s, "Ready") == "True", "byo ready", 60);
        Assert.Equal("byo-one", (string?)svc["status"]!["latestReadyRevisionName"]);

        var configuration = await P.Admin.GetJsonAsync(ConfigurationPath(Ns, Name));
        Assert.Equal("Service", (string?)configuration["metadata"]!["ownerReferences"]![0]!["kind"]);
        Assert.Equal(Name, (string?)configuration["metadata"]!["labels"]!["serving.knative.dev/service"]);
        Assert.Equal("True", Manifests.Condition(configuration, "Ready"));
        var route = await P.Admin.GetJsonAsync(RoutePath(Ns, Name));
        Assert.Equal("Service", (string?)route["metadata"]!["ownerReferences"]![0]!["kind"]);
        Assert.Equal("True", Manifests.Condition(route, "AllTrafficAssigned"));

        // The children are changed through the Service only.
        using (var put = await P.Admin.PutAsync(ConfigurationPath(Ns, Name), Manifests.Yaml(ConfigurationYaml(Name, marker, "x"))))
        {
            await AssertStatusAsync(put, HttpStatusCode.Conflict, "Conflict");
        }

        using (var delete = await P.Admin.DeleteAsync(RoutePath(Ns, Name)))
        {
            await AssertStatusAsync(delete, HttpStatusCode.Conflict, "Conflict");
        }

        // A template change that keeps the BYO name is refused, with the diff.
        using (var same = await P.Admin.PutAsync(Manifests.ServicePath(Ns, Name), Manifests.Yaml(WithRevisionName(Manifests.HelloYaml(Name, marker, "two"), "byo-one"))))
        {
            var status = await AssertStatusAsync(same, HttpStatusCode.BadRequest, "BadRequest");
            Assert.Equal("validation failed: Saw the following changes without a name change (-old +new): spec.template.metadata.name\n"
                + "{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Env[0].Value:\n\t-: \"one\"\n\t+: \"two\"", (string?)status["message"]);
        }

        // Metadata-only changes stamp no revision (update_test.go: "metadata-only update").
        using (var labels = await PatchAsync(Manifests.ServicePath(Ns, Name), "application/merge-patch+json", """{"metadata": {"labels": {"team": "a"}}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, labels.StatusCode);
        }

        configuration = await P.Admin.GetJsonAsync(ConfigurationPath(Ns, Name));
        Assert.Equal("a", (string?)configuration["metadata"]!["labels"]!["team"]);
        Assert.Equal("byo-one", (string?)configuration["status"]!["latestCreatedRevisionName"]);

        // A renamed template stamps the new name; merge patch on the service.
        using (var renamed = await PatchAsync(Manifests.ServicePath(Ns, Name), "application/merge-patch+json",
            """{"spec": {"template": {"metadata": {"name": "byo-two"}, "spec": {"containers": [{"image": "ghcr.io/knative/helloworld-go:latest", "command": ["/usr/bin/python3", "__HELLO__"], "env": [{"name": "TARGET", "value": "two"}, {"name": "E2E_MARKER", "value": "__MARKER__"}]}]}}}}"""
                .Replace("__HELLO__", Repo.HelloPy, StringComparison.Ordinal).Replace("__MARKER__", marker, StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => (string?)s["status"]!["latestReadyRevisionName"] == "byo-two", "byo-two ready", 60);
        await WaitForAllAsync(Ns, Name, "Hello two!\n");

        using (var deleted = await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, Name)))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        // Deleting the service removes its configuration, route, revisions and workloads.
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(20)));
        foreach (var path in new[] { ConfigurationPath(Ns, Name), RoutePath(Ns, Name), Manifests.RevisionPath(Ns, "byo-one"), Manifests.RevisionPath(Ns, "byo-two") })
        {
            using var gone = await P.Admin.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        await WaitForStatusAsync(Ns, Name, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task No_request_fails_while_a_service_is_updated()
    {
        const string Ns = "routes4";
        const string Name = "probed";
        var marker = Guid.NewGuid().ToString("N");
        await CreateAsync(Manifests.ServicePath(Ns), Manifests.HelloYaml(Name, marker, "v1"));
        await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => Manifests.Condition(s, "Ready") == "True", "v1 ready", 60);
        await WaitForBodyAsync(Ns, Name, "Hello v1!\n");

        // A prober (knative's test/prober.go) sends requests one after the other while the service is updated twice.
        using var stop = new CancellationTokenSource();
        var results = new List<string>();
        var prober = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await P.Gateway.SendAsync(Manifests.ToService(Name, Ns));
                var body = await response.Content.ReadAsStringAsync();
                lock (results)
                {
                    results.Add(response.StatusCode == HttpStatusCode.OK ? body : $"{(int)response.StatusCode} {body}");
                }
            }
        });

        foreach (var version in new[] { "v2", "v3" })
        {
            using (var put = await P.Admin.PutAsync(Manifests.ServicePath(Ns, Name), Manifests.Yaml(Manifests.HelloYaml(Name, marker, version))))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            await WaitUntilAsync(() =>
            {
                lock (results)
                {
                    return results.Skip(Math.Max(0, results.Count - 10)).Count(r => r == $"Hello {version}!\n") == 10;
                }
            }, $"prober sees {version}");
        }

        await stop.CancelAsync();
        await prober;
        Assert.All(results, r => Assert.StartsWith("Hello v", r, StringComparison.Ordinal));
        Assert.Contains("Hello v2!\n", results);
        Assert.True(results.Count > 50, $"only {results.Count} probes");

        await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, Name));
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(20)));
    }

    private static string ConfigurationPath(string ns, string name = "") =>
        $"/apis/serving.knative.dev/v1/namespaces/{ns}/configurations" + (name.Length > 0 ? "/" + name : "");

    private static string RoutePath(string ns, string name = "") =>
        $"/apis/serving.knative.dev/v1/namespaces/{ns}/routes" + (name.Length > 0 ? "/" + name : "");

    private static string ConfigurationYaml(string name, string marker, string target) => $"""
        apiVersion: serving.knative.dev/v1
        kind: Configuration
        metadata:
          name: {name}
        spec:
          template:
            metadata:
              labels:
                template-label: e2e
            spec:
              containers:
                - image: ghcr.io/knative/helloworld-go:latest
                  command: ["/usr/bin/python3", "{Repo.HelloPy}"]
                  env:
                    - name: TARGET
                      value: "{target}"
                    - name: E2E_MARKER
                      value: "{marker}"
        """;

    private static string RouteYaml(string name, params (string Configuration, int Percent, string Tag)[] targets) => $"""
        apiVersion: serving.knative.dev/v1
        kind: Route
        metadata:
          name: {name}
        spec:
          traffic:
        {string.Concat(targets.Select(t => $"    - configurationName: {t.Configuration}\n      percent: {t.Percent}\n      tag: {t.Tag}\n"))}
        """;

    private static string WithRevisionName(string serviceYaml, string revisionName) =>
        serviceYaml.Replace("  template:\n    spec:", $"  template:\n    metadata:\n      name: {revisionName}\n    spec:", StringComparison.Ordinal);

    private async Task CreateAsync(string path, string yaml)
    {
        using var response = await P.Admin.PostAsync(path, Manifests.Yaml(yaml));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {body}");
    }

    private async Task<HttpResponseMessage> PatchAsync(string path, string mediaType, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await P.Admin.PatchAsync(path, content);
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

    private async Task<string> GetBodyAsync(string ns, string label)
    {
        using var response = await P.Gateway.SendAsync(Manifests.ToService(label, ns));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{label}: {(int)response.StatusCode} {body}");
        return body;
    }

    private async Task<Dictionary<string, int>> CountAsync(string ns, string label, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var body = await GetBodyAsync(ns, label);
            counts[body] = counts.GetValueOrDefault(body) + 1;
        }

        return counts;
    }

    private async Task WaitForBodyAsync(string ns, string label, string expected)
    {
        string? last = null;
        await WaitUntilAsync(async () =>
        {
            using var response = await P.Gateway.SendAsync(Manifests.ToService(label, ns));
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            return response.StatusCode == HttpStatusCode.OK && last.EndsWith(expected, StringComparison.Ordinal);
        }, $"{label} answers {expected.Trim()} (last: {last})");
    }

    private async Task WaitForStatusAsync(string ns, string label, HttpStatusCode code) =>
        await WaitUntilAsync(async () =>
        {
            using var response = await P.Gateway.SendAsync(Manifests.ToService(label, ns));
            return response.StatusCode == code;
        }, $"{label} answers {(int)code}");

    /// <summary>Waits until 20 requests in a row get <paramref name="expected"/> (the new split has reached the gateway).</summary>
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

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out: " + what);
            await Task.Delay(100);
        }
    }
}
