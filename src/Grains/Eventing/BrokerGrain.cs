using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Grains.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>
/// A Broker: stores its spec, appends accepted events to the <see cref="IEventStore"/> and then wakes its triggers.
/// It never delivers; each trigger does, on its own, so a slow subscriber holds back nobody else. <c>IngestAsync</c>
/// interleaves (it only reads state), so concurrent events share store commits; a periodic compaction deletes the events
/// every trigger finished.
/// </summary>
[GrainType("broker")]
public sealed partial class BrokerGrain(
    [PersistentState("broker", "store")] IPersistentState<BrokerState> state,
    IEventStore store,
    IOptions<EventingOptions> options,
    IOptions<ServingOptions> serving,
    TimeProvider time,
    ILogger<BrokerGrain> logger) : Grain, IBrokerGrain
{
    /// <summary>Knative's <c>config-br-defaults</c> delivery, applied when <c>spec.delivery</c> is absent as a whole.</summary>
    public static readonly DeliverySpec DefaultDelivery = new() { Retry = 10, BackoffPolicy = BackoffPolicies.Exponential, BackoffDelay = "PT0.2S" };

    private bool _notifyQueued;
    private long _notifyHead; // the newest position appended by this activation

    // The triggers' grain references, made once for the trigger list they follow (a GetGrain per trigger per commit
    // group cost more than the notification: the proxy builds its argument copiers by reflection each time).
    private ITriggerGrain[]? _triggerGrains;

    // Why the last append failed, until an append or a status probe of the store succeeds (TriggerChannelReady False).
    private string? _storeError;

    private string Key => this.GetPrimaryKeyString();

    private string Namespace => Key.Split('/')[0];

    private string Name => Key.Split('/')[1];

    /// <inheritdoc />
    public async Task<ApplyResult<Broker>> ApplyAsync(Broker broker, ApplyMode mode, string user)
    {
        var meta = broker.Metadata ?? new Contracts.Meta.ObjectMeta();
        if (meta.Name != Name || (meta.Namespace ?? Namespace) != Namespace)
        {
            return Refuse(ApplyOutcome.Invalid, $"the name/namespace of the object ({meta.Namespace}/{meta.Name}) does not match the key {Key}");
        }

        var errors = BrokerValidation.Validate(broker);
        if (!errors.IsEmpty)
        {
            return Refuse(ApplyOutcome.Invalid, "validation failed: " + errors);
        }

        var existing = state.State.Broker;
        if (existing is not null && mode == ApplyMode.Create)
        {
            return Refuse(ApplyOutcome.AlreadyExists, $"brokers.eventing.knative.dev \"{Name}\" already exists");
        }

        var spec = (broker.Spec ?? new BrokerSpec()) is var s && s.Delivery is null ? s with { Delivery = DefaultDelivery } : s;
        if (spec.Delivery?.DeadLetterSink?.Ref is { Namespace: null } dlsRef)
        {
            spec = spec with { Delivery = spec.Delivery with { DeadLetterSink = spec.Delivery.DeadLetterSink with { Ref = dlsRef with { Namespace = Namespace } } } };
        }

        var specChanged = existing is null || !SpecComparer.Equal(existing.Spec, spec);
        var version = state.State.ResourceVersion + 1;
        state.State.Broker = new Broker
        {
            ApiVersion = EventingNames.ApiVersion,
            Kind = "Broker",
            Metadata = ResourceMeta.Stamp(meta, existing?.Metadata, Namespace, specChanged, version, time.GetUtcNow()),
            Spec = spec,
        };
        state.State.ResourceVersion = version;
        await state.WriteStateAsync();
        return new ApplyResult<Broker> { Outcome = existing is null ? ApplyOutcome.Created : ApplyOutcome.Updated, Value = await ViewAsync() };
    }

    /// <inheritdoc />
    public async Task<Broker?> GetAsync()
    {
        if (state.State.Broker is null)
        {
            return null;
        }

        if (_storeError is not null)
        {
            try
            {
                await store.GetHeadAsync(Key); // the store answers again: the next event may be kept
                _storeError = null;
            }
            catch (Exception e)
            {
                _storeError = e.Message;
            }
        }

        return await ViewAsync();
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync()
    {
        if (state.State.Broker is null)
        {
            return false;
        }

        state.State.Broker = null; // triggers stay registered: a broker re-created under the same name reaches them again
        await state.WriteStateAsync();
        return true;
    }

    /// <inheritdoc />
    public Task<IngestOutcome> IngestAsync(BrokerEvent cloudEvent) => StoreAsync([cloudEvent]);

    /// <inheritdoc />
    public Task<IngestOutcome> IngestBatchAsync(BrokerEvent[] events) => StoreAsync(events);

    private async Task<IngestOutcome> StoreAsync(BrokerEvent[] events)
    {
        if (state.State.Broker is null)
        {
            return IngestOutcome.BrokerNotFound;
        }

        if (events.Length == 0)
        {
            return IngestOutcome.Accepted;
        }

        try
        {
            var positions = await store.AppendBatchAsync(Key, events); // all or nothing
            _notifyHead = Math.Max(_notifyHead, positions.Length > 0 ? positions.Max() : 0);
            _storeError = null;
        }
        catch (Exception e)
        {
            LogStoreFailed(logger, Key, e);
            _storeError = e.Message;
            return IngestOutcome.StoreUnavailable;
        }

        if (!_notifyQueued)
        {
            _notifyQueued = true;
            _ = NotifySoonAsync();
        }

        return IngestOutcome.Accepted;
    }

    /// <inheritdoc />
    public async Task<long> CompactAsync()
    {
        var cursors = await Task.WhenAll(TriggerGrains().Select(t => t.GetCursorAsync()));
        var through = cursors.Length == 0 ? await store.GetHeadAsync(Key) : cursors.Min();
        var deleted = await store.TrimAsync(Key, through, options.Value.RetentionMaxEvents);
        if (deleted > 0)
        {
            LogCompacted(logger, Key, deleted, through);
        }

        return deleted;
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(CompactOnTimerAsync,
            new GrainTimerCreationOptions { DueTime = options.Value.CompactionPeriod, Period = options.Value.CompactionPeriod, Interleave = true });
        return Task.CompletedTask;
    }

    private async Task CompactOnTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CompactAsync();
        }
        catch (Exception e)
        {
            LogCompactionFailed(logger, Key, e);
        }
    }

    /// <summary>
    /// One wake-up for every event of a commit group: the appends of a group complete together, and yielding first lets
    /// them all return before the triggers are notified once (one-way).
    /// </summary>
    private async Task NotifySoonAsync()
    {
        await Task.Yield();
        _notifyQueued = false;
        foreach (var trigger in TriggerGrains())
        {
            _ = trigger.AppendedAsync(_notifyHead); // one-way
        }
    }

    private ITriggerGrain[] TriggerGrains() =>
        _triggerGrains ??= [.. state.State.Triggers.Select(t => GrainFactory.GetGrain<ITriggerGrain>(Namespace + "/" + t))];

    /// <inheritdoc />
    public async Task AddTriggerAsync(string triggerName)
    {
        if (!state.State.Triggers.Contains(triggerName))
        {
            state.State.Triggers.Add(triggerName);
            state.State.Triggers.Sort(StringComparer.Ordinal);
            _triggerGrains = null;
            await state.WriteStateAsync();
        }
    }

    /// <inheritdoc />
    public async Task RemoveTriggerAsync(string triggerName)
    {
        if (state.State.Triggers.Remove(triggerName))
        {
            _triggerGrains = null;
            await state.WriteStateAsync();
        }
    }

    private async Task<Broker> ViewAsync()
    {
        var broker = state.State.Broker!;
        var created = DateTimeOffset.Parse(broker.Metadata!.CreationTimestamp!, System.Globalization.CultureInfo.InvariantCulture);
        var (dls, dlsError) = broker.Spec?.Delivery?.DeadLetterSink is { } sink
            ? await DestinationResolver.ResolveAsync(GrainFactory, sink, Namespace, serving.Value.Domain, options.Value.IngressBaseUrl)
            : (null, null);
        List<Condition>? conditions = null;
        foreach (var type in new[] { "Addressable", "DeadLetterSinkResolved", "FilterReady", "IngressReady", "Ready", "TriggerChannelReady" })
        {
            var reason = type == "DeadLetterSinkResolved" && broker.Spec?.Delivery?.DeadLetterSink is null ? "DeadLetterSinkNotConfigured" : null;
            conditions = _storeError is not null && type is "Ready" or "TriggerChannelReady"
                ? ConditionSet.Set(conditions, type, ConditionStatus.False, ChannelNotReady, "the event store is unavailable: " + _storeError, created)
                : dlsError is not null && type is "Ready" or "DeadLetterSinkResolved"
                    ? ConditionSet.Set(conditions, type, ConditionStatus.False, DestinationResolver.DeadLetterSinkUnresolved, dlsError, created)
                    : ConditionSet.Set(conditions, type, ConditionStatus.True, reason, null, created);
        }

        return broker with
        {
            Status = new BrokerStatus
            {
                ObservedGeneration = broker.Metadata.Generation,
                Conditions = conditions,
                Address = new Addressable { Url = options.Value.IngressBaseUrl.TrimEnd('/') + "/" + Namespace + "/" + Name },
                DeadLetterSinkUri = dls?.Display,
            },
        };
    }

    /// <summary>Knative's reason when the broker's channel (for us: the event store) cannot take events.</summary>
    private const string ChannelNotReady = "ChannelNotReady";

    private static ApplyResult<Broker> Refuse(ApplyOutcome outcome, string message) => new() { Outcome = outcome, Message = message };

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Broker {BrokerKey}: compaction deleted {Deleted} events (all triggers finished through {Through}, or beyond Eventing:RetentionMaxEvents)")]
    private static partial void LogCompacted(ILogger logger, string brokerKey, long deleted, long through);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Broker {BrokerKey}: compaction failed; it runs again next period")]
    private static partial void LogCompactionFailed(ILogger logger, string brokerKey, Exception exception);

    [LoggerMessage(EventId = 4000, Level = LogLevel.Error, Message = "Broker {BrokerKey}: the event store refused an event; answered 503")]
    private static partial void LogStoreFailed(ILogger logger, string brokerKey, Exception exception);
}
