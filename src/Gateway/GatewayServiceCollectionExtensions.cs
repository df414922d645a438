using Knative.Orleans.Gateway.Activation;
using Knative.Orleans.Gateway.Hosting;
using Knative.Orleans.Gateway.Ingress;
using Knative.Orleans.Gateway.Metrics;
using Knative.Orleans.Gateway.Proxy;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Throttling;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Utilities;

namespace Knative.Orleans.Gateway;

/// <summary>Registers the gateway in a host.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway's services and hosted services. The host must provide <see cref="IGrainFactory"/> (a silo or
    /// an Orleans client) unless an <see cref="IRoutingSource"/> is registered first. Reads <c>Gateway:*</c> and
    /// <c>Serving:Domain</c> and <c>Serving:TagHeaderBasedRouting</c>; options are validated at startup.
    /// </summary>
    public static IServiceCollection AddKnativeGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<GatewayOptions>()
            .Bind(configuration.GetSection(GatewayOptions.SectionName))
            .Configure(o =>
            {
                if (configuration["Serving:Domain"] is { Length: > 0 } domain)
                {
                    o.Domain = domain;
                }

                if (configuration["Serving:TagHeaderBasedRouting"] is { Length: > 0 } tagHeader)
                {
                    o.TagHeaderBasedRouting = tagHeader.Trim();
                }

                o.Domain = o.Domain.Trim().ToLowerInvariant();
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());

        // h2c with prior knowledge (gRPC) next to HTTP/1.1 on the same cleartext ports, whoever hosts the gateway.
        services.Configure<KestrelServerOptions>(k =>
        {
            k.AllowAlternateSchemes = true; // the scheme of an h2c request is its :scheme (see Http2PriorKnowledge)
            k.ConfigureEndpointDefaults(l => l.UseHttp2PriorKnowledge());
        });
        services.AddHttpForwarder();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IRandomFactory, SharedRandomFactory>();
        services.TryAddSingleton<IRoutingSource, OrleansRoutingSource>();
        services.TryAddSingleton<IMetricsSink, RoutingSourceMetricsSink>();

        services.TryAddSingleton<GatewayMembership>();
        services.TryAddSingleton<RouteCache>();
        services.TryAddSingleton<HostResolver>();
        services.TryAddSingleton<RouteSubscription>();
        services.TryAddSingleton<GatewayReadiness>();
        services.TryAddSingleton<InFlightTracker>();
        services.TryAddSingleton<ColdStartPoke>();
        services.TryAddSingleton<MetricsReporter>();
        services.TryAddSingleton<RevisionActivator>();
        services.TryAddSingleton<ThrottlerRegistry>();
        services.TryAddSingleton<ProxyHttpClient>();
        services.TryAddSingleton<DirectForwarder>();
        services.TryAddSingleton<HttpTransformer>(ForwardingTransformer.Instance);
        services.TryAddSingleton<RevisionProxy>();
        services.TryAddSingleton<GatewayRequestHandler>();
        services.AddOptions<BrokerIngressOptions>().Bind(configuration.GetSection(BrokerIngressOptions.Section))
            .Validate(o => o.MaxEventBytes >= 1, "Eventing:MaxEventBytes must be at least 1").ValidateOnStart();
        services.TryAddSingleton<IBrokerIngress, OrleansBrokerIngress>();
        services.TryAddSingleton<BrokerIngressHandler>();

        services.AddHostedService(sp => sp.GetRequiredService<RouteSubscription>());
        services.AddHostedService(sp => sp.GetRequiredService<MetricsReporter>());
        services.AddHostedService<GatewayReadinessService>();
        return services;
    }
}
