using System.Net;
using System.Text.Json.Nodes;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

/// <summary>Gradual rollout (serving.knative.dev/rollout-duration; knative/serving test/e2e/rollout_test.go in spirit).</summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "E2E")]
public sealed class RolloutE2ETests(PlatformFixture fx)
{
    private const string Ns = "rollout";

    private PlatformProcess P => fx.Platform;

    [Fact]
    public async Task Traffic_moves_to_the_new_revision_in_steps_and_no_request_fails()
    {
        const string Name = "gradual";
        var marker = Guid.NewGuid().ToString("N");
        using (var created = await P.Admin.PostAsync(Manifests.ServicePath(Ns), Manifests.Yaml(WithRollout(Manifests.HelloYaml(Name, marker, "v1"), "20s"))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await P.Admin.WaitForAsync(Manifests.ServicePath(Ns, Name), s => Manifests.Condition(s, "Ready") == "True", "v1 ready", 60);

        using var stop = new CancellationTokenSource();
        var probes = new List<string>();
        var prober = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await P.Gateway.SendAsync(Manifests.ToService(Name, Ns));
                var body = await response.Content.ReadAsStringAsync();
                lock (probes)
                {
                    probes.Add(response.StatusCode == HttpStatusCode.OK ? body : $"{(int)response.StatusCode} {body}");
                }
            }
        });

        using (var put = await P.Admin.PutAsync(Manifests.ServicePath(Ns, Name), Manifests.Yaml(WithRollout(Manifests.HelloYaml(Name, marker, "v2"), "20s"))))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // Watch status.traffic until v2 has everything; record every split seen on the way.
        var splits = new List<(int Old, int New)>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, "rollout did not finish; splits: " + string.Join(", ", splits));
            var svc = await P.Admin.GetJsonAsync(Manifests.ServicePath(Ns, Name));
            var traffic = svc["status"]!["traffic"]!.AsArray();
            var old = traffic.Where(t => (string?)t!["revisionName"] == "gradual-00001").Sum(t => (int)t!["percent"]!);
            var fresh = traffic.Where(t => (string?)t!["revisionName"] == "gradual-00002").Sum(t => (int)t!["percent"]!);
            if (splits.Count == 0 || splits[^1] != (old, fresh))
            {
                splits.Add((old, fresh));
            }

            if (fresh == 100)
            {
                Assert.Single(traffic);
                break;
            }

            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await prober;

        // 20 s, 1 s minimum step: 1%, then +5 points a second (19 steps), never backwards, always summing to 100.
        var intermediate = splits.Where(s => s.New is > 0 and < 100).ToList();
        Assert.True(intermediate.Count >= 5, "too few intermediate splits: " + string.Join(", ", splits));
        Assert.All(splits, s => Assert.Equal(100, s.Old + s.New));
        Assert.Equal(splits.Select(s => s.New).Order(), splits.Select(s => s.New));
        Assert.Contains(intermediate, s => s.New == 1 || s.New % 5 == 1);
        lock (probes)
        {
            Assert.All(probes, p => Assert.True(p is "Hello v1!\n" or "Hello v2!\n", p));
            Assert.Contains("Hello v2!\n", probes);
        }

        var final = await P.Admin.GetJsonAsync(Manifests.ServicePath(Ns, Name));
        var entry = Assert.Single(final["status"]!["traffic"]!.AsArray())!;
        Assert.True((bool)entry["latestRevision"]!);

        await P.Admin.DeleteAsync(Manifests.ServicePath(Ns, Name));
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(20)));
    }

    private static string WithRollout(string yaml, string duration) =>
        yaml.Replace($"metadata:\n  name: ", $"metadata:\n  annotations:\n    serving.knative.dev/rollout-duration: \"{duration}\"\n  name: ", StringComparison.Ordinal);
}
