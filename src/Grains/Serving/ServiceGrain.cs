using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Autoscaling;
using Knative.Orleans.Grains.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// A Knative Service: stores the spec, stamps a Revision for every template change, follows revision readiness and
/// publishes the route the gateways use. Owns the Configuration and Route views of the same name.
/// </summary>
[GrainType("service")]
public sealed partial class ServiceGrain(
    [PersistentState("service", "store")] IPersistentState<ServiceState> state,
    IOptions<ServingOptions> options,
    AutoscalerConfig autoscaler,
    RevisionGcConfig gc,
    TimeProvider time,
    ILogger<ServiceGrain> logger) : Grain, IServiceGrain
{
    private long _version;

    private string Namespace => this.GetPrimaryKeyString().Split('/')[0];

    private string Name => this.GetPrimaryKeyString().Split('/')[1];

    /// <inheritdoc />
    public async Task<ApplyResult<Service>> ApplyAsync(Service service, ApplyMode mode, string user)
    {
        var meta = service.Metadata ?? new Contracts.Meta.ObjectMeta();
        if (meta.Name != Name || (meta.Namespace ?? Namespace) != Namespace)
        {
            return Refuse(ApplyOutcome.Invalid, $"the name/namespace of the object ({meta.Namespace}/{meta.Name}) does not match the key {this.GetPrimaryKeyString()}");
        }

        var existing = state.State.Service;
        var desired = ServiceDefaults.WithDefaults(service with { Status = null, Metadata = meta with { Namespace = Namespace } });
        var specChanged = existing is null || !SpecComparer.Equal(existing.Spec, desired.Spec);
        var templateChanged = existing is null || !SpecComparer.Equal(existing.Spec?.Template, desired.Spec?.Template);
        var errors = ServiceValidation.Validate(service, localProcessRuntime: options.Value.LocalProcessRuntime,
                new AutoscalingLimits(autoscaler.AllowZeroInitialScale, autoscaler.MaxScaleLimit))
            .Also(existing is null ? null : TemplateNameChange.Verify(existing.Spec?.Template, desired.Spec?.Template).ViaField("spec.template"))
            .Also(ServingMeta.ValidateUserInfo(existing?.Metadata, meta, specChanged));
        if (!errors.IsEmpty)
        {
            return Refuse(ApplyOutcome.Invalid, "validation failed: " + errors);
        }

        if (existing is not null && mode == ApplyMode.Create)
        {
            return Refuse(ApplyOutcome.AlreadyExists, $"services.serving.knative.dev \"{Name}\" already exists");
        }

        var resourceVersion = state.State.ResourceVersion + 1;
        var now = time.GetUtcNow();
        desired = desired with
        {
            Metadata = ServingMeta.Stamp(desired.Metadata!, existing?.Metadata, Namespace, specChanged, resourceVersion, now, user),
        };

        if (existing is null || state.State.NotOwned is not null)
        {
            state.State.NotOwned = await FindForeignChildAsync();
        }

        var generation = state.State.ConfigurationGeneration + (templateChanged ? 1 : 0);
        if (state.State.NotOwned != NotOwnedConfiguration && (templateChanged || StampPending(generation)))
        {
            // A taken name is tried again on every apply: the conflicting revision may be gone.
            await StampAsync(desired, generation, user, now);
        }

        state.State.Service = desired;
        state.State.ConfigurationGeneration = generation;
        state.State.ResourceVersion = resourceVersion;
        await SaveAndPublishAsync();
        if (existing is null)
        {
            // one-way: wakes the triggers whose subscriber or dead letter sink waits for this service
            _ = GrainFactory.GetGrain<Contracts.Eventing.IServiceWaitersGrain>(Namespace).ServiceCreatedAsync(Name);
        }

        return new ApplyResult<Service> { Outcome = existing is null ? ApplyOutcome.Created : ApplyOutcome.Updated, Value = View() };
    }

    /// <inheritdoc />
    public Task<Service?> GetAsync() => Task.FromResult(state.State.Service is null ? null : View());

    /// <inheritdoc />
    public async Task<bool> DeleteAsync()
    {
        if (state.State.Service is null)
        {
            return false;
        }

        await Task.WhenAll(state.State.Revisions.Select(r => GrainFactory.GetGrain<IRevisionGrain>(Namespace + "/" + r.Name).DeleteAsync()));
        var published = state.State.NotOwned is null; // a service that did not own its route never published it
        var watchers = state.State.Watchers.ToArray();
        await state.ClearStateAsync();
        state.State = new ServiceState();
        NotifyWatchers(watchers); // they re-resolve (ConfigurationMissing) and register again
        if (published)
        {
            await GrainFactory.GetGrain<IRoutingHubGrain>(0).PublishRouteAsync(new RouteSnapshot
            {
                ServiceKey = this.GetPrimaryKeyString(),
                Version = NextVersion(),
                Exists = false,
            });
        }
        DeactivateOnIdle();
        return true;
    }

    /// <inheritdoc />
    public Task<Configuration?> GetConfigurationAsync() =>
        Task.FromResult(ServiceResources.OwnsConfiguration(state.State) ? ServiceResources.MakeConfiguration(state.State) : null);

    /// <inheritdoc />
    public Task<Route?> GetRouteAsync() => Task.FromResult(ServiceResources.OwnsRoute(state.State) ? ServiceResources.MakeRoute(state.State) : null);

    /// <inheritdoc />
    public Task<string[]> GetRevisionNamesAsync() => Task.FromResult(state.State.Revisions.Select(r => r.Name).ToArray());

    /// <inheritdoc />
    public Task<RouteSnapshot> GetRouteSnapshotAsync() => Task.FromResult(Snapshot());

    /// <inheritdoc />
    public async Task RevisionChangedAsync(RevisionReadiness readiness)
    {
        var index = state.State.Revisions.FindIndex(r => r.Name == readiness.RevisionName);
        if (state.State.Service is null || index < 0)
        {
            return; // deleted meanwhile, or not ours: nothing to store
        }

        var old = state.State.Revisions[index];
        if (old.Ready == readiness.Ready && old.Reason == readiness.Reason && old.Message == readiness.Message)
        {
            return;
        }

        state.State.Revisions[index] = old with { Ready = readiness.Ready, Reason = readiness.Reason, Message = readiness.Message };
        await SaveAndPublishAsync();
    }

    private async Task SaveAndPublishAsync()
    {
        var observation = ApplyRollout(ServiceStatusBuilder.Build(state.State, options.Value.Domain, time.GetUtcNow()));
        state.State.Status = observation.Status;
        state.State.RouteConditions = observation.RouteConditions;
        state.State.LastGoodTargets = observation.Targets;
        var changed = RoutedRevisions.Mark(state.State.Revisions, observation.Targets, state.State.RoutedBy.Values.SelectMany(r => r));
        StampRoutingStateModified(changed);
        await state.WriteStateAsync();
        NotifyWatchers(state.State.Watchers);
        foreach (var revision in changed)
        {
            await GrainFactory.GetGrain<IRevisionGrain>(Namespace + "/" + revision.Name).SetRoutedAsync(revision.Routed);
        }

        if (state.State.NotOwned is null)
        {
            await GrainFactory.GetGrain<IRoutingHubGrain>(0).PublishRouteAsync(Snapshot());
        }

        await ObserveRolloutAsync();
        await CollectRevisionsAsync();
    }

    private RouteSnapshot Snapshot()
    {
        if (state.State.Service is null || state.State.NotOwned is not null)
        {
            // Not existing, or not owning its Route: the gateway asks the standalone Route grain of the name.
            return new RouteSnapshot { ServiceKey = this.GetPrimaryKeyString(), Version = NextVersion(), Exists = false };
        }

        var targets = state.State.LastGoodTargets;
        var pending = targets.Any(t => t.Percent > 0) ? null : state.State.Revisions.LastOrDefault()?.Name;
        return new RouteSnapshot
        {
            ServiceKey = this.GetPrimaryKeyString(),
            Version = NextVersion(),
            Exists = true,
            Targets = targets,
            PendingRevision = pending,
        };
    }

    private long NextVersion() => SnapshotVersion.Next(ref _version, time);

    private Service View() => state.State.Service! with { Status = state.State.Status };

    private static ApplyResult<Service> Refuse(ApplyOutcome outcome, string message) => new() { Outcome = outcome, Message = message };

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Service {ServiceKey} stamped revision {RevisionName} (configuration generation {Generation})")]
    private static partial void LogStamped(ILogger logger, string serviceKey, string revisionName, long generation);
}
