using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Knative.Orleans.Contracts.Client;

/// <summary>Registers <see cref="IKnativeClient"/>.</summary>
public static class KnativeClientExtensions
{
    /// <summary>
    /// Adds <see cref="IKnativeClient"/> on top of the <see cref="IGrainFactory"/> in the container (an Orleans client from
    /// <c>UseOrleansClient</c>, or a silo).
    /// </summary>
    public static IServiceCollection AddKnativeClient(this IServiceCollection services)
    {
        services.TryAddSingleton<IKnativeClient>(sp => new KnativeClient(sp.GetRequiredService<IGrainFactory>()));
        return services;
    }
}
