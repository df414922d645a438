namespace Knative.Orleans.Silo.Hosting;

/// <summary><c>GET /healthz</c> (the process answers) and <c>GET /readyz</c> (the silo is up and this listener serves).</summary>
public static class HealthEndpoints
{
    /// <summary>Maps both endpoints.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).WithName("Healthz");
        app.MapGet("/readyz", (PlatformReadiness readiness) =>
            readiness.IsReady ? Results.Text("ready") : Results.Text("not ready", statusCode: StatusCodes.Status503ServiceUnavailable))
            .WithName("Readyz");
        return app;
    }
}
