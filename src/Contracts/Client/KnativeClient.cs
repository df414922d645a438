using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Client;

/// <summary>The <see cref="IKnativeClient"/> implementation over <see cref="IGrainFactory"/>.</summary>
public sealed class KnativeClient(IGrainFactory grains) : IKnativeClient
{
    /// <summary>User recorded when none is given.</summary>
    public const string DefaultUser = "system:admin";

    /// <summary>Index kind of services.</summary>
    public const string ServicesIndex = "services";

    /// <inheritdoc />
    public async Task<ApplyResult<Service>> ApplyServiceAsync(
        string @namespace, Service service, ApplyMode mode, string user = DefaultUser, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        var meta = service.Metadata ?? new Meta.ObjectMeta();
        if (meta.Namespace is { Length: > 0 } ns && ns != @namespace)
        {
            return Invalid($"the namespace of the provided object ({ns}) does not match the namespace sent on the request ({@namespace})");
        }

        service = service with { Metadata = meta with { Namespace = @namespace } };
        // The silo checks again with its own Autoscaler settings; here, refuse nothing a cluster might allow.
        var errors = ServiceValidation.Validate(service, localProcessRuntime: true, AutoscalingLimits.Permissive);
        if (!errors.IsEmpty)
        {
            return Invalid("validation failed: " + errors);
        }

        if (string.IsNullOrEmpty(meta.Name))
        {
            // Validation accepts generateName as Knative does, but nothing here generates names yet and the grain key needs one.
            return Invalid("validation failed: "
                + Errors.FieldErrors.Of("generateName is not supported yet, set metadata.name", null, "metadata.generateName"));
        }

        var name = meta.Name;
        // Index first: a crash between the two leaves a name that listers skip, never an unlisted service.
        await Index(ServicesIndex, @namespace).AddAsync(name);
        return await Service(@namespace, name).ApplyAsync(service, mode, user);
    }

    /// <inheritdoc />
    public Task<Service?> GetServiceAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        Service(@namespace, name).GetAsync();

    /// <inheritdoc />
    public async Task<IReadOnlyList<Service>> ListServicesAsync(string @namespace, CancellationToken cancellationToken = default) =>
        await grains.GetGrain<IServiceListGrain>(@namespace).ListServicesAsync();

    /// <inheritdoc />
    public async Task<bool> DeleteServiceAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        var existed = await Service(@namespace, name).DeleteAsync();
        await Index(ServicesIndex, @namespace).RemoveAsync(name);
        return existed;
    }

    /// <inheritdoc />
    public Task<Revision?> GetRevisionAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        grains.GetGrain<IRevisionGrain>(Key(@namespace, name)).GetAsync();

    /// <inheritdoc />
    public async Task<IReadOnlyList<Revision>> ListRevisionsAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        var services = await Index(ServicesIndex, @namespace).ListAsync();
        var names = await Task.WhenAll(services.Select(s => Service(@namespace, s).GetRevisionNamesAsync()));
        var revisions = await Task.WhenAll(names.SelectMany(n => n).Distinct()
            .Select(r => grains.GetGrain<IRevisionGrain>(Key(@namespace, r)).GetAsync()));
        return revisions.OfType<Revision>().OrderBy(r => r.Metadata?.Name, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public async Task<string?> GetRevisionLogsAsync(string @namespace, string name, int tailLines = 200, CancellationToken cancellationToken = default)
    {
        var revision = grains.GetGrain<IRevisionGrain>(Key(@namespace, name));
        return await revision.GetAsync() is null ? null : await revision.GetLogsAsync(tailLines);
    }

    /// <inheritdoc />
    public Task<Configuration?> GetConfigurationAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        Service(@namespace, name).GetConfigurationAsync();

    /// <inheritdoc />
    public async Task<IReadOnlyList<Configuration>> ListConfigurationsAsync(string @namespace, CancellationToken cancellationToken = default) =>
        await grains.GetGrain<IServiceListGrain>(@namespace).ListConfigurationsAsync();

    /// <inheritdoc />
    public Task<Route?> GetRouteAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        Service(@namespace, name).GetRouteAsync();

    /// <inheritdoc />
    public async Task<IReadOnlyList<Route>> ListRoutesAsync(string @namespace, CancellationToken cancellationToken = default) =>
        await grains.GetGrain<IServiceListGrain>(@namespace).ListRoutesAsync();

    /// <summary>The grain key of a namespaced resource: <c>{namespace}/{name}</c>.</summary>
    public static string Key(string @namespace, string name) => @namespace + "/" + name;

    private IServiceGrain Service(string @namespace, string name) => grains.GetGrain<IServiceGrain>(Key(@namespace, name));

    private IResourceIndexGrain Index(string kind, string @namespace) => grains.GetGrain<IResourceIndexGrain>(kind + "/" + @namespace);

    private static ApplyResult<Service> Invalid(string message) => new() { Outcome = ApplyOutcome.Invalid, Message = message };
}
