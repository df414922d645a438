using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Client;

/// <summary>The <see cref="IKnativeClient"/> implementation over <see cref="IGrainFactory"/>.</summary>
public sealed class KnativeClient(IGrainFactory grains) : IKnativeClient
{
    /// <summary>User recorded when none is given.</summary>
    public const string DefaultUser = "system:admin";

    /// <summary>Index kind of services.</summary>
    public const string ServicesIndex = "services";

    /// <summary>Index kind of standalone configurations.</summary>
    public const string ConfigurationsIndex = "configurations";

    /// <summary>Index kind of standalone routes.</summary>
    public const string RoutesIndex = "routes";

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
        var errors = ServiceValidation.Validate(service, localProcessRuntime: false, AutoscalingLimits.Permissive);
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
        // A standalone Configuration or Route of this name is not the Service's: the grain checks the indexes and reports
        // Knative's NotOwned condition. Index first: a crash between the two leaves a name that listers skip, never an unlisted service.
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
        var configurations = await Index(ConfigurationsIndex, @namespace).ListAsync();
        var names = await Task.WhenAll(services.Select(s => Service(@namespace, s).GetRevisionNamesAsync())
            .Concat(configurations.Select(c => Configuration(@namespace, c).GetRevisionNamesAsync())));
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
    public async Task<Configuration?> GetConfigurationAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        await Configuration(@namespace, name).GetAsync() ?? await Service(@namespace, name).GetConfigurationAsync();

    /// <inheritdoc />
    public async Task<IReadOnlyList<Configuration>> ListConfigurationsAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        // A Service's own configurations are read from stored service state (no grain activated); standalone ones by name.
        var owned = await grains.GetGrain<IServiceListGrain>(@namespace).ListConfigurationsAsync();
        var standalone = await ListAsync(ConfigurationsIndex, @namespace, n => Configuration(@namespace, n).GetAsync());
        return owned.Concat(standalone).OrderBy(c => c.Metadata?.Name, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public async Task<Route?> GetRouteAsync(string @namespace, string name, CancellationToken cancellationToken = default) =>
        await Route(@namespace, name).GetAsync() ?? await Service(@namespace, name).GetRouteAsync();

    /// <inheritdoc />
    public async Task<IReadOnlyList<Route>> ListRoutesAsync(string @namespace, CancellationToken cancellationToken = default)
    {
        var owned = await grains.GetGrain<IServiceListGrain>(@namespace).ListRoutesAsync();
        var standalone = await ListAsync(RoutesIndex, @namespace, n => Route(@namespace, n).GetAsync());
        return owned.Concat(standalone).OrderBy(r => r.Metadata?.Name, StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public async Task<ApplyResult<Configuration>> ApplyConfigurationAsync(
        string @namespace, Configuration configuration, ApplyMode mode, string user = DefaultUser, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var (meta, error) = Prepare(@namespace, configuration.Metadata);
        if (error is not null)
        {
            return new() { Outcome = ApplyOutcome.Invalid, Message = error };
        }

        configuration = configuration with { Metadata = meta };
        var errors = ConfigurationValidation.Validate(configuration, localProcessRuntime: false, AutoscalingLimits.Permissive);
        if (!errors.IsEmpty)
        {
            return new() { Outcome = ApplyOutcome.Invalid, Message = "validation failed: " + errors };
        }

        if (await Service(@namespace, meta.Name!).GetConfigurationAsync() is not null)
        {
            return Owned<Configuration>("configurations", meta.Name!, mode);
        }

        await Index(ConfigurationsIndex, @namespace).AddAsync(meta.Name!);
        return await Configuration(@namespace, meta.Name!).ApplyAsync(configuration, mode, user);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteConfigurationAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        var existed = await Configuration(@namespace, name).DeleteAsync();
        await Index(ConfigurationsIndex, @namespace).RemoveAsync(name);
        return existed;
    }

    /// <inheritdoc />
    public async Task<ApplyResult<Route>> ApplyRouteAsync(
        string @namespace, Route route, ApplyMode mode, string user = DefaultUser, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(route);
        var (meta, error) = Prepare(@namespace, route.Metadata);
        if (error is not null)
        {
            return new() { Outcome = ApplyOutcome.Invalid, Message = error };
        }

        route = route with { Metadata = meta };
        var errors = RouteValidation.Validate(route);
        if (!errors.IsEmpty)
        {
            return new() { Outcome = ApplyOutcome.Invalid, Message = "validation failed: " + errors };
        }

        if (await Service(@namespace, meta.Name!).GetRouteAsync() is not null)
        {
            return Owned<Route>("routes", meta.Name!, mode);
        }

        await Index(RoutesIndex, @namespace).AddAsync(meta.Name!);
        return await Route(@namespace, meta.Name!).ApplyAsync(route, mode, user);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteRouteAsync(string @namespace, string name, CancellationToken cancellationToken = default)
    {
        var existed = await Route(@namespace, name).DeleteAsync();
        await Index(RoutesIndex, @namespace).RemoveAsync(name);
        return existed;
    }

    /// <summary>The grain key of a namespaced resource: <c>{namespace}/{name}</c>.</summary>
    public static string Key(string @namespace, string name) => @namespace + "/" + name;

    private IServiceGrain Service(string @namespace, string name) => grains.GetGrain<IServiceGrain>(Key(@namespace, name));

    private IConfigurationGrain Configuration(string @namespace, string name) => grains.GetGrain<IConfigurationGrain>(Key(@namespace, name));

    private IRouteGrain Route(string @namespace, string name) => grains.GetGrain<IRouteGrain>(Key(@namespace, name));

    private static (Meta.ObjectMeta Meta, string? Error) Prepare(string @namespace, Meta.ObjectMeta? meta)
    {
        meta ??= new Meta.ObjectMeta();
        if (meta.Namespace is { Length: > 0 } ns && ns != @namespace)
        {
            return (meta, $"the namespace of the provided object ({ns}) does not match the namespace sent on the request ({@namespace})");
        }

        return string.IsNullOrEmpty(meta.Name)
            ? (meta, "validation failed: " + Errors.FieldErrors.Of("generateName is not supported yet, set metadata.name", null, "metadata.generateName"))
            : (meta with { Namespace = @namespace }, null);
    }

    // A Service's children are changed through the Service (our rule; Knative's controller would revert the change).
    private static ApplyResult<T> Owned<T>(string resource, string name, ApplyMode mode) => mode == ApplyMode.Create
        ? new() { Outcome = ApplyOutcome.AlreadyExists, Message = $"{resource}.serving.knative.dev \"{name}\" already exists" }
        : new()
        {
            Outcome = ApplyOutcome.Conflict,
            Message = $"{resource}.serving.knative.dev \"{name}\" is owned by Service \"{name}\": change the Service instead",
        };

    private IResourceIndexGrain Index(string kind, string @namespace) => grains.GetGrain<IResourceIndexGrain>(kind + "/" + @namespace);

    private async Task<IReadOnlyList<T>> ListAsync<T>(string index, string @namespace, Func<string, Task<T?>> get)
        where T : class
    {
        var names = await Index(index, @namespace).ListAsync();
        var items = await Task.WhenAll(names.Select(get));
        return items.OfType<T>().ToList();
    }

    private static ApplyResult<Service> Invalid(string message) => new() { Outcome = ApplyOutcome.Invalid, Message = message };
}
