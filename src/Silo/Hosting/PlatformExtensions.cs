using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Gateway;
using Knative.Orleans.Gateway.Hosting;
using Knative.Orleans.Grains.Eventing;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Grains.Serving;
using Knative.Orleans.Silo.Api;
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
        builder.WebHost.UseUrls(config.GatewayEnabled ? [config.GatewayUrl.ToString(), config.AdminUrl.ToString()] : [config.AdminUrl.ToString()]);
        // The data plane streams bodies of any size; the admin API enforces Admin:MaxRequestBodyBytes itself.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        if (config.InlineScheduling)
        {
            builder.WebHost.UseInlineScheduling();
        }
        services.Configure<HostOptions>(o => o.ShutdownTimeout = config.ShutdownTimeout);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(config);
        services.AddSingleton(config.Autoscaler);
        services.AddSingleton(config.Gc);
        services.Configure<AdminOptions>(builder.Configuration.GetSection(AdminOptions.Section));
        services.Configure<ServingOptions>(builder.Configuration.GetSection(ServingOptions.Section));
        services.AddSingleton<PlatformReadiness>();
        services.AddSingleton<IWorkloadStatusSink, GrainWorkloadStatusSink>();
        services.AddWorkloadDriver(builder.Configuration, config); // Runtime:Kind (RuntimeSelection)
        services.AddKnativeClient();
        if (config.GatewayEnabled)
        {
            services.AddKnativeGateway(builder.Configuration);
        }

        services.AddSingleton<PendingRevisionsResumer>();
        services.AddOptions<EventingOptions>().Bind(builder.Configuration.GetSection(EventingOptions.Section))
            .Validate(o => o.ResyncPeriod > TimeSpan.Zero, "Eventing:ResyncPeriod must be positive (e.g. 00:00:10)")
            .Validate(o => o.ReadBatchSize is >= 1 and <= 10_000, "Eventing:ReadBatchSize must be in [1; 10000]")
            .Validate(o => o.DeliveryParallelism is >= 1 and <= TriggerDeliveryAnnotations.MaxParallelism, "Eventing:DeliveryParallelism must be in [1; 1000]")
            .Validate(o => o.CompactionPeriod > TimeSpan.Zero, "Eventing:CompactionPeriod must be positive (e.g. 00:00:30)")
            .Validate(o => o.RetentionMaxEvents >= 1, "Eventing:RetentionMaxEvents must be at least 1")
            .ValidateOnStart();
        services.PostConfigure<EventingOptions>(o => o.IngressBaseUrl = config.GatewayUrl.ToString().TrimEnd('/'));
        // The event store: Redis Streams when Redis:ConnectionString is set, else the embedded SQLite file.
        var redis = builder.Configuration["Redis:ConnectionString"];
        services.AddSingleton<IEventStore>(_ => string.IsNullOrWhiteSpace(redis)
            ? new SqliteEventStore(config.StoragePath)
            : new RedisEventStore(redis, config.ServiceId));
        services.AddSingleton<DecodedEventCache>();
        services.AddSingleton<IEventDispatcher, HttpEventDispatcher>();
        services.AddSingleton<TriggersResumer>();
        services.AddHostedService<ResumeService>();

        builder.UseOrleans(silo =>
        {
            silo.UsePlatformClustering(config);
            silo.AddPlatformStorage(config);
            silo.AddIncomingGrainCallFilter<StorageFailureFilter>();
            silo.Configure<GrainCollectionOptions>(o =>
            {
                // Orleans wants the scan period (quantum, default 1 min) below the age; a short age gets a short quantum.
                o.CollectionAge = config.GrainCollectionAge;
                o.CollectionQuantum = TimeSpan.FromTicks(Math.Min(o.CollectionQuantum.Ticks, config.GrainCollectionAge.Ticks / 2));
            });
            if (RuntimeSelection.KubernetesHosting(builder.Configuration) == true)
            {
                silo.UseKubernetesHosting(); // Cluster:Kubernetes (RuntimeSelection)
            }
        });
        return builder;
    }

    /// <summary>Builds the request pipeline: the gateway branch first (by port), then the authenticated admin API.</summary>
    public static WebApplication MapKnativePlatform(this WebApplication app)
    {
        app.Services.GetRequiredService<PlatformReadiness>().Attach(app.Lifetime);
        if (app.Services.GetRequiredService<PlatformConfiguration>().GatewayEnabled)
        {
            app.UseKnativeGateway();
        }

        // Explicit, after the gateway branch: otherwise WebApplication puts endpoint routing first and every data-plane
        // request is matched against the admin API's routes.
        app.UseRouting();
        app.UseMiddleware<AdminAuthMiddleware>();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (TransientFailures.IsTransient(e) && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                // A silo being declared dead, or Redis restarting: nothing was acknowledged, the client retries.
                context.Response.Clear();
                await AdminResults.Failure(StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable",
                    "the platform is temporarily unavailable (" + e.GetBaseException().GetType().Name + "); retry").ExecuteAsync(context);
            }
        });
        app.MapHealthEndpoints();
        app.MapServingApi();
        app.MapEventingApi();
        app.MapDomainMappingApi();
        app.MapFallback((HttpContext c) => AdminResults.Failure(StatusCodes.Status404NotFound, "NotFound",
            "the server could not find the requested resource"));
        return app;
    }
}
