using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Autoscaling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// A standalone Knative Configuration: stores the spec, stamps a Revision for every template change, follows revision
/// readiness and tells the routes that follow it (one-way) whenever its revisions change.
/// </summary>
[GrainType("configuration")]
public sealed partial class ConfigurationGrain(
    [PersistentState("configuration", "store")] IPersistentState<ConfigurationState> state,
    AutoscalerConfig autoscaler,
    IOptions<ServingOptions> options,
    TimeProvider time,
    ILogger<ConfigurationGrain> logger) : Grain, IConfigurationGrain
{
    private string Namespace => this.GetPrimaryKeyString().Split('/')[0];

    private string Name => this.GetPrimaryKeyString().Split('/')[1];

    /// <inheritdoc />
    public async Task<ApplyResult<Configuration>> ApplyAsync(Configuration configuration, ApplyMode mode, string user)
    {
        var meta = configuration.Metadata ?? new Contracts.Meta.ObjectMeta();
        if (meta.Name != Name || (meta.Namespace ?? Namespace) != Namespace)
        {
            return Refuse(ApplyOutcome.Invalid, $"the name/namespace of the object ({meta.Namespace}/{meta.Name}) does not match the key {this.GetPrimaryKeyString()}");
        }

        var existing = state.State.Configuration;
        var desired = ServiceDefaults.WithDefaults(configuration with { Status = null, Metadata = meta with { Namespace = Namespace } });
        var templateChanged = existing is null || !SpecComparer.Equal(existing.Spec?.Template, desired.Spec?.Template);
        var errors = ConfigurationValidation.Validate(configuration, localProcessRuntime: options.Value.LocalProcessRuntime,
                new AutoscalingLimits(autoscaler.AllowZeroInitialScale, autoscaler.MaxScaleLimit))
            .Also(existing is null ? null : TemplateNameChange.Verify(existing.Spec?.Template, desired.Spec?.Template).ViaField("spec.template"))
            .Also(ServingMeta.ValidateUserInfo(existing?.Metadata, meta, templateChanged));
        if (!errors.IsEmpty)
        {
            return Refuse(ApplyOutcome.Invalid, "validation failed: " + errors);
        }

        if (existing is not null && mode == ApplyMode.Create)
        {
            return Refuse(ApplyOutcome.AlreadyExists, $"configurations.serving.knative.dev \"{Name}\" already exists");
        }

        var resourceVersion = state.State.ResourceVersion + 1;
        desired = desired with
        {
            Metadata = ServingMeta.Stamp(desired.Metadata!, existing?.Metadata, Namespace, templateChanged, resourceVersion, time.GetUtcNow(), user),
        };
        if (templateChanged || state.State.RevisionNameTaken is not null)
        {
            // Stamp first (idempotent): a crash before the state write re-stamps the same revision on retry. A name held by
            // a conflicting revision is Knative's failed create (Ready False), tried again on every apply.
            var generation = desired.Metadata!.Generation;
            var revision = ServiceResources.MakeRevision(desired.Metadata, desired.Spec!.Template!, generation, user, service: null);
            var revisionName = revision.Metadata!.Name!;
            if (await GrainFactory.GetGrain<IRevisionGrain>(Namespace + "/" + revisionName).CreateAsync(revision))
            {
                state.State.RevisionNameTaken = null;
                var previous = state.State.Revisions.Find(r => r.Name == revisionName);
                state.State.Revisions.RemoveAll(r => r.Name == revisionName);
                state.State.Revisions.Add(new RevisionRecord
                {
                    Name = revisionName,
                    ConfigurationGeneration = generation,
                    Ready = previous?.Ready ?? "Unknown",
                    Reason = previous?.Reason,
                    Message = previous?.Message,
                });
                LogStamped(logger, this.GetPrimaryKeyString(), revisionName, generation);
            }
            else
            {
                state.State.RevisionNameTaken = revisionName;
            }
        }

        state.State.Configuration = desired;
        state.State.ResourceVersion = resourceVersion;
        await SaveAndNotifyAsync();
        return new ApplyResult<Configuration> { Outcome = existing is null ? ApplyOutcome.Created : ApplyOutcome.Updated, Value = View() };
    }

    /// <inheritdoc />
    public Task<Configuration?> GetAsync() => Task.FromResult(state.State.Configuration is null ? null : View());

    /// <inheritdoc />
    public Task<bool> ExistsAsync() => Task.FromResult(state.State.Configuration is not null);

    /// <inheritdoc />
    public async Task<bool> DeleteAsync()
    {
        if (state.State.Configuration is null)
        {
            return false;
        }

        var watchers = state.State.Watchers.ToArray();
        await Task.WhenAll(state.State.Revisions.Select(r => GrainFactory.GetGrain<IRevisionGrain>(Namespace + "/" + r.Name).DeleteAsync()));
        await state.ClearStateAsync();
        state.State = new ConfigurationState();
        Notify(watchers);
        // One-way: a Service of this name that did not own the configuration takes over.
        _ = GrainFactory.GetGrain<IServiceGrain>(this.GetPrimaryKeyString()).ChildReleasedAsync();
        DeactivateOnIdle();
        return true;
    }

    /// <inheritdoc />
    public Task<string[]> GetRevisionNamesAsync() => Task.FromResult(state.State.Revisions.Select(r => r.Name).ToArray());

    /// <inheritdoc />
    public Task<ConfigurationFacts> GetFactsAsync() => Task.FromResult(state.State.Configuration is null
        ? new ConfigurationFacts { Exists = false }
        : ConfigurationStatusBuilder.Facts(state.State.Status, state.State.Revisions));

    /// <inheritdoc />
    public async Task WatchAsync(string routeName, bool watch)
    {
        // Watchers are kept even while the configuration does not exist: a route that names it re-resolves when it appears.
        if (watch ? state.State.Watchers.Add(routeName) : state.State.Watchers.Remove(routeName))
        {
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task RevisionChangedAsync(RevisionReadiness readiness)
    {
        var index = state.State.Revisions.FindIndex(r => r.Name == readiness.RevisionName);
        if (state.State.Configuration is null || index < 0)
        {
            return;
        }

        var old = state.State.Revisions[index];
        if (old.Ready == readiness.Ready && old.Reason == readiness.Reason && old.Message == readiness.Message)
        {
            return;
        }

        state.State.Revisions[index] = old with { Ready = readiness.Ready, Reason = readiness.Reason, Message = readiness.Message };
        await SaveAndNotifyAsync();
    }

    private async Task SaveAndNotifyAsync()
    {
        state.State.Status = ConfigurationStatusBuilder.Build(state.State.Status, state.State.Configuration!.Metadata!.Generation,
            state.State.Revisions, time.GetUtcNow(), state.State.RevisionNameTaken);
        await state.WriteStateAsync();
        Notify(state.State.Watchers);
    }

    private void Notify(IEnumerable<string> routes)
    {
        foreach (var route in routes)
        {
            // One-way: a route awaits this grain (facts, watch), never the other way round.
            _ = GrainFactory.GetGrain<IRouteGrain>(Namespace + "/" + route).ConfigurationChangedAsync(Name);
        }
    }

    private Configuration View() => state.State.Configuration! with { Status = state.State.Status };

    private static ApplyResult<Configuration> Refuse(ApplyOutcome outcome, string message) => new() { Outcome = outcome, Message = message };

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Configuration {ConfigurationKey} stamped revision {RevisionName} (generation {Generation})")]
    private static partial void LogStamped(ILogger logger, string configurationKey, string revisionName, long generation);
}
