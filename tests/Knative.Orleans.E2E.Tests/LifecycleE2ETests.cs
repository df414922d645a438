using System.Net;
using Knative.Orleans.E2E.Tests.Infrastructure;

namespace Knative.Orleans.E2E.Tests;

[Trait("Category", "E2E")]
public sealed class LifecycleE2ETests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "kno-life-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Sigterm_stops_every_workload_and_exits_0_and_state_survives_a_restart()
    {
        var marker = Guid.NewGuid().ToString("N");
        string uid;
        await using (var platform = new PlatformProcess(_data))
        {
            await platform.StartAsync();
            using var created = await platform.Admin.PostAsync(Manifests.ServicePath("life"), Manifests.Yaml(Manifests.HelloYaml("keep", marker)));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var svc = await platform.Admin.WaitForAsync(Manifests.ServicePath("life", "keep"), s => Manifests.Condition(s, "Ready") == "True", "ready");
            uid = (string)svc["metadata"]!["uid"]!;
            Assert.Single(Workloads.WithMarker(marker));

            // A slow request in flight when SIGTERM arrives still completes.
            var slow = platform.Gateway.SendAsync(Manifests.ToService("keep", "life", "/sleep?ms=1500"));
            await platform.Admin.WaitForAsync(Manifests.RevisionPath("life", "keep-00001"), _ => true, "settle");
            var (code, took) = await platform.TerminateAsync();
            using var slowResponse = await slow;
            Assert.Equal(HttpStatusCode.OK, slowResponse.StatusCode);
            Assert.Equal(0, code);
            Assert.True(took < TimeSpan.FromSeconds(10), $"shutdown took {took}");
            Assert.Empty(Workloads.WithMarker(marker));
        }

        await using (var platform = new PlatformProcess(_data))
        {
            await platform.StartAsync();
            var svc = await platform.Admin.GetJsonAsync(Manifests.ServicePath("life", "keep"));
            Assert.Equal(uid, (string?)svc["metadata"]!["uid"]);
            Assert.Equal("keep-00001", (string?)svc["status"]!["latestReadyRevisionName"]);
            using var response = await platform.Gateway.SendAsync(Manifests.ToService("keep", "life"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Hello world!\n", await response.Content.ReadAsStringAsync());
        }

        Assert.Empty(Workloads.WithMarker(marker));
    }

    [Fact]
    public async Task A_crashed_platform_leaves_no_workload_behind()
    {
        var marker = Guid.NewGuid().ToString("N");
        await using (var platform = new PlatformProcess(_data))
        {
            await platform.StartAsync();
            using var _ = await platform.Admin.PostAsync(Manifests.ServicePath("life"), Manifests.Yaml(Manifests.HelloYaml("crash", marker)));
            await platform.Admin.WaitForAsync(Manifests.ServicePath("life", "crash"), s => Manifests.Condition(s, "Ready") == "True", "ready");
            Assert.Single(Workloads.WithMarker(marker));
            await platform.CrashAsync();
        }

        // The workload dies with its parent (PR_SET_PDEATHSIG), and a restart would reap it otherwise.
        Assert.Empty(await Workloads.WaitGoneAsync(marker, TimeSpan.FromSeconds(5)));
        await using (var platform = new PlatformProcess(_data))
        {
            await platform.StartAsync();
            Assert.Empty(Workloads.WithMarker(marker));
            Assert.Empty(Directory.Exists(Path.Combine(_data, "workloads")) ? Directory.GetFiles(Path.Combine(_data, "workloads")) : []);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
