using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Eventing.Delivery;
using Knative.Orleans.Grains.Eventing.Filters;
using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Grains.Serving;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>
/// A Trigger: its spec and a persisted cursor over its broker's events. Delivery runs in a loop owned by this activation
/// (<see cref="TriggerGrain"/>.Delivery.cs) that the broker wakes after each accepted event, a resync timer wakes
/// periodically, and activation starts, so a restarted platform resumes from the cursor.
/// </summary>
[GrainType("trigger")]
public sealed partial class TriggerGrain(
    [PersistentState("trigger", "store")] IPersistentState<TriggerState> state,
    IEventStore store,
    IEventDispatcher dispatcher,
    DecodedEventCache decoded,
    IOptions<EventingOptions> options,
    IOptions<ServingOptions> serving,
    TimeProvider time,
    ILogger<TriggerGrain> logger) : Grain, ITriggerGrain
{
    // The delivery loop interleaves with grain calls at its awaits, so both write through this one gate (one write at a time).
    private readonly SemaphoreSlim _writes = new(1, 1);

    private string? _key;
    private string? _namespace;
    private string? _name;

    private string Key => _key ??= this.GetPrimaryKeyString();

    private string Namespace => _namespace ??= Key[..Key.IndexOf('/', StringComparison.Ordinal)];

    private string Name => _name ??= Key[(Key.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <inheritdoc />
    public async Task<ApplyResult<Trigger>> ApplyAsync(Trigger trigger, ApplyMode mode, string user)
    {
        var meta = trigger.Metadata ?? new Contracts.Meta.ObjectMeta();
        if (meta.Name != Name || (meta.Namespace ?? Namespace) != Namespace)
        {
            return Refuse(ApplyOutcome.Invalid, $"the name/namespace of the object ({meta.Namespace}/{meta.Name}) does not match the key {Key}");
        }

        var existing = state.State.Trigger;
        if (existing is not null && mode == ApplyMode.Create)
        {
            return Refuse(ApplyOutcome.AlreadyExists, $"triggers.eventing.knative.dev \"{Name}\" already exists");
        }

        var errors = TriggerValidation.Validate(trigger, TriggerFilterEvaluator.CesqlParseError, existing);
        if (!errors.IsEmpty)
        {
            return Refuse(ApplyOutcome.Invalid, "validation failed: " + errors);
        }

        var spec = trigger.Spec!;
        spec = spec.Filter is null && spec.Filters is null ? spec with { Filter = new TriggerFilter() } : spec;
        if (spec.Subscriber?.Ref is { Namespace: null } reference)
        {
            spec = spec with { Subscriber = spec.Subscriber with { Ref = reference with { Namespace = Namespace } } };
        }

        if (spec.Delivery?.DeadLetterSink?.Ref is { Namespace: null } dlsRef)
        {
            spec = spec with { Delivery = spec.Delivery with { DeadLetterSink = spec.Delivery.DeadLetterSink with { Ref = dlsRef with { Namespace = Namespace } } } };
        }

        var labels = new Dictionary<string, string>(meta.Labels ?? []) { [EventingNames.BrokerLabel] = spec.Broker! };
        var specChanged = existing is null || !SpecComparer.Equal(existing.Spec, spec);
        var version = state.State.ResourceVersion + 1;
        if (existing is null)
        {
            // A new trigger sees the events that arrive after it, as in Knative.
            state.State.Cursor = await store.GetHeadAsync(BrokerKey(spec.Broker!));
        }

        state.State.Trigger = new Trigger
        {
            ApiVersion = EventingNames.ApiVersion,
            Kind = "Trigger",
            Metadata = ResourceMeta.Stamp(meta with { Labels = labels }, existing?.Metadata, Namespace, specChanged, version, time.GetUtcNow()),
            Spec = spec,
        };
        state.State.ResourceVersion = version;
        _filter = null;
        await WriteAsync();
        await GrainFactory.GetGrain<IBrokerGrain>(BrokerKey(spec.Broker!)).AddTriggerAsync(Name);
        Kick();
        return new ApplyResult<Trigger> { Outcome = existing is null ? ApplyOutcome.Created : ApplyOutcome.Updated, Value = await ViewAsync() };
    }

    /// <inheritdoc />
    public async Task<Trigger?> GetAsync() => state.State.Trigger is null ? null : await ViewAsync();

    /// <inheritdoc />
    public async Task<bool> DeleteAsync()
    {
        if (state.State.Trigger is not { } trigger)
        {
            return false;
        }

        await StopLoopAsync();
        await GrainFactory.GetGrain<IBrokerGrain>(BrokerKey(trigger.Spec!.Broker!)).RemoveTriggerAsync(Name);
        await _writes.WaitAsync();
        try
        {
            await state.ClearStateAsync();
            state.State = new TriggerState();
        }
        finally
        {
            _writes.Release();
        }

        DeactivateOnIdle();
        return true;
    }

    /// <inheritdoc />
    public Task NotifyAsync()
    {
        Kick();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AppendedAsync(long head)
    {
        _knownHead = Math.Max(_knownHead, head);
        Kick(readToEmpty: false);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ResumeAsync()
    {
        Kick();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<long> GetCursorAsync() => Task.FromResult(state.State.Cursor);

    private string BrokerKey(string broker) => Namespace + "/" + broker;

    private async Task<Trigger> ViewAsync()
    {
        var trigger = state.State.Trigger!;
        var broker = await GrainFactory.GetGrain<IBrokerGrain>(BrokerKey(trigger.Spec!.Broker!)).GetAsync();
        var created = DateTimeOffset.Parse(trigger.Metadata!.CreationTimestamp!, System.Globalization.CultureInfo.InvariantCulture);
        var delivery = trigger.Spec.Delivery ?? broker?.Spec?.Delivery;
        var (subscriber, unresolved) = await ResolveSubscriberAsync(trigger.Spec);
        var (deadLetterSink, dlsUnresolved) = delivery?.DeadLetterSink is { } dls ? await ResolveAsync(dls) : (null, null);
        var conditions = ConditionSet.Set(null, "BrokerReady", broker is null ? ConditionStatus.False : ConditionStatus.True,
            broker is null ? "BrokerDoesNotExist" : null, broker is null ? $"Broker \"{trigger.Spec.Broker}\" does not exist" : null, created);
        conditions = ConditionSet.Set(conditions, "SubscriberResolved", unresolved is null ? ConditionStatus.True : ConditionStatus.False,
            unresolved is null ? null : DestinationResolver.SubscriberUnresolved, unresolved, created);
        conditions = ConditionSet.Set(conditions, "SubscriptionReady", ConditionStatus.True, null, null, created);
        conditions = dlsUnresolved is not null
            ? ConditionSet.Set(conditions, "DeadLetterSinkResolved", ConditionStatus.False, DestinationResolver.DeadLetterSinkUnresolved, dlsUnresolved, created)
            : ConditionSet.Set(conditions, "DeadLetterSinkResolved", ConditionStatus.True,
                delivery?.DeadLetterSink is null ? "DeadLetterSinkNotConfigured" : null, null, created);
        conditions = broker is null
            ? ConditionSet.Set(conditions, "Ready", ConditionStatus.False, "BrokerDoesNotExist", $"Broker \"{trigger.Spec.Broker}\" does not exist", created)
            : unresolved is not null
                ? ConditionSet.Set(conditions, "Ready", ConditionStatus.False, DestinationResolver.SubscriberUnresolved, unresolved, created)
                : dlsUnresolved is not null
                    ? ConditionSet.Set(conditions, "Ready", ConditionStatus.False, DestinationResolver.DeadLetterSinkUnresolved, dlsUnresolved, created)
                    : ConditionSet.Set(conditions, "Ready", ConditionStatus.True, null, null, created);
        return trigger with
        {
            Status = new TriggerStatus
            {
                ObservedGeneration = trigger.Metadata.Generation,
                Conditions = conditions,
                SubscriberUri = subscriber?.Display,
                DeadLetterSinkUri = deadLetterSink?.Display,
            },
        };
    }

    /// <summary>
    /// The subscriber's target, or Knative's message when its Knative Service does not exist (nothing is delivered then).
    /// </summary>
    private Task<(SubscriberTarget? Target, string? Error)> ResolveSubscriberAsync(TriggerSpec spec) => ResolveAsync(spec.Subscriber!);

    /// <summary>A subscriber or dead letter sink (<see cref="DestinationResolver"/>).</summary>
    private Task<(SubscriberTarget? Target, string? Error)> ResolveAsync(Destination destination) =>
        DestinationResolver.ResolveAsync(GrainFactory, destination, Namespace, serving.Value.Domain, options.Value.IngressBaseUrl);

    private async Task WriteAsync()
    {
        await _writes.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _writes.Release();
        }
    }

    private static ApplyResult<Trigger> Refuse(ApplyOutcome outcome, string message) => new() { Outcome = outcome, Message = message };
}
