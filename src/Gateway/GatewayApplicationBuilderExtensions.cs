using Microsoft.Extensions.Options;

namespace Knative.Orleans.Gateway;

/// <summary>Puts the gateway into a request pipeline.</summary>
public static class GatewayApplicationBuilderExtensions
{
    /// <summary>
    /// Sends every request that arrived on the port of <see cref="GatewayOptions.Url"/> to the gateway (terminal);
    /// requests on other ports continue down the pipeline, so a silo can serve its admin API from the same app.
    /// Kestrel must listen on that URL (the host's job, e.g. <c>UseUrls</c> or <c>Listen</c>).
    /// </summary>
    public static IApplicationBuilder UseKnativeGateway(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var port = app.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value.Port;
        var handler = app.ApplicationServices.GetRequiredService<GatewayRequestHandler>();
        return app.MapWhen(
            context => context.Connection.LocalPort == port,
            gateway => gateway.Run(handler.HandleAsync));
    }
}
