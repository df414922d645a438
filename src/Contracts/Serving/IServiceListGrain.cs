namespace Knative.Orleans.Contracts.Serving;

/// <summary>
/// Lists the services of a namespace (and their Configuration and Route views) from storage, without activating their
/// grains: listing 100,000 idle services must not wake 100,000 grains. Key: the namespace.
/// </summary>
[Alias("kn.IServiceListGrain")]
public interface IServiceListGrain : IGrainWithStringKey
{
    /// <summary>The services, sorted by name.</summary>
    [Alias("ListServices")]
    Task<Service[]> ListServicesAsync();

    /// <summary>The services' Configuration views, sorted by name.</summary>
    [Alias("ListConfigurations")]
    Task<Configuration[]> ListConfigurationsAsync();

    /// <summary>The services' Route views, sorted by name.</summary>
    [Alias("ListRoutes")]
    Task<Route[]> ListRoutesAsync();
}
