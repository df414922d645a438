using System.Net;
using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Gateway;
using Knative.Orleans.Grains.Eventing;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Grains.Serving;
using Knative.Orleans.Silo.Api;
using Knative.Orleans.Silo.Drivers.Local;
using Knative.Orleans.Silo.Eventing;
using Knative.Orleans.Silo.Storage;
using Orleans.Configuration;

namespace Knative.Orleans.Silo.Hosting;

/// <summary>Composition of the all-in-one platform: silo, embedded storage, local driver, admin API and gateway.</summary>
public static partial class PlatformExtensions
{
    /// <summary>Registers everything on the embedded default.</summary>
    public static WebApplicationBuilder AddKnativePlatform(this WebApplicationBuilder builder, PlatformConfiguration config)
    {
        var services = builder.Services;
        builder.WebHost.UseUrls(config.GatewayUrl.ToString(), config.AdminUrl.ToString());
        // The data plane streams bodies of any size; the admin API enforces Admin:MaxRequestBodyBytes itself.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = config.ShutdownTimeout);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(config);
        services.AddSingleton(config.Autoscaler);
        services.Configure<AdminOptions>(builder.Configuration.GetSection(AdminOptions.Section));
        services.Configure<ServingOptions>(builder.Configuration.GetSection(ServingOptions.Section));
        services.AddSingleton<PlatformReadiness>();
        services.AddSingleton<IWorkloadStatusSink, GrainWorkloadStatusSink>();
        services.AddLocalProcessDriver(o =>
        {
            o.WorkingDirectory = Environment.CurrentDirectory;
            builder.Configuration.GetSection("LocalDriver").Bind(o);
            o.DataPath = config.StoragePath;
        });
        services.AddKnativeClient();
        services.AddKnativeGateway(builder.Configuration);
        services.AddHostedService<PendingRevisionsResumer>();
        services.AddOptions<EventingOptions>().Bind(builder.Configuration.GetSection(EventingOptions.Section))
            .Validate(o => o.ResyncPeriod > TimeSpan.Zero, "Eventing:ResyncPeriod must be positive (e.g. 00:00:10)")
            .Validate(o => o.ReadBatchSize is >= 1 and <= 10_000, "Eventing:ReadBatchSize must be in [1; 10000]")
            .ValidateOnStart();
        services.PostConfigure<EventingOptions>(o => o.IngressBaseUrl = config.GatewayUrl.ToString().TrimEnd('/'));
        services.AddSingleton<IEventStore>(new SqliteEventStore(config.StoragePath));
        services.AddSingleton<IEventDispatcher, HttpEventDispatcher>();
        services.AddHostedService<TriggersResumer>();

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(config.SiloPort, config.OrleansGatewayPort, serviceId: config.ServiceId, clusterId: config.ClusterId);
            silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
            silo.Configure<GrainCollectionOptions>(o =>
            {
                // Orleans wants the scan period (quantum, default 1 min) below the age; a short age gets a short quantum.
                o.CollectionAge = config.GrainCollectionAge;
                o.CollectionQuantum = TimeSpan.FromTicks(Math.Min(o.CollectionQuantum.Ticks, config.GrainCollectionAge.Ticks / 2));
            });
            silo.AddSqliteGrainStorage("store", o => o.Path = config.StoragePath);
            silo.AddSqliteResourceIndex("store");
            silo.UseSystemTextJsonGrainStorageSerializer();
        });
        return builder;
    }

    /// <summary>Builds the request pipeline: the gateway branch first (by port), then the authenticated admin API.</summary>
    public static WebApplication MapKnativePlatform(this WebApplication app)
    {
        app.Services.GetRequiredService<PlatformReadiness>().Attach(app.Lifetime);
        app.UseKnativeGateway();
        app.UseMiddleware<AdminAuthMiddleware>();
        app.MapHealthEndpoints();
        app.MapServingApi();
        app.MapEventingApi();
        app.MapFallback((HttpContext c) => AdminResults.Failure(StatusCodes.Status404NotFound, "NotFound",
            "the server could not find the requested resource"));
        return app;
    }
}
