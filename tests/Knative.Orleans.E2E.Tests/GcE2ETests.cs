using System.Net;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

/// <summary>
/// Revision garbage collection on the real platform with small <c>Gc:*</c> values: a stale non-active revision loses
/// its workload and leaves the admin API; the latest, a tag-pinned one and a <c>serving.knative.dev/no-gc</c> one stay.
/// </summary>
[Trait("Category", "E2E")]
public sealed class GcE2ETests : IDisposable
{
    private const string Ns = "gc";
    private const string Name = "gc";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "kno-gc-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_stale_revision_is_collected_and_traffic_never_loses_its_revisions()
    {
        await using var platform = new PlatformProcess(_data, FastGc());
        await platform.StartAsync();
        var markers = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString("N")).ToArray();

        await ApplyReadyAsync(platform, Yaml(1, markers[1], noGc: true, pinned: false), "gc-00001");
        await ApplyReadyAsync(platform, Yaml(2, markers[2], noGc: false, pinned: false), "gc-00002");
        await ApplyReadyAsync(platform, Yaml(3, markers[3], noGc: false, pinned: true), "gc-00003");
        await ApplyReadyAsync(platform, Yaml(4, markers[4], noGc: false, pinned: true), "gc-00004");

        // gc-00003 is non-active (neither latest nor tagged) and becomes stale 3 s later: collected at the next check.
        await WaitStatusAsync(platform, "gc-00003", HttpStatusCode.NotFound);
        Assert.Empty(await Workloads.WaitGoneAsync(markers[3], TimeSpan.FromSeconds(20)));
        var revisions = await platform.Admin.GetJsonAsync(Manifests.RevisionPath(Ns));
        Assert.Equal(["gc-00001", "gc-00002", "gc-00004"],
            revisions["items"]!.AsArray().Select(r => (string?)r!["metadata"]!["name"]).Order(StringComparer.Ordinal));
        Assert.Contains("garbage-collected revision gc-00003", platform.Output);

        // Both routes still answer: the latest and the revision pinned by the tag.
        Assert.Equal("Hello v4!\n", await BodyAsync(platform, Name));
        Assert.Equal("Hello v2!\n", await BodyAsync(platform, "pinned-" + Name));

