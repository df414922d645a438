namespace Knative.Orleans.E2E.Tests.Infrastructure;

/// <summary>One running platform shared by the tests of a collection; each test uses its own namespace and names.</summary>
public class PlatformFixture : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "kno-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public PlatformProcess Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = new PlatformProcess(_data);
        await Platform.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
