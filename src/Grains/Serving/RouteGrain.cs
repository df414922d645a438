using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Routing;
using Knative.Orleans.Grains.Traffic;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// A standalone Knative Route: resolves <c>spec.traffic</c> against the configurations and revisions it names, registers
/// with those configurations to hear about their changes, and publishes its routing snapshot through the routing hub
/// (the same snapshots a Service publishes, keyed by the route's <c>{ns}/{name}</c>).
/// </summary>
[GrainType("route")]
public sealed partial class RouteGrain(
    [PersistentState("route", "store")] IPersistentState<RouteState> state,
    IOptions<ServingOptions> options,
    TimeProvider time) : Grain, IRouteGrain
{
    private long _version;

    private string Namespace => this.GetPrimaryKeyString().Split('/')[0];

    private string Name => this.GetPrimaryKeyString().Split('/')[1];

    /// <inheritdoc />
    public async Task<ApplyResult<Route>> ApplyAsync(Route route, ApplyMode mode, string user)
    {
        var meta = route.Metadata ?? new Contracts.Meta.ObjectMeta();
        if (meta.Name != Name || (meta.Namespace ?? Namespace) != Namespace)
        {
            return Refuse(ApplyOutcome.Invalid, $"the name/namespace of the object ({meta.Namespace}/{meta.Name}) does not match the key {this.GetPrimaryKeyString()}");
        }

        var existing = state.State.Route;
        var desired = ServiceDefaults.WithDefaults(route with { Status = null, Metadata = meta with { Namespace = Namespace } });
        var specChanged = existing is null || !SpecComparer.Equal(existing.Spec, desired.Spec);
        var errors = RouteValidation.Validate(route).Also(ServingMeta.ValidateUserInfo(existing?.Metadata, meta, specChanged));
        if (!errors.IsEmpty)
        {
            return Refuse(ApplyOutcome.Invalid, "validation failed: " + errors);
        }

        if (existing is not null && mode == ApplyMode.Create)
        {
            return Refuse(ApplyOutcome.AlreadyExists, $"routes.serving.knative.dev \"{Name}\" already exists");
        }

        state.State.ResourceVersion++;
        state.State.Route = desired with
        {
            Metadata = ServingMeta.Stamp(desired.Metadata!, existing?.Metadata, Namespace, specChanged, state.State.ResourceVersion, time.GetUtcNow(), user),
        };
        await ReconcileAsync();
        return new ApplyResult<Route> { Outcome = existing is null ? ApplyOutcome.Created : ApplyOutcome.Updated, Value = View() };
    }

    /// <inheritdoc />
    public Task<Route?> GetAsync() => Task.FromResult(state.State.Route is null ? null : View());

    /// <inheritdoc />
    public Task<bool> ExistsAsync() => Task.FromResult(state.State.Route is not null);

    /// <inheritdoc />
    public async Task<bool> DeleteAsync()
    {
        if (state.State.Route is null)
        {
            return false;
        }

        await Task.WhenAll(state.State.Watched.Select(c => WatchAsync(c, watch: false)));
        TellServices(state.State.Watched, []); // their revisions are no longer routed by this route
        await state.ClearStateAsync();
        state.State = new RouteState();
        await GrainFactory.GetGrain<IRoutingHubGrain>(0).PublishRouteAsync(Snapshot(null));
        // One-way: a Service of this name that did not own the route takes over (it may await this grain, never the reverse).
        _ = GrainFactory.GetGrain<IServiceGrain>(this.GetPrimaryKeyString()).ChildReleasedAsync();
        DeactivateOnIdle();
        return true;
    }

    /// <inheritdoc />
    public Task<RouteSnapshot> GetRouteSnapshotAsync() =>
        Task.FromResult(Snapshot(state.State.PendingRevision));

    /// <inheritdoc />
    public Task ConfigurationChangedAsync(string configurationName) => state.State.Route is null ? Task.CompletedTask : ReconcileAsync();

    private async Task ReconcileAsync()
    {
        var route = state.State.Route!;
        var named = (route.Spec?.Traffic ?? []).Where(t => !string.IsNullOrEmpty(t.RevisionName)).Select(t => t.RevisionName!)
            .Distinct(StringComparer.Ordinal).ToArray();
        var found = await Task.WhenAll(named.Select(n => GrainFactory.GetGrain<IRevisionGrain>(Namespace + "/" + n).GetAsync()));
        var revisions = found.OfType<Revision>()
            .Select(r => new RevisionFact(r.Metadata!.Name!, ConditionSet.Get(r.Status?.Conditions, ServingConditions.Ready)?.Status ?? ConditionStatus.Unknown))
            .ToList();
        var owners = found.OfType<Revision>().ToDictionary(r => r.Metadata!.Name!, r => r.Metadata!.Labels?.GetValueOrDefault(ServingLabels.Configuration),
            StringComparer.Ordinal);

        // Register first, then read: a change between the two is announced to us and re-resolved.
        var dependencies = RouteStatusBuilder.Dependencies(route, owners);
        var dropped = state.State.Watched.Except(dependencies).ToArray();
        await Task.WhenAll(dependencies.Select(c => WatchAsync(c, watch: true)).Concat(dropped.Select(c => WatchAsync(c, watch: false))));
        state.State.Watched = new HashSet<string>(dependencies, StringComparer.Ordinal);
        var facts = await Task.WhenAll(dependencies.Select(async c => (Name: c, Facts: await FactsAsync(c))));
        var configurations = facts.ToDictionary(f => f.Name, f => f.Facts, StringComparer.Ordinal);

        var observation = ApplyRollout(route, RouteStatusBuilder.Build(route, state.State.Status, state.State.LastGoodTargets, configurations,
            revisions, options.Value.Domain, time.GetUtcNow()));
        state.State.Status = observation.Status;
        state.State.LastGoodTargets = observation.Targets;
        state.State.PendingRevision = observation.PendingRevision;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IRoutingHubGrain>(0).PublishRouteAsync(Snapshot(state.State.PendingRevision));
        TellServices(dependencies, state.State.LastGoodTargets.Where(t => t.Percent > 0 || t.Tag is not null)
            .Select(t => t.RevisionName).Distinct(StringComparer.Ordinal).ToArray());
        TellServices(dropped, []);
        await ObserveRolloutAsync();
    }

    /// <summary>
    /// Tells the Services of <paramref name="configurations"/> (the names this route watches) which revisions it sends
    /// traffic to, so each counts its own ones as routed (revision GC, routingState, min-scale); those it stops watching
    /// are told none. One-way and idempotent: a Service awaits this grain, never the reverse.
    /// </summary>
    private void TellServices(IEnumerable<string> configurations, string[] routed)
    {
        foreach (var configuration in configurations)
        {
            _ = Service(configuration).RoutedByRouteAsync(Name, routed);
        }
    }

    private RouteSnapshot Snapshot(string? pending) => new()
    {
        ServiceKey = this.GetPrimaryKeyString(),
        Version = SnapshotVersion.Next(ref _version, time),
        Exists = state.State.Route is not null,
        Targets = state.State.Route is null ? [] : state.State.LastGoodTargets,
        PendingRevision = pending,
    };

    private IConfigurationGrain Configuration(string name) => GrainFactory.GetGrain<IConfigurationGrain>(Namespace + "/" + name);

    private IServiceGrain Service(string name) => GrainFactory.GetGrain<IServiceGrain>(Namespace + "/" + name);

    /// <summary>
    /// A configuration name is a standalone Configuration or a Service's own one: the route registers with both grains of
    /// that name, so it hears whichever exists now or is created later.
    /// </summary>
    private Task WatchAsync(string configuration, bool watch) =>
        Task.WhenAll(Configuration(configuration).WatchAsync(Name, watch), Service(configuration).WatchAsync(Name, watch));

    /// <summary>The standalone Configuration's facts, else the Service's own Configuration's (a standalone one wins, as it blocks the Service).</summary>
    private async Task<ConfigurationFacts> FactsAsync(string configuration) =>
        await Configuration(configuration).GetFactsAsync() is { Exists: true } standalone ? standalone : await Service(configuration).GetConfigurationFactsAsync();

    private Route View() => state.State.Route! with { Status = state.State.Status };

    private static ApplyResult<Route> Refuse(ApplyOutcome outcome, string message) => new() { Outcome = outcome, Message = message };
}
