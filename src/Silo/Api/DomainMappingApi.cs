using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Api;

/// <summary>
/// DomainMappings (<c>/apis/serving.knative.dev/v1beta1/namespaces/{ns}/domainmappings[/{name}]</c>): create (POST
/// 201/409), replace (PUT 201/200), read (with a fresh status), list (<c>DomainMappingList</c>) and delete (the host
/// is released and answers 404), with Kubernetes Status errors and Knative's validation messages.
/// </summary>
public static class DomainMappingApi
{
    private const string Prefix = "/apis/serving.knative.dev/v1beta1/namespaces/{ns}";
    private const string Plural = "domainmappings";

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapDomainMappingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix).AddEndpointFilter(ValidateNamespace);
        api.MapGet("/" + Plural, List).WithName("ListDomainMappings");
        api.MapGet("/" + Plural + "/{name}", async (string ns, string name, IGrainFactory g) =>
            await Grain(g, ns, name).GetAsync() is { } m ? AdminResults.Object(m) : AdminResults.NotFound(Plural, name))
            .WithName("GetDomainMapping");
        api.MapPost("/" + Plural, (string ns, HttpContext c, IGrainFactory g, IOptions<AdminOptions> o) => Apply(ns, null, c, g, o, ApplyMode.Create))
            .WithName("CreateDomainMapping");
        api.MapPut("/" + Plural + "/{name}", (string ns, string name, HttpContext c, IGrainFactory g, IOptions<AdminOptions> o) =>
            Apply(ns, name, c, g, o, ApplyMode.Replace)).WithName("ReplaceDomainMapping");
        api.MapDelete("/" + Plural + "/{name}", Delete).WithName("DeleteDomainMapping");
        api.MapMethods("/" + Plural, ["PATCH", "PUT", "DELETE"], MethodNotAllowed);
        api.MapMethods("/" + Plural + "/{name}", ["PATCH", "POST"], MethodNotAllowed);
        return app;
    }

    private static IDomainMappingGrain Grain(IGrainFactory grains, string ns, string name) =>
        grains.GetGrain<IDomainMappingGrain>(KnativeClient.Key(ns, name));

    private static IResourceIndexGrain Index(IGrainFactory grains, string ns) => grains.GetGrain<IResourceIndexGrain>(Plural + "/" + ns);

    private static async Task<IResult> List(string ns, IGrainFactory grains)
    {
        var names = await Index(grains, ns).ListAsync();
        var items = await Task.WhenAll(names.Select(n => Grain(grains, ns, n).GetAsync()));
        return AdminResults.Object(new ResourceList<DomainMapping>
        {
            ApiVersion = DomainMapping.V1Beta1,
            Kind = "DomainMappingList",
            Items = items.OfType<DomainMapping>().ToList(),
        });
    }

    private static async Task<IResult> Delete(string ns, string name, IGrainFactory grains)
    {
        var existed = await Grain(grains, ns, name).DeleteAsync();
        await Index(grains, ns).RemoveAsync(name);
        return existed ? AdminResults.Deleted(Plural, name) : AdminResults.NotFound(Plural, name);
    }

    private static async Task<IResult> Apply(string ns, string? urlName, HttpContext context, IGrainFactory grains, IOptions<AdminOptions> options, ApplyMode mode)
    {
        var (mapping, error) = await AdminBody.ReadAsync<DomainMapping>(context, options.Value.MaxRequestBodyBytes);
        if (error is not null)
        {
            return error;
        }

        var meta = mapping!.Metadata ?? new ObjectMeta();
        if (urlName is not null && meta.Name != urlName)
        {
            return AdminResults.BadRequest($"the name of the object ({meta.Name}) does not match the name on the URL ({urlName})");
        }

        if (meta.Namespace is { Length: > 0 } declared && declared != ns)
        {
            return AdminResults.BadRequest($"the namespace of the provided object ({declared}) does not match the namespace sent on the request ({ns})");
        }

        // Validated before the name is indexed (the grain validates again: it is the authority).
        var errors = DomainMappingValidation.Validate(mapping, ns);
        if (!errors.IsEmpty)
        {
            return AdminResults.BadRequest("validation failed: " + errors);
        }

        // Index first: a crash between the two leaves a name that listers skip, never an unlisted object.
        await Index(grains, ns).AddAsync(meta.Name!);
        var result = await Grain(grains, ns, meta.Name!).ApplyAsync(mapping, mode, KnativeClient.DefaultUser);
        return result.Outcome switch
        {
            ApplyOutcome.Created => AdminResults.Object(result.Value, StatusCodes.Status201Created),
            ApplyOutcome.Updated => AdminResults.Object(result.Value),
            ApplyOutcome.AlreadyExists => AdminResults.Failure(StatusCodes.Status409Conflict, "AlreadyExists", result.Message!, Plural, meta.Name),
            _ => AdminResults.BadRequest(result.Message!),
        };
    }

    private static IResult MethodNotAllowed(HttpContext context) => AdminResults.Failure(StatusCodes.Status405MethodNotAllowed,
        "MethodNotAllowed", $"the server does not allow this method on the requested resource ({context.Request.Method})");

    private static async ValueTask<object?> ValidateNamespace(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var ns = context.HttpContext.GetRouteValue("ns") as string ?? "";
        var errors = ServiceValidation.ValidateNamespace(ns);
        return errors.IsEmpty ? await next(context) : AdminResults.BadRequest($"invalid namespace \"{ns}\": {errors}");
    }
}
