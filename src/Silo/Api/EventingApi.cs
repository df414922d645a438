using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Api;

/// <summary>
/// Knative Eventing's REST paths (<c>/apis/eventing.knative.dev/v1/namespaces/{ns}/brokers|triggers[/{name}]</c>): create
/// (POST 201/409), replace (PUT), read, list (<c>BrokerList</c>/<c>TriggerList</c>) and delete, with Kubernetes Status errors.
/// </summary>
public static class EventingApi
{
    private const string Prefix = "/apis/eventing.knative.dev/v1/namespaces/{ns}";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapEventingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).AddEndpointFilter(ValidateNamespace);
        Map(api, "brokers", "Broker", (g, key) => g.GetGrain<IBrokerGrain>(key).GetAsync(), (g, key) => g.GetGrain<IBrokerGrain>(key).DeleteAsync(),
            (g, key, b, mode) => g.GetGrain<IBrokerGrain>(key).ApplyAsync(b, mode, KnativeClient.DefaultUser), b => b.Metadata);
        Map(api, "triggers", "Trigger", (g, key) => g.GetGrain<ITriggerGrain>(key).GetAsync(), (g, key) => g.GetGrain<ITriggerGrain>(key).DeleteAsync(),
            (g, key, t, mode) => g.GetGrain<ITriggerGrain>(key).ApplyAsync(t, mode, KnativeClient.DefaultUser), t => t.Metadata);
        return app;
    }

    private static void Map<T>(RouteGroupBuilder api, string plural, string kind, Func<IGrainFactory, string, Task<T?>> get,
        Func<IGrainFactory, string, Task<bool>> delete, Func<IGrainFactory, string, T, ApplyMode, Task<ApplyResult<T>>> apply,
        Func<T, ObjectMeta?> metadata)
        where T : class
    {
        var index = (IGrainFactory g, string ns) => g.GetGrain<IResourceIndexGrain>(plural + "/" + ns);
        api.MapGet("/" + plural, async (string ns, IGrainFactory g) =>
        {
            var names = await index(g, ns).ListAsync();
            var items = await Task.WhenAll(names.Select(n => get(g, KnativeClient.Key(ns, n))));
            return AdminResults.Object(new ResourceList<T> { ApiVersion = EventingNames.ApiVersion, Kind = kind + "List", Items = items.OfType<T>().ToList() });
        }).WithName("List" + kind + "s");
        api.MapGet("/" + plural + "/{name}", async (string ns, string name, IGrainFactory g) =>
            await get(g, KnativeClient.Key(ns, name)) is { } value ? AdminResults.Object(value) : NotFound(plural, name))
            .WithName("Get" + kind);
        api.MapDelete("/" + plural + "/{name}", async (string ns, string name, IGrainFactory g) =>
        {
            var existed = await delete(g, KnativeClient.Key(ns, name));
            await index(g, ns).RemoveAsync(name);
            if (plural == "triggers")
            {
                await g.GetGrain<IResourceIndexGrain>(EventingNames.AllTriggersIndexKey).RemoveAsync(KnativeClient.Key(ns, name));
            }

            return existed ? AdminResults.Deleted(plural, name, EventingNames.Group) : NotFound(plural, name);
        }).WithName("Delete" + kind);
        api.MapPost("/" + plural, (string ns, HttpContext c, IGrainFactory g, IOptions<AdminOptions> o) => Apply(ns, null, c, g, o, ApplyMode.Create))
            .WithName("Create" + kind);
        api.MapPut("/" + plural + "/{name}", (string ns, string name, HttpContext c, IGrainFactory g, IOptions<AdminOptions> o) =>
            Apply(ns, name, c, g, o, ApplyMode.Replace)).WithName("Replace" + kind);
        api.MapMethods("/" + plural, ["PATCH", "PUT", "DELETE"], MethodNotAllowed);
        api.MapMethods("/" + plural + "/{name}", ["PATCH", "POST"], MethodNotAllowed);

        async Task<IResult> Apply(string ns, string? urlName, HttpContext context, IGrainFactory g, IOptions<AdminOptions> options, ApplyMode mode)
        {
            var (value, error) = await AdminBody.ReadAsync<T>(context, options.Value.MaxRequestBodyBytes);
            if (error is not null)
            {
                return error;
            }

            var meta = metadata(value!) ?? new ObjectMeta();
            if (urlName is not null && meta.Name != urlName)
            {
                return AdminResults.BadRequest($"the name of the object ({meta.Name}) does not match the name on the URL ({urlName})");
            }

            if (meta.Namespace is { Length: > 0 } declared && declared != ns)
            {
                return AdminResults.BadRequest($"the namespace of the provided object ({declared}) does not match the namespace sent on the request ({ns})");
            }

            if (string.IsNullOrEmpty(meta.Name))
            {
                return AdminResults.BadRequest("validation failed: missing field(s): metadata.name");
            }

            // Index first: a crash between the two leaves a name that listers skip, never an unlisted object.
            await index(g, ns).AddAsync(meta.Name);
            if (plural == "triggers")
            {
                await g.GetGrain<IResourceIndexGrain>(EventingNames.AllTriggersIndexKey).AddAsync(KnativeClient.Key(ns, meta.Name));
            }

            var result = await apply(g, KnativeClient.Key(ns, meta.Name), value!, mode);
            return result.Outcome switch
            {
                ApplyOutcome.Created => AdminResults.Object(result.Value, StatusCodes.Status201Created),
                ApplyOutcome.Updated => AdminResults.Object(result.Value),
                ApplyOutcome.AlreadyExists => AdminResults.Failure(StatusCodes.Status409Conflict, "AlreadyExists", result.Message!, plural, meta.Name, EventingNames.Group),
                _ => AdminResults.BadRequest(result.Message!),
            };
        }
    }

    private static IResult NotFound(string plural, string name) => AdminResults.NotFound(plural, name, EventingNames.Group);

    private static IResult MethodNotAllowed(HttpContext context) => AdminResults.Failure(StatusCodes.Status405MethodNotAllowed,
        "MethodNotAllowed", $"the server does not allow this method on the requested resource ({context.Request.Method})");

    private static async ValueTask<object?> ValidateNamespace(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var ns = context.HttpContext.GetRouteValue("ns") as string ?? "";
        var errors = ServiceValidation.ValidateNamespace(ns);
        return errors.IsEmpty ? await next(context) : AdminResults.BadRequest($"invalid namespace \"{ns}\": {errors}");
    }
}
