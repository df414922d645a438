using Knative.Orleans.Grains.Autoscaling;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Grains.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>
/// A silo whose grain storage counts reads and writes (<see cref="CountingGrainStorage"/>) and that allows
/// initial-scale 0 (bench/control-plane's services), for the cost of a create.
/// </summary>
public sealed class CreateCostFixture : IAsyncLifetime
{
    public CreateCostFixture()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("memory");
            silo.Services.AddKeyedSingleton<IGrainStorage>("store", (services, _) =>
                Storage ??= new CountingGrainStorage(services.GetRequiredKeyedService<IGrainStorage>("memory")));
            silo.Services.AddSingleton<IWorkloadDriver>(Driver);
            silo.Services.AddSingleton<IEventStore>(new InMemoryEventStore());
            silo.Services.AddSingleton<IEventDispatcher>(new FakeEventDispatcher());
            silo.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero)));
            silo.Services.AddSingleton(AutoscalerConfig.Default with { AllowZeroInitialScale = true });
            silo.Services.AddSingleton(RevisionGcConfig.Default);
            silo.Services.Configure<ServingOptions>(o => o.Domain = "example.com");
        });
        Cluster = builder.Build();
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public FakeWorkloadDriver Driver { get; } = new();

    /// <summary>The silo's grain storage (set when the silo first resolves it).</summary>
    public CountingGrainStorage? Storage { get; private set; }

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class CreateCostCollection : ICollectionFixture<CreateCostFixture>
{
    public const string Name = "create-cost";
}
