using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Drivers.Local;

/// <summary>Registers the local-process workload driver.</summary>
public static class LocalProcessDriverExtensions
{
    /// <summary>
    /// Registers <see cref="LocalProcessDriver"/> as the singleton <see cref="IWorkloadDriver"/> and as a hosted service
    /// (reaps leftovers on start, stops every workload on shutdown), with <see cref="LocalDriverOptions"/> validated at
    /// startup. An <see cref="IWorkloadStatusSink"/> must be registered separately. Call it before <c>UseOrleans</c>, so
    /// the driver starts before the silo and stops after it.
    /// </summary>
    public static IServiceCollection AddLocalProcessDriver(this IServiceCollection services, Action<LocalDriverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<LocalDriverOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalDriverOptions>, LocalDriverOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LocalProcessDriver>();
        services.AddSingleton<IWorkloadDriver>(sp => sp.GetRequiredService<LocalProcessDriver>());
        services.AddHostedService(sp => sp.GetRequiredService<LocalProcessDriver>());
        return services;
    }
}
