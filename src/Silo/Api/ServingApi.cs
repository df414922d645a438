using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Manifests;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Microsoft.Extensions.Options;
using KnRoute = Knative.Orleans.Contracts.Serving.Route;

namespace Knative.Orleans.Silo.Api;

/// <summary>
/// Knative Serving's REST paths (<c>/apis/serving.knative.dev/v1/namespaces/{ns}/...</c>): services, configurations and
/// routes (create, replace, patch, read, list, delete) and read-only revisions, over <see cref="IKnativeClient"/>.
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
        api.MapPatch("/services/{name}", PatchService).WithName("PatchService");
        api.MapDelete("/services/{name}", DeleteService).WithName("DeleteService");
        api.MapGet("/revisions", async (string ns, IKnativeClient c) => List("RevisionList", await c.ListRevisionsAsync(ns)));
        api.MapGet("/revisions/{name}", async (string ns, string name, IKnativeClient c) =>
            await c.GetRevisionAsync(ns, name) is { } r ? AdminResults.Object(r) : AdminResults.NotFound("revisions", name));
        api.MapGet("/revisions/{name}/log", GetRevisionLog).WithName("GetRevisionLog");
        MapResource(api, "configurations", "Configuration", Configurations);
        MapResource(api, "routes", "Route", Routes);
        api.MapMethods("/services", ["PATCH", "PUT", "DELETE"], MethodNotAllowed);
        api.MapMethods("/services/{name}", ["POST"], MethodNotAllowed);
        foreach (var path in new[] { "/revisions", "/revisions/{name}" })
        {
            api.MapMethods(path, ["PATCH", "POST", "PUT", "DELETE"], MethodNotAllowed);
        }

        return app;
    }

    private static readonly ResourceOps<Configuration> Configurations = new(
        c => c.Metadata, (c, m) => c with { Metadata = m, Status = null }, (k, ns, n) => k.GetConfigurationAsync(ns, n),
        (k, ns, c, mode) => k.ApplyConfigurationAsync(ns, c, mode, KnativeClient.DefaultUser), (k, ns, n) => k.DeleteConfigurationAsync(ns, n),
        (k, ns) => k.ListConfigurationsAsync(ns));

    private static readonly ResourceOps<KnRoute> Routes = new(
        r => r.Metadata, (r, m) => r with { Metadata = m, Status = null }, (k, ns, n) => k.GetRouteAsync(ns, n),
        (k, ns, r, mode) => k.ApplyRouteAsync(ns, r, mode, KnativeClient.DefaultUser), (k, ns, n) => k.DeleteRouteAsync(ns, n),
        (k, ns) => k.ListRoutesAsync(ns));

    private static readonly ResourceOps<Service> Services = new(
        s => s.Metadata, (s, m) => s with { Metadata = m, Status = null }, (k, ns, n) => k.GetServiceAsync(ns, n),
        (k, ns, s, mode) => k.ApplyServiceAsync(ns, s, mode, KnativeClient.DefaultUser), (k, ns, n) => k.DeleteServiceAsync(ns, n),
        (k, ns) => k.ListServicesAsync(ns));

    /// <summary>GET list/one, POST, PUT, PATCH, DELETE of one resource kind, with the services' conventions.</summary>
    private static void MapResource<T>(RouteGroupBuilder api, string plural, string kind, ResourceOps<T> ops)
        where T : class
    {
        api.MapGet("/" + plural, async (string ns, IKnativeClient c) => List(kind + "List", await ops.List(c, ns))).WithName("List" + kind + "s");
        api.MapPost("/" + plural, (string ns, HttpContext http, IKnativeClient c, IOptions<AdminOptions> o) =>
            CreateAsync(ns, http, c, o, ops)).WithName("Create" + kind);
        api.MapGet("/" + plural + "/{name}", async (string ns, string name, IKnativeClient c) =>
            await ops.Get(c, ns, name) is { } r ? AdminResults.Object(r) : AdminResults.NotFound(plural, name)).WithName("Get" + kind);
        api.MapPut("/" + plural + "/{name}", (string ns, string name, HttpContext http, IKnativeClient c, IOptions<AdminOptions> o) =>
            ReplaceAsync(ns, name, http, c, o, ops)).WithName("Replace" + kind);
        api.MapPatch("/" + plural + "/{name}", (string ns, string name, HttpContext http, IKnativeClient c, IOptions<AdminOptions> o) =>
            PatchAsync(ns, name, plural, http, c, o, ops)).WithName("Patch" + kind);
        api.MapDelete("/" + plural + "/{name}", async (string ns, string name, IKnativeClient c) =>
        {
            if (await ops.Delete(c, ns, name))
            {
                return AdminResults.Deleted(plural, name);
            }

            // A Service's own child exists but is changed (and deleted) only through the Service.
            return await ops.Get(c, ns, name) is null
                ? AdminResults.NotFound(plural, name)
                : AdminResults.Failure(StatusCodes.Status409Conflict, "Conflict",
                    $"{plural}.serving.knative.dev \"{name}\" is owned by Service \"{name}\": delete the Service instead");
        }).WithName("Delete" + kind);
        api.MapMethods("/" + plural, ["PATCH", "PUT", "DELETE"], MethodNotAllowed);
        api.MapMethods("/" + plural + "/{name}", ["POST"], MethodNotAllowed);
    }

    private static async Task<IResult> ListServices(string ns, IKnativeClient client) => List("ServiceList", await client.ListServicesAsync(ns));

    private static async Task<IResult> GetService(string ns, string name, IKnativeClient client) =>
        await client.GetServiceAsync(ns, name) is { } s ? AdminResults.Object(s) : AdminResults.NotFound("services", name);

    private static Task<IResult> CreateService(string ns, HttpContext context, IKnativeClient client, IOptions<AdminOptions> options) =>
        CreateAsync(ns, context, client, options, Services);

    private static Task<IResult> ReplaceService(string ns, string name, HttpContext context, IKnativeClient client, IOptions<AdminOptions> options) =>
        ReplaceAsync(ns, name, context, client, options, Services);

    private static Task<IResult> PatchService(string ns, string name, HttpContext context, IKnativeClient client, IOptions<AdminOptions> options) =>
        PatchAsync(ns, name, "services", context, client, options, Services);

    private static async Task<IResult> DeleteService(string ns, string name, IKnativeClient client) =>
        await client.DeleteServiceAsync(ns, name) ? AdminResults.Deleted("services", name) : AdminResults.NotFound("services", name);

    private static async Task<IResult> CreateAsync<T>(string ns, HttpContext context, IKnativeClient client, IOptions<AdminOptions> options, ResourceOps<T> ops)
        where T : class
    {
        var (value, error) = await AdminBody.ReadAsync<T>(context, options.Value.MaxRequestBodyBytes);
        if (error is not null)
        {
            return error;
        }

        var meta = ops.Meta(value!) ?? new ObjectMeta();
        if (string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName))
        {
            value = ops.WithMeta(value!, meta with { Name = meta.GenerateName + RandomSuffix() });
        }

        return Applied(await ops.Apply(client, ns, value!, ApplyMode.Create));
    }

    private static async Task<IResult> ReplaceAsync<T>(
        string ns, string name, HttpContext context, IKnativeClient client, IOptions<AdminOptions> options, ResourceOps<T> ops)
        where T : class
    {
        var (value, error) = await AdminBody.ReadAsync<T>(context, options.Value.MaxRequestBodyBytes);
        if (error is not null)
        {
            return error;
        }

        var meta = ops.Meta(value!) ?? new ObjectMeta();
        if (meta.Name != name)
        {
            return AdminResults.BadRequest($"the name of the object ({meta.Name}) does not match the name on the URL ({name})");
        }

        return Applied(await ops.Apply(client, ns, value!, ApplyMode.Replace));
    }

    /// <summary>
    /// PATCH: the stored object (without status) is patched with a JSON merge patch or a JSON patch and applied as a PUT
    /// (same validation, same errors). Other patch types get 415.
    /// </summary>
    private static async Task<IResult> PatchAsync<T>(
        string ns, string name, string plural, HttpContext context, IKnativeClient client, IOptions<AdminOptions> options, ResourceOps<T> ops)
        where T : class
    {
        var mediaType = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not (JsonPatches.MergePatch or JsonPatches.JsonPatch))
        {
            return AdminResults.Failure(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: {JsonPatches.JsonPatch}, {JsonPatches.MergePatch} (got \"{context.Request.ContentType}\")");
        }

        var (body, error) = await AdminBody.ReadBytesAsync(context, options.Value.MaxRequestBodyBytes);
        if (error is not null)
        {
            return error;
        }

        if (await ops.Get(client, ns, name) is not { } current)
        {
            return AdminResults.NotFound(plural, name);
        }

        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return AdminResults.BadRequest("the request body is malformed: " + e.Message);
        }

        var document = JsonSerializer.SerializeToNode(ops.WithMeta(current, ops.Meta(current)!), ManifestSerializer.JsonOptions);
        JsonNode? patched;
        if (mediaType == JsonPatches.MergePatch)
        {
            patched = JsonPatches.Merge(document, patch);
        }
        else if (!JsonPatches.TryApply(document, patch, out patched, out var patchError))
        {
            return AdminResults.Failure(StatusCodes.Status422UnprocessableEntity, "Invalid", "the patch could not be applied: " + patchError);
        }

        if (!ManifestSerializer.TryDeserialize<T>(Encoding.UTF8.GetBytes(patched?.ToJsonString() ?? ""), ManifestFormat.Json, out var value, out var readError)
            || value is null)
        {
            return AdminResults.BadRequest("the patched object is malformed: " + readError);
        }

        if (ops.Meta(value)?.Name != name)
        {
            return AdminResults.BadRequest($"the name of the object ({ops.Meta(value)?.Name}) does not match the name on the URL ({name})");
        }

        return Applied(await ops.Apply(client, ns, ops.WithMeta(value, ops.Meta(value)!), ApplyMode.Replace));
    }

    private static async Task<IResult> GetRevisionLog(string ns, string name, int? tailLines, IKnativeClient client)
    {
        if (tailLines is < 1)
        {
            return AdminResults.BadRequest($"tailLines = {tailLines}, must be at least 1");
        }

        var log = await client.GetRevisionLogsAsync(ns, name, tailLines ?? 200);
        return log is null ? AdminResults.NotFound("revisions", name) : Results.Text(log, "text/plain");
    }

    private static IResult Applied<T>(ApplyResult<T> result) => result.Outcome switch
    {
        ApplyOutcome.Created => AdminResults.Object(result.Value, StatusCodes.Status201Created),
        ApplyOutcome.Updated => AdminResults.Object(result.Value),
        ApplyOutcome.AlreadyExists => AdminResults.Failure(StatusCodes.Status409Conflict, "AlreadyExists", result.Message!),
        ApplyOutcome.NotFound => AdminResults.Failure(StatusCodes.Status404NotFound, "NotFound", result.Message!),
        ApplyOutcome.Conflict => AdminResults.Failure(StatusCodes.Status409Conflict, "Conflict", result.Message!),
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

/// <summary>How the generic handlers reach one resource kind.</summary>
internal sealed record ResourceOps<T>(
    Func<T, ObjectMeta?> Meta,
    Func<T, ObjectMeta, T> WithMeta,
    Func<IKnativeClient, string, string, Task<T?>> Get,
    Func<IKnativeClient, string, T, ApplyMode, Task<ApplyResult<T>>> Apply,
    Func<IKnativeClient, string, string, Task<bool>> Delete,
    Func<IKnativeClient, string, Task<IReadOnlyList<T>>> List)
    where T : class;

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
