using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Grains.Serving;
using Knative.Orleans.Silo.Drivers.Kubernetes;
using Knative.Orleans.Silo.Drivers.Local;
using Knative.Orleans.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Tests.Drivers.Kubernetes;

/// <summary><c>Runtime:Kind</c> picks the driver (local by default); <c>Cluster:Kubernetes</c> is checked at start.</summary>
public sealed class RuntimeSelectionTests
{
    [Theory]
    [InlineData(null, typeof(LocalProcessDriver), true)]
    [InlineData("local", typeof(LocalProcessDriver), true)]
    [InlineData("Kubernetes", typeof(KubernetesDriver), false)]
    public async Task Runtime_kind_selects_the_workload_driver(string? kind, Type driver, bool localValidation)
    {
        await using var provider = Build(new() { ["Runtime:Kind"] = kind, ["Kubernetes:Host"] = "http://127.0.0.1:1", ["Kubernetes:Namespace"] = "kn" });

        Assert.IsType(driver, provider.GetRequiredService<IWorkloadDriver>());
        Assert.Equal(localValidation, provider.GetRequiredService<IOptions<ServingOptions>>().Value.LocalProcessRuntime);
        _ = provider.GetRequiredService<IOptions<RuntimeSelection.RuntimeCheck>>().Value; // valid
    }

    [Theory]
    [InlineData("Runtime:Kind", "docker", "Runtime:Kind = docker, must be local or kubernetes")]
    [InlineData("Cluster:Kubernetes", "maybe", "Cluster:Kubernetes = maybe, must be true or false (or unset: detected)")]
    public async Task Invalid_values_fail_at_start_with_the_key(string key, string value, string message)
    {
        await using var provider = Build(new() { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RuntimeSelection.RuntimeCheck>>().Value);
        Assert.Contains(message, error.Failures);
    }

    [Fact]
    public void Kubernetes_hosting_is_explicit_or_detected_from_the_pod_environment()
    {
        Assert.True(RuntimeSelection.KubernetesHosting(Config(new() { ["Cluster:Kubernetes"] = "true" })));
        Assert.False(RuntimeSelection.KubernetesHosting(Config(new() { ["Cluster:Kubernetes"] = "false" })));
        // No POD_NAME/POD_NAMESPACE/KUBERNETES_SERVICE_HOST in the test environment: off.
        Assert.Null(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));
        Assert.False(RuntimeSelection.KubernetesHosting(Config([])));
    }

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IWorkloadStatusSink>(new RecordingSink());
        services.AddSingleton<IAdoptionArbiter>(new KubernetesDriverHarness.ScriptedArbiter());
        var configuration = Config(values);
        var (platform, errors) = PlatformConfiguration.Read(configuration);
        Assert.True(platform is not null, string.Join("; ", errors));
        services.AddWorkloadDriver(configuration, platform);
        return services.BuildServiceProvider();
    }
}
