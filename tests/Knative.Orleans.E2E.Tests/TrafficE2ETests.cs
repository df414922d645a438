using System.Net;
using System.Text.Json.Nodes;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

[Collection(PlatformCollection.Name)]
[Trait("Category", "E2E")]
public sealed class TrafficE2ETests(PlatformFixture fx)
{
    private const string Ns = "traffic";

    private PlatformProcess P => fx.Platform;

    [Fact]
    public async Task Split_between_two_tagged_revisions_serves_the_weights_and_the_tag_hosts()
    {
        const string Name = "split";
        var marker = Guid.NewGuid().ToString("N");
        using (var created = await P.Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(Manifests.HelloYaml(Name, marker, "one"))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => (string?)s["status"]!["latestReadyRevisionName"] == "split-00001", "v1 ready");
        using (var put = await P.Admin.PutAsync(Manifests.ServicePath(Ns, Name), Manifests.Yaml(Manifests.HelloYaml(Name, marker, "two"))))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => (string?)s["status"]!["latestReadyRevisionName"] == "split-00002", "v2 ready");

        // Traffic only: the template is unchanged, so no revision is stamped.
        using (var put = await P.Admin.PutAsync(Manifests.ServicePath(Ns, Name), Manifests.Yaml(WithTraffic(Manifests.HelloYaml(Name, marker, "two"), 50, 50))))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var svc = await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name),
            s => (long?)s["status"]!["observedGeneration"] == 3 && Manifests.Condition(s, "Ready") == "True", "traffic split applied");
        Assert.Equal(3, (int)svc["metadata"]!["generation"]!);
        var traffic = svc["status"]!["traffic"]!.AsArray();
        Assert.Equal(2, traffic.Count);
        for (var i = 0; i < 2; i++)
        {
            var tag = i == 0 ? "one" : "two";
            Assert.Equal(tag, (string?)traffic[i]!["tag"]);
            Assert.Equal($"split-0000{i + 1}", (string?)traffic[i]!["revisionName"]);
            Assert.Equal(50, (int)traffic[i]!["percent"]!);
            Assert.False((bool)traffic[i]!["latestRevision"]!);
            Assert.Equal($"http://{tag}-split.traffic.example.com", (string?)traffic[i]!["url"]);
        }

        // The gateway has the tags once the tag hosts answer (the hub push may trail the status by a moment).
        await WaitForBodyAsync("one-split", "Hello one!\n");
        await WaitForBodyAsync("two-split", "Hello two!\n");

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 200; i++)
        {
            var body = await GetBodyAsync(Name);
            counts[body] = counts.GetValueOrDefault(body) + 1;
        }

        // Binomial n = 200, p = 0.5: sigma ≈ 7.1, so [60; 140] is more than 5.6 sigma either side.
        Assert.Equal(200, counts.GetValueOrDefault("Hello one!\n") + counts.GetValueOrDefault("Hello two!\n"));
        Assert.InRange(counts.GetValueOrDefault("Hello one!\n"), 60, 140);
        Assert.InRange(counts.GetValueOrDefault("Hello two!\n"), 60, 140);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("Hello one!\n", await GetBodyAsync("one-split"));
            Assert.Equal("Hello two!\n", await GetBodyAsync("two-split"));
        }

        using (var unknown = await P.Gateway.SendAsync(Manifests.ToService("three-split", Ns)))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        // Another traffic-only update: all to two, one keeps its tag at 0%. Generation 4, still no third revision.
        using (var put = await P.Admin.PutAsync(Manifests.ServicePath(Ns, Name), Manifests.Yaml(WithTraffic(Manifests.HelloYaml(Name, marker, "two"), 0, 100))))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        svc = await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name),
            s => (long?)s["status"]!["observedGeneration"] == 4 && Manifests.Condition(s, "Ready") == "True", "traffic moved");
        Assert.Equal(4, (int)svc["metadata"]!["generation"]!);
        Assert.Equal(0, (int)svc["status"]!["traffic"]![0]!["percent"]!);
        Assert.Equal("split-00002", (string?)svc["status"]!["latestCreatedRevisionName"]);
        var revisions = await P.Admin.GetJsonAsync(Manifests.RevisionPath(Ns));
        Assert.Equal(["split-00001", "split-00002"], revisions["items"]!.AsArray().Select(r => (string?)r!["metadata"]!["name"])
            .Where(n => n!.StartsWith("split-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        await WaitForAllAsync(Name, "Hello two!\n");
        Assert.Equal("Hello one!\n", await GetBodyAsync("one-split"));

        using var deleted = await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, Name));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(10));
    }

    private static string WithTraffic(string yaml, int percentOne, int percentTwo) => yaml.TrimEnd() + $"""

          traffic:
            - revisionName: split-00001
              percent: {percentOne}
              tag: one
            - revisionName: split-00002
              percent: {percentTwo}
              tag: two

        """;

    private async Task<string> GetBodyAsync(string label)
    {
        using var response = await P.Gateway.SendAsync(Manifests.ToService(label, Ns));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{label}: {(int)response.StatusCode} {body}");
        return body;
    }

    private async Task WaitForBodyAsync(string label, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await P.Gateway.SendAsync(Manifests.ToService(label, Ns));
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == HttpStatusCode.OK && last.EndsWith(expected, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{label} never answered {expected.Trim()}; last: {last}");
    }

    /// <summary>Waits until 20 requests in a row get <paramref name="expected"/> (the new split has reached the gateway).</summary>
    private async Task WaitForAllAsync(string label, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var streak = 0;
        while (streak < 20)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{label} did not settle on {expected.Trim()}");
            streak = await GetBodyAsync(label) == expected ? streak + 1 : 0;
        }
    }
}
