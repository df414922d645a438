using Knative.Orleans.Grains.Autoscaling;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Grains.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Knative.Orleans.Grains.Tests;

/// <summary>One in-process silo with memory storage, a fake workload driver and a fake clock, shared by the grain tests.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public ClusterFixture()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("store");
            silo.Services.AddSingleton<IWorkloadDriver>(Driver);
            silo.Services.AddSingleton<IEventStore>(EventStore);
            silo.Services.AddSingleton<IEventDispatcher>(Dispatcher);
            silo.Services.AddSingleton<Knative.Orleans.Grains.Eventing.DecodedEventCache>();
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.Services.AddSingleton(Autoscaler);
            silo.Services.AddSingleton(Gc);
            silo.AddIncomingGrainCallFilter(OneWay);
            silo.Services.Configure<ServingOptions>(o => o.Domain = "example.com");
        });
        Cluster = builder.Build();
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public FakeWorkloadDriver Driver { get; } = new();

    /// <summary>Tells when a grain has processed a one-way call (Orleans does not order it before the caller's next call).</summary>
    public OneWayProbe OneWay { get; } = new();

    public InMemoryEventStore EventStore { get; } = new();

    public FakeEventDispatcher Dispatcher { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public AutoscalerConfig Autoscaler { get; } = AutoscalerConfig.Default with
    {
        StableWindow = TimeSpan.FromSeconds(6),
        ScaleToZeroGracePeriod = TimeSpan.FromSeconds(1),
    };

    /// <summary>Knative's config-gc defaults: nothing these tests make is ever old or numerous enough to be collected.</summary>
    public RevisionGcConfig Gc { get; init; } = RevisionGcConfig.Default;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
