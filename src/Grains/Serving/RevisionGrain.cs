using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Autoscaling;
using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Grains.Serving;

/// <summary>
/// An immutable Revision and its scaling state: starts instances through <see cref="IWorkloadDriver"/>, follows their
/// readiness, scales with Knative's KPA (pure code in Autoscaling/, wired in RevisionGrain.Autoscaling.cs), drains
/// victims before stopping them (RevisionGrain.Draining.cs) and applies the decisions (RevisionGrain.Scaling.cs).
/// </summary>
[GrainType("revision")]
public sealed partial class RevisionGrain(
    [PersistentState("revision", "store")] IPersistentState<RevisionState> state,
    IWorkloadDriver driver,
    AutoscalerConfig autoscaler,
    IOptions<ServingOptions> options,
    TimeProvider time,
    ILogger<RevisionGrain> logger) : Grain, IRevisionGrain, IRevisionWorkloadGrain
{
    private readonly Dictionary<string, Instance> _instances = [];
    private readonly List<TaskCompletionSource> _waiters = [];
    private DateTimeOffset _nextStartAt;
    private int _consecutiveFailures;
    private (string Reason, string Message)? _failure;
    private long _version;
    private int _sequence;
    private IGrainTimer? _timer;
    private RevisionEndpoints? _published;
    private ScaleBoundsState? _bounds;

    private string Key => this.GetPrimaryKeyString();

    /// <summary>Revisions that have not proven they can run yet; resumed after a restart (see <see cref="PendingRevisionsKey"/>).</summary>
    private IResourceIndexGrain PendingRevisions => GrainFactory.GetGrain<IResourceIndexGrain>(PendingRevisionsKey);

    /// <summary>Index key of the revisions that never became ready: the silo activates them at start.</summary>
    public const string PendingRevisionsKey = "pending-revisions/all";

    /// <summary>
    /// Index key of the revisions whose desired scale is above zero. When a silo dies, its revision grains and their
    /// workloads die with it; the surviving silos activate these (see the resumers) so that each new activation starts
    /// its instances again.
    /// </summary>
    public const string ScaledRevisionsKey = "scaled-revisions/all";

    private IResourceIndexGrain ScaledRevisions => GrainFactory.GetGrain<IResourceIndexGrain>(ScaledRevisionsKey);

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Revision is not null && ((!state.State.EverReady && WantsInstancesAtRest()) || state.State.DesiredReplicas > 0))
        {
            // Not proven yet (e.g. the platform restarted before it became ready): keep trying to reach initial-scale.
            // Scaled above zero: the previous activation died with its silo (instances never outlive their grain), so
            // decide again now and start what is still wanted.
            _timer = this.RegisterGrainTimer(static (self, _) => self.ReconcileAsync(), this,
                new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = TickPeriod, KeepAlive = true });
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<bool> CreateAsync(Revision revision)
    {
        if (state.State.Revision is { } existing)
        {
            // The name is taken unless the revision is this one: same spec and same owning configuration.
            return SpecComparer.Equal(existing.Spec, revision.Spec)
                && existing.Metadata?.Labels?.GetValueOrDefault(ServingLabels.Configuration) == revision.Metadata?.Labels?.GetValueOrDefault(ServingLabels.Configuration);
        }

        state.State.Revision = revision with { Status = null };
        state.State.Conditions = RevisionConditions.Build(null, new RevisionFacts(0, autoscaler.InitialScale, false, null, null), time.GetUtcNow());
        if (WantsInstancesAtRest())
        {
            await PendingRevisions.AddAsync(Key);
        }

        await ReconcileAndStoreAsync();
        LogCreated(logger, Key);
        return true;
    }

    /// <inheritdoc />
    public Task<Revision?> GetAsync() => Task.FromResult(state.State.Revision is null ? null : View());

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        if (state.State.Revision is null)
        {
            return;
        }

        var victims = _instances.Values.ToList();
        _instances.Clear();
        state.State.Revision = null;
        await PublishEndpointsAsync(force: true);
        await Task.WhenAll(victims.Select(v => StopQuietlyAsync(v.Id)));
        try
        {
            await driver.DeleteRevisionAsync(Key, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogStopFailed(logger, e, Key, "*");
        }

        CompleteWaiters();
        StopTimer();
        await state.ClearStateAsync();
        state.State = new RevisionState();
        await PendingRevisions.RemoveAsync(Key);
        await ScaledRevisions.RemoveAsync(Key);
        LogDeleted(logger, Key);
        DeactivateOnIdle();
    }

    /// <inheritdoc />
    public async Task<RevisionEndpoints> ActivateAsync()
    {
        if (state.State.Revision is null)
        {
            return Endpoints();
        }

        if (!_instances.Values.Any(i => !i.Stopping))
        {
            // A request is held for this revision: it needs at least one instance now, whatever the window says (the
            // gateway's own sample for the held requests may still be on its way; counting it here too would double it).
            _coldStartRequested = true;
            LogColdStart(logger, Key);
            await ReconcileAsync();
        }

        return Endpoints();
    }

    /// <inheritdoc />
    public async Task<RevisionEndpoints> WaitForReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var current = Endpoints();
        if (current.Ready.Length > 0 || current.Failed || !current.Exists)
        {
            return current;
        }

        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add(waiter);
        try
        {
            await waiter.Task.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // the caller decides what a timeout means (504 for the gateway)
        }
        finally
        {
            _waiters.Remove(waiter);
        }

        return Endpoints();
    }

    /// <inheritdoc />
    public Task<RevisionEndpoints> GetEndpointsAsync() => Task.FromResult(Endpoints());

    /// <inheritdoc />
    public async Task ReportMetricsAsync(RevisionMetricSample sample)
    {
        if (state.State.Revision is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        RecordGatewayLoad(sample, now);
        Record(sample, now);
        StopDrained(now);
        if (sample.AverageConcurrency > 0 && state.State.DesiredReplicas == 0)
        {
            await ReconcileAsync(); // a poke: traffic for a revision at zero is decided now, not at the next tick
        }
    }

    /// <inheritdoc />
    public Task<string> GetLogsAsync(int tailLines) => Task.FromResult(driver.GetOutput(Key, tailLines));

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        StopTimer();
        // Instances never outlive their grain: a new activation starts from zero and would not know them.
        await Task.WhenAll(_instances.Values.Select(v => StopQuietlyAsync(v.Id)));
        _instances.Clear();
    }

    /// <summary>
    /// False for initial-scale 0 (allowed by allow-zero-initial-scale) without min-scale: such a revision starts nothing
    /// until a request comes, so there is nothing to resume after a restart and an idle one needs no timer.
    /// </summary>
    private bool WantsInstancesAtRest() => Spec().InitialScale > 0 || Spec().MinScale > 0;

    private Revision View()
    {
        var ready = _instances.Values.Count(i => i.Phase == WorkloadPhase.Ready && !i.Stopping);
        var meta = state.State.Revision!.Metadata!;
        return state.State.Revision! with
        {
            Metadata = RoutingLabels(meta),
            Status = new RevisionStatus
            {
                ObservedGeneration = meta.Generation,
                Conditions = state.State.Conditions,
                ActualReplicas = ready,
                DesiredReplicas = state.State.DesiredReplicas,
                LogUrl = $"{options.Value.AdminBaseUrl}/apis/serving.knative.dev/v1/namespaces/{meta.Namespace}/revisions/{meta.Name}/log",
            },
        };
    }

    /// <summary>
    /// Knative's labeler: <c>serving.knative.dev/routingState</c> <c>active</c> while routed, else <c>reserve</c>, and for a
    /// Service's revision <c>serving.knative.dev/route</c> = the service's route while routed.
    /// </summary>
    private ObjectMeta RoutingLabels(ObjectMeta meta)
    {
        var labels = new Dictionary<string, string>(meta.Labels ?? [], StringComparer.Ordinal)
        {
            [ServingLabels.RoutingState] = state.State.Routed ? "active" : "reserve",
        };
        if (state.State.Routed && labels.GetValueOrDefault(ServingLabels.Service) is { } service)
        {
            labels[ServingLabels.Route] = service;
        }

        return meta with { Labels = labels };
    }

    private RevisionEndpoints Endpoints()
    {
        var spec = state.State.Revision?.Spec;
        return new RevisionEndpoints
        {
            RevisionKey = Key,
            Version = _version,
            Exists = state.State.Revision is not null,
            Ready = _instances.Values.Where(i => i.Phase == WorkloadPhase.Ready && !i.Stopping && i.Address is not null)
                .OrderBy(i => i.Id, StringComparer.Ordinal)
                .Select(i => new Endpoint { InstanceId = i.Id, Address = i.Address! }).ToArray(),
            ContainerConcurrency = (int)(spec?.ContainerConcurrency ?? 0),
            TimeoutSeconds = (int)(spec?.TimeoutSeconds ?? 300),
            ResponseStartTimeoutSeconds = (int)(spec?.ResponseStartTimeoutSeconds ?? 0),
            IdleTimeoutSeconds = (int)(spec?.IdleTimeoutSeconds ?? 0),
            Http2 = spec?.Containers?.SelectMany(c => c.Ports ?? []).Any(p => p.Name == "h2c") == true,
            // Failed only while no start is in progress: a retry after a crash gets its chance before requests are refused.
            Failed = ConditionSet.Get(state.State.Conditions, ServingConditions.Ready)?.Status == ConditionStatus.False
                && !_instances.Values.Any(i => !i.Stopping),
            Message = ConditionSet.Get(state.State.Conditions, ServingConditions.Ready)?.Message,
        };
    }

    private sealed class Instance(string id)
    {
        public string Id { get; } = id;

        public WorkloadPhase Phase { get; set; } = WorkloadPhase.Starting;

        public string? Address { get; set; }

        public bool Stopping { get; set; }

        public bool WasReady { get; set; }

        /// <summary>When the instance left the routing snapshot (every gateway had switched), while it drains.</summary>
        public DateTimeOffset? DrainSince { get; set; }
    }
}
