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

    [Fact]
    public async Task A_revision_that_was_not_ready_yet_at_shutdown_keeps_trying_after_a_restart()
    {
        var marker = Guid.NewGuid().ToString("N");
        var yaml = Manifests.HelloYaml("slow", marker, env: new Dictionary<string, string> { ["START_DELAY_MS"] = "3000" });
        await using (var platform = new PlatformProcess(_data))
        {
            await platform.StartAsync();
            using var created = await platform.Admin.PostAsync(Manifests.ServicePath("life"), Manifests.Yaml(yaml));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var svc = await platform.Admin.GetJsonAsync(Manifests.ServicePath("life", "slow"));
            Assert.Equal("Unknown", Manifests.Condition(svc, "Ready"));
            await platform.TerminateAsync();
        }

        await using (var platform = new PlatformProcess(_data))
        {
            await platform.StartAsync();
            // No request: the restarted platform resumes the revision by itself.
            var svc = await platform.Admin.WaitForAsync(Manifests.ServicePath("life", "slow"), s => Manifests.Condition(s, "Ready") == "True", "ready", 30);
            Assert.Equal("slow-00001", (string?)svc["status"]!["latestReadyRevisionName"]);
        }
    }

    [Fact]
    public async Task Invalid_configuration_is_refused_at_start_with_every_error()
    {
        await using var platform = new PlatformProcess(_data, new Dictionary<string, string?>
        {
            ["Autoscaler:stable-window"] = "3s",
            ["Autoscaler:max-scale-up-rate"] = "1",
            ["Autoscaler:no-such-key"] = "1",
            ["Admin:Url"] = "http://127.0.0.1",
            ["Serving:RolloutDuration"] = "60s",
            ["Cluster:GrainCollectionAge"] = "00:00:01",
        });

        var (code, output) = await platform.RunToExitAsync();

        Assert.Equal(2, code);
        Assert.Contains("Autoscaler:stable-window = 3s, must be in [6s; 1h0m0s] range", output);
        Assert.Contains("Autoscaler:max-scale-up-rate = 1, must be greater than 1.0", output);
        Assert.Contains("Autoscaler:no-such-key is not a config-autoscaler key", output);
        Assert.Contains("Admin:Url = http://127.0.0.1, must be an http URL with an explicit non-zero port", output);
        Assert.Contains("Serving:RolloutDuration = 60s, must be a duration in [00:00:00; 1.00:00:00] (e.g. 00:02:00)", output);
        Assert.Contains("Cluster:GrainCollectionAge = 00:00:01, must be a duration in [00:00:02, 7.00:00:00]", output);
    }

    [Fact]
    public async Task Component_options_validated_at_start_are_refused_the_same_way()
    {
        await using var platform = new PlatformProcess(_data, new Dictionary<string, string?> { ["Eventing:ReadBatchSize"] = "0" });

        var (code, output) = await platform.RunToExitAsync();

        Assert.Equal(2, code);
        Assert.Contains("invalid configuration:", output);
        Assert.Contains("Eventing:ReadBatchSize must be in [1; 10000]", output);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Without_Admin_Token_a_token_is_generated_once_kept_0600_and_never_logged()
    {
        await using (var platform = new PlatformProcess(_data, new Dictionary<string, string?> { ["Admin:Token"] = null }))
        {
            await platform.StartAsync();
            var file = Path.Combine(_data, "admin-token");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var token = (await File.ReadAllTextAsync(file)).Trim();
            Assert.True(token.Length >= 32);
            Assert.Contains(file, platform.Output);
            Assert.DoesNotContain(token, platform.Output);

            using var anonymous = await platform.Admin.GetAsync(Manifests.ServicePath("default"));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            platform.Admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var authorized = await platform.Admin.GetAsync(Manifests.ServicePath("default"));
            Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
            await platform.TerminateAsync();
            Assert.Equal(token, (await File.ReadAllTextAsync(file)).Trim());
        }

        await using (var again = new PlatformProcess(_data, new Dictionary<string, string?> { ["Admin:Token"] = null }))
        {
            var before = await File.ReadAllTextAsync(Path.Combine(_data, "admin-token"));
            await again.StartAsync();
            Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(_data, "admin-token")));
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
