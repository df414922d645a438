using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Drivers.Kubernetes;

/// <summary>Registers the Kubernetes workload driver.</summary>
public static class KubernetesDriverExtensions
{
    /// <summary>
    /// Registers <see cref="KubernetesDriver"/> as the singleton <see cref="IWorkloadDriver"/> and as a hosted service
    /// (adopts existing Deployments and watches pods), with <see cref="KubernetesDriverOptions"/> validated at startup and
    /// adoption decided by the revision grains (<see cref="GrainAdoptionArbiter"/>). An <see cref="IWorkloadStatusSink"/>
    /// must be registered separately.
    /// </summary>
    public static IServiceCollection AddKubernetesDriver(this IServiceCollection services, Action<KubernetesDriverOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<KubernetesDriverOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KubernetesDriverOptions>, KubernetesDriverOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAdoptionArbiter>(sp => new GrainAdoptionArbiter(sp.GetRequiredService<IGrainFactory>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KubernetesDriverOptions>>();
            return new KubernetesDriver(options, new k8s.Kubernetes(KubernetesConnection.Build(options.Value)),
                sp.GetRequiredService<IWorkloadStatusSink>(), sp.GetRequiredService<ILogger<KubernetesDriver>>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IAdoptionArbiter>());
        });
        services.AddSingleton<IWorkloadDriver>(sp => sp.GetRequiredService<KubernetesDriver>());
        services.AddHostedService(sp => sp.GetRequiredService<KubernetesDriver>());
        return services;
    }
}
