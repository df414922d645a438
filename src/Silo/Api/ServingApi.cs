using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Api;

/// <summary>
/// Knative Serving's REST paths (<c>/apis/serving.knative.dev/v1/namespaces/{ns}/...</c>): services (create, replace,
/// read, list, delete) and read-only revisions, configurations and routes, over <see cref="IKnativeClient"/>.
/// </summary>
public static class ServingApi
{
    private const string Prefix = "/apis/serving.knative.dev/v1/namespaces/{ns}";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapServingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).AddEndpointFilter(ValidateNamespace);
        api.MapGet("/services", ListServices).WithName("ListServices");
        api.MapPost("/services", CreateService).WithName("CreateService");
        api.MapGet("/services/{name}", GetService).WithName("GetService");
        api.MapPut("/services/{name}", ReplaceService).WithName("ReplaceService");
        api.MapDelete("/services/{name}", DeleteService).WithName("DeleteService");
        api.MapGet("/revisions", async (string ns, IKnativeClient c) => List("RevisionList", await c.ListRevisionsAsync(ns)));
        api.MapGet("/revisions/{name}", async (string ns, string name, IKnativeClient c) =>
            await c.GetRevisionAsync(ns, name) is { } r ? AdminResults.Object(r) : AdminResults.NotFound("revisions", name));
        api.MapGet("/revisions/{name}/log", GetRevisionLog).WithName("GetRevisionLog");
        api.MapGet("/configurations", async (string ns, IKnativeClient c) => List("ConfigurationList", await c.ListConfigurationsAsync(ns)));
        api.MapGet("/configurations/{name}", async (string ns, string name, IKnativeClient c) =>
            await c.GetConfigurationAsync(ns, name) is { } r ? AdminResults.Object(r) : AdminResults.NotFound("configurations", name));
        api.MapGet("/routes", async (string ns, IKnativeClient c) => List("RouteList", await c.ListRoutesAsync(ns)));
        api.MapGet("/routes/{name}", async (string ns, string name, IKnativeClient c) =>
            await c.GetRouteAsync(ns, name) is { } r ? AdminResults.Object(r) : AdminResults.NotFound("routes", name));
        api.MapMethods("/services", ["PATCH", "PUT", "DELETE"], MethodNotAllowed);
        api.MapMethods("/services/{name}", ["PATCH", "POST"], MethodNotAllowed);
        foreach (var path in new[] { "/revisions", "/revisions/{name}", "/configurations", "/configurations/{name}", "/routes", "/routes/{name}" })
        {
            api.MapMethods(path, ["PATCH", "POST", "PUT", "DELETE"], MethodNotAllowed);
        }

        return app;
    }

    private static async Task<IResult> ListServices(string ns, IKnativeClient client) => List("ServiceList", await client.ListServicesAsync(ns));

    private static async Task<IResult> GetService(string ns, string name, IKnativeClient client) =>
        await client.GetServiceAsync(ns, name) is { } s ? AdminResults.Object(s) : AdminResults.NotFound("services", name);

    private static async Task<IResult> CreateService(string ns, HttpContext context, IKnativeClient client, IOptions<AdminOptions> options)
    {
        var (service, error) = await AdminBody.ReadAsync<Service>(context, options.Value.MaxRequestBodyBytes);
        if (error is not null)
        {
            return error;
        }

        var meta = service!.Metadata ?? new ObjectMeta();
        if (string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName))
        {
            service = service with { Metadata = meta with { Name = meta.GenerateName + RandomSuffix() } };
        }

        return Applied(await client.ApplyServiceAsync(ns, service, ApplyMode.Create, KnativeClient.DefaultUser, context.RequestAborted));
    }

    private static async Task<IResult> ReplaceService(string ns, string name, HttpContext context, IKnativeClient client, IOptions<AdminOptions> options)
    {
        var (service, error) = await AdminBody.ReadAsync<Service>(context, options.Value.MaxRequestBodyBytes);
        if (error is not null)
        {
            return error;
        }

        var meta = service!.Metadata ?? new ObjectMeta();
        if (meta.Name != name)
        {
            return AdminResults.BadRequest($"the name of the object ({meta.Name}) does not match the name on the URL ({name})");
        }

        return Applied(await client.ApplyServiceAsync(ns, service, ApplyMode.Replace, KnativeClient.DefaultUser, context.RequestAborted));
    }

    private static async Task<IResult> DeleteService(string ns, string name, IKnativeClient client) =>
        await client.DeleteServiceAsync(ns, name) ? AdminResults.Deleted("services", name) : AdminResults.NotFound("services", name);

    private static async Task<IResult> GetRevisionLog(string ns, string name, int? tailLines, IKnativeClient client)
    {
        if (tailLines is < 1)
        {
            return AdminResults.BadRequest($"tailLines = {tailLines}, must be at least 1");
        }

        var log = await client.GetRevisionLogsAsync(ns, name, tailLines ?? 200);
        return log is null ? AdminResults.NotFound("revisions", name) : Results.Text(log, "text/plain");
    }

    private static IResult Applied(ApplyResult<Service> result) => result.Outcome switch
    {
        ApplyOutcome.Created => AdminResults.Object(result.Value, StatusCodes.Status201Created),
        ApplyOutcome.Updated => AdminResults.Object(result.Value),
        ApplyOutcome.AlreadyExists => AdminResults.Failure(StatusCodes.Status409Conflict, "AlreadyExists", result.Message!),
        ApplyOutcome.NotFound => AdminResults.Failure(StatusCodes.Status404NotFound, "NotFound", result.Message!),
        _ => AdminResults.BadRequest(result.Message!),
    };

    private static IResult List<T>(string kind, IReadOnlyList<T> items) => AdminResults.Object(new ResourceList<T>
    {
        Kind = kind,
        Items = items,
    });

    private static IResult MethodNotAllowed(HttpContext context) => AdminResults.Failure(StatusCodes.Status405MethodNotAllowed,
        "MethodNotAllowed", $"the server does not allow this method on the requested resource ({context.Request.Method})");

    private static async ValueTask<object?> ValidateNamespace(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var ns = context.HttpContext.GetRouteValue("ns") as string ?? "";
        var errors = ServiceValidation.ValidateNamespace(ns);
        return errors.IsEmpty ? await next(context) : AdminResults.BadRequest($"invalid namespace \"{ns}\": {errors}");
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789"; // Kubernetes' generateName alphabet
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}

/// <summary>A Kubernetes list (<c>kind: ServiceList</c>, <c>items</c>).</summary>
public sealed record ResourceList<T>
{
    /// <summary>API version.</summary>
    public string ApiVersion { get; init; } = "serving.knative.dev/v1";

    /// <summary>List kind.</summary>
    public required string Kind { get; init; }

    /// <summary>List metadata.</summary>
    public Dictionary<string, string> Metadata { get; init; } = [];

    /// <summary>The items.</summary>
    public required IReadOnlyList<T> Items { get; init; }
}