        // gc-00001 went non-active before gc-00003 did, so only its no-gc annotation kept it through that check.
        var svc = await platform.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => Manifests.Condition(s, "Ready") == "True", "ready");
        Assert.Equal("gc-00004", (string?)svc["status"]!["latestReadyRevisionName"]);
    }

    [Fact]
    public async Task A_revision_only_a_standalone_route_sends_traffic_to_is_not_collected_until_the_route_lets_go()
    {
        await using var platform = new PlatformProcess(_data, FastGc());
        await platform.StartAsync();
        var markers = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid().ToString("N")).ToArray();
        const string RoutePath = "/apis/serving.knative.dev/v1/namespaces/" + Ns + "/routes";

        await ApplyReadyAsync(platform, Yaml(1, markers[1], noGc: false, pinned: false), "gc-00001");
        using (var created = await platform.Admin.PostAsync(RoutePath, Manifests.Yaml("""
            apiVersion: serving.knative.dev/v1
            kind: Route
            metadata:
              name: keep
            spec:
              traffic:
                - revisionName: gc-00001
                  percent: 100
            """)))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await platform.Admin.WaitForAsync(RoutePath + "/keep", r => Manifests.Condition(r, "Ready") == "True", "route ready", 60);
        Assert.Equal("Hello v1!\n", await BodyAsync(platform, "keep"));
        // gc-00001 leaves the service's own traffic first, gc-00002 after it: gc-00002 being collected proves a GC check
        // ran after gc-00001 had been out of the service's traffic for longer than the retention.
        await ApplyReadyAsync(platform, Yaml(2, markers[2], noGc: false, pinned: false), "gc-00002");
        await platform.Admin.WaitForAsync(Manifests.RevisionPath(Ns, "gc-00001"),
            r => (string?)r["metadata"]!["labels"]!["serving.knative.dev/routingState"] == "active", "gc-00001 still active: the route sends it traffic", 30);
        await ApplyReadyAsync(platform, Yaml(3, markers[3], noGc: false, pinned: false), "gc-00003");
        await WaitStatusAsync(platform, "gc-00002", HttpStatusCode.NotFound);
        using (var kept = await platform.Admin.GetAsync(Manifests.RevisionPath(Ns, "gc-00001")))
        {
            Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        }

        Assert.Equal("Hello v1!\n", await BodyAsync(platform, "keep"));

        // Once the route is deleted nothing sends traffic to gc-00001 any more: it is collected.
        using (var deleted = await platform.Admin.DeleteAsync(RoutePath + "/keep"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        await WaitStatusAsync(platform, "gc-00001", HttpStatusCode.NotFound);
        Assert.Empty(await Workloads.WaitGoneAsync(markers[1], TimeSpan.FromSeconds(20)));
    }

    private static async Task WaitStatusAsync(PlatformProcess platform, string revision, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpStatusCode status;
        while ((status = (await platform.Admin.GetAsync(Manifests.RevisionPath(Ns, revision))).StatusCode) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task Invalid_gc_configuration_is_refused_at_start_with_every_error()
    {
        await using var platform = new PlatformProcess(_data, new Dictionary<string, string?>
        {
            ["Gc:retain-since-create-time"] = "two days",
            ["Gc:min-non-active-revisions"] = "30",
            ["Gc:max-non-active-revisions"] = "10",
            ["Gc:stale-revision-timeout"] = "15h",
        });

        var (code, output) = await platform.RunToExitAsync();

        Assert.Equal(2, code);
        Assert.Contains("Gc:retain-since-create-time = two days, must be a duration (e.g. 48h, 15h30m) or \"disabled\"", output);
        Assert.Contains("Gc:min-non-active-revisions(30) must be <= max-non-active-revisions(10)", output);
        Assert.Contains("Gc:stale-revision-timeout is not a config-gc key", output);
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    /// <summary>A non-active revision is stale 3 s after it left the traffic and is collected at the next check.</summary>
    private static Dictionary<string, string?> FastGc() => new()
    {
        ["Gc:retain-since-create-time"] = "disabled",
        ["Gc:retain-since-last-active-time"] = "3s",
        ["Gc:min-non-active-revisions"] = "0",
        ["Gc:max-non-active-revisions"] = "disabled",
    };

    private static string Yaml(int version, string marker, bool noGc, bool pinned) => $"""
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata:
          name: {Name}
        spec:
          template:
            metadata:
              annotations:
                {(noGc ? "serving.knative.dev/no-gc: \"true\"" : "example.com/version: \"" + version + "\"")}
            spec:
              containers:
                - image: ghcr.io/knative/helloworld-go:latest
                  command: ["/usr/bin/python3", "{Repo.HelloPy}"]
                  env:
                    - name: TARGET
                      value: "v{version}"
                    - name: E2E_MARKER
                      value: "{marker}"
        """ + (pinned ? PinnedTraffic : "");

    private const string PinnedTraffic = """

          traffic:
            - latestRevision: true
              percent: 100
            - revisionName: gc-00002
              tag: pinned

        """;

    private static async Task ApplyReadyAsync(PlatformProcess platform, string yaml, string revision)
    {
        using (var put = await platform.Admin.PutAsync(Manifests.ServicePath(Ns, Name), Manifests.Yaml(yaml)))
        {
            Assert.True(put.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, $"{(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        }

        await platform.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name),
            s => (string?)s["status"]!["latestReadyRevisionName"] == revision && Manifests.Condition(s, "Ready") == "True", revision + " ready", seconds: 60);
    }

    private static async Task<string> BodyAsync(PlatformProcess platform, string label)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await platform.Gateway.SendAsync(Manifests.ToService(label, Ns));
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{label}: {(int)response.StatusCode} {body}");
                return body;
            }

            await Task.Delay(200);
        }
    }
}
