using k8s;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Silo.Drivers.Kubernetes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Tests.Drivers.Kubernetes;

/// <summary>A fake API server and a real <see cref="KubernetesDriver"/> talking to it over HTTP.</summary>
internal sealed class KubernetesDriverHarness : IAsyncDisposable
{
    public const string Namespace = "kn-test";

    private KubernetesDriverHarness(FakeKubernetesApi api) => Api = api;

    public FakeKubernetesApi Api { get; }

    public RecordingSink Sink { get; } = new();

    public KubernetesDriver Driver { get; private set; } = null!;

    public ScriptedArbiter Arbiter { get; } = new();

    public static async Task<KubernetesDriverHarness> StartAsync(Action<FakeKubernetesApi>? seed = null, Action<KubernetesDriverOptions>? configure = null)
    {
        var harness = new KubernetesDriverHarness(await FakeKubernetesApi.StartAsync());
        seed?.Invoke(harness.Api);
        await harness.StartDriverAsync(configure);
        return harness;
    }

    public static KubernetesDriverOptions Options(string host) => new()
    {
        Host = host,
        Namespace = Namespace,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(40),
        MaxAttempts = 4,
        AdoptionGracePeriod = TimeSpan.FromHours(1), // tests sweep explicitly
        WatchRestartDelay = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>A new driver on the same API server (a restarted control plane).</summary>
    public async Task StartDriverAsync(Action<KubernetesDriverOptions>? configure = null)
    {
        var options = Options(Api.Url);
        configure?.Invoke(options);
        var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Api.Url });
        Driver = new KubernetesDriver(Microsoft.Extensions.Options.Options.Create(options), client, Sink,
            NullLogger<KubernetesDriver>.Instance, TimeProvider.System, Arbiter);
        await ((IHostedService)Driver).StartAsync(CancellationToken.None);
        await Driver.FirstListApplied.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task StopDriverAsync() => await ((IHostedService)Driver).StopAsync(CancellationToken.None);

    public static WorkloadSpec Spec(string instanceId, string revision = "hello-00001", string ns = "default") => new()
    {
        RevisionKey = $"{ns}/{revision}",
        InstanceId = instanceId,
        CommandLine = [],
        Image = "ghcr.io/knative/helloworld-go:latest",
        Env = new Dictionary<string, string> { ["TARGET"] = "Knative", ["K_SERVICE"] = "hello", ["K_CONFIGURATION"] = "hello", ["K_REVISION"] = revision },
        ReadinessProbe = new Probe { HttpGet = new HttpGetAction { Path = "/healthz" }, PeriodSeconds = 0 },
        Resources = new ResourceRequirements { Limits = new() { ["cpu"] = "500m", ["memory"] = "128Mi" }, Requests = new() { ["cpu"] = "100m" } },
        TimeoutSeconds = 120,
        RevisionUid = "0b7e5d4e-uid",
    };

    public static string DeploymentName(string revision = "hello-00001", string ns = "default") => KubernetesNames.Deployment($"{ns}/{revision}");

    public async ValueTask DisposeAsync()
    {
        await StopDriverAsync();
        await Api.DisposeAsync();
    }

    /// <summary>Answers adoption questions from a table set by the test.</summary>
    internal sealed class ScriptedArbiter : IAdoptionArbiter
    {
        public Dictionary<string, AdoptionVerdict> Verdicts { get; } = [];

        public Task<AdoptionVerdict> DecideAsync(string revisionKey, CancellationToken cancellationToken) =>
            Task.FromResult(Verdicts.TryGetValue(revisionKey, out var v) ? v : AdoptionVerdict.Keep);
    }
}
