using Knative.Orleans.Gateway.Metrics;
using Knative.Orleans.Gateway.Routing;
using Knative.Orleans.Gateway.Tests.Fakes;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Knative.Orleans.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway's services without a web host (nothing started): for tests that drive one component, such as a
/// metrics tick, with the real wiring behind it.
/// </summary>
internal static class GatewayServices
{
    public static ServiceProvider Build(FakeRoutingSource source, FakeTimeProvider time, IMetricsSink? sink = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostApplicationLifetime, ApplicationLifetime>();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IRoutingSource>(source);
        if (sink is not null)
        {
            services.AddSingleton(sink);
        }

        configure?.Invoke(services);
        services.AddKnativeGateway(new ConfigurationBuilder().Build());
        return services.BuildServiceProvider();
    }
}
