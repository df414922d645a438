using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Delivery;
using Knative.Orleans.Grains.Eventing.Filters;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>The delivery loop: read after the cursor, filter, deliver with retries, dead-letter, then advance the cursor.</summary>
public sealed partial class TriggerGrain
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly SortedSet<long> _pending = [];
    private readonly HashSet<Task> _inflight = [];
    private Task? _loop;
    private const long CursorWriteInterval = 100; // ms
    private Task _saving = Task.CompletedTask;
    private long _lastCursorWrite;
    private TaskCompletionSource _signal = new();
    private bool _poked;
    private bool _readToEmpty; // poked by something other than an append (resync, resume, apply): read until a read is empty
    private long _knownHead; // the newest position the broker said it appended
    private bool _stalled;
    private long _readPosition;
    private (long Generation, TriggerFilterEvaluator Filter)? _filter;
    private (long Generation, DateTimeOffset At, DeliveryPlan Plan)? _plan;
    private (long Generation, DateTimeOffset At, SubscriberTarget Target)? _subscriber;
    private IGrainTimer? _resync;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _resync = this.RegisterGrainTimer(static self => { self.Kick(); return Task.CompletedTask; }, this,
            new GrainTimerCreationOptions { DueTime = TimeSpan.FromMilliseconds(50), Period = options.Value.ResyncPeriod });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _resync?.Dispose();
        await StopLoopAsync();
    }

    /// <summary>
    /// The position every event up to which is finished: just before the oldest event still in flight (or stalled on an
    /// unresolved subscriber), else the last event read. This is what the persisted cursor follows.
    /// </summary>
    private long Watermark => _pending.Count > 0 ? _pending.Min - 1 : _readPosition;

    private void Kick(bool readToEmpty = true)
    {
        _readToEmpty |= readToEmpty;
        _poked = true;
        _signal.TrySetResult();
        WakeDestinationWaiters();
        if (state.State.Trigger is not null && !_stopping.IsCancellationRequested && (_loop is null || _loop.IsCompleted))
        {
            _loop = RunAsync(_stopping.Token);
        }
    }

    private async Task StopLoopAsync()
    {
        await _stopping.CancelAsync();
        _signal.TrySetResult(); // a loop waiting on NextSignal sees the cancellation
        if (_loop is { } loop)
        {
            await loop; // RunAsync never throws
        }
    }

    /// <summary>
    /// Completes when a delivery finishes, the trigger is poked or the loop is stopped (the caller checks the token
    /// after): no cancellation registration per wait, <see cref="StopLoopAsync"/> completes the signal after cancelling.
    /// </summary>
    private Task NextSignal(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _signal = new TaskCompletionSource();
        return _signal.Task;
    }

    /// <summary>
    /// Reads batches after the last event read and starts a delivery for each matching event, with at most
    /// <see cref="TriggerDeliveryAnnotations.EffectiveParallelism"/> in flight (1 = ordered: the next event starts only
    /// when the previous one finished, retries included). The trigger holds at most one batch plus the events in flight.
    /// The cursor follows <see cref="Watermark"/>, written in the background (one write at a time) and at the end.
    /// </summary>
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        do
        {
            await RunOnceAsync(cancellationToken);
        }
        while (_poked && !_stalled && !cancellationToken.IsCancellationRequested); // poked while the cursor was written
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // Restart after the last finished event: events after a stalled one are delivered again (at least once).
        _readPosition = _pending.Count > 0 ? Watermark : Math.Max(_readPosition, state.State.Cursor);
        _pending.Clear();
        _stalled = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                _poked = false;
                while (!_stalled && state.State.Trigger?.Spec is { } spec)
                {
                    var batch = await store.ReadAsync(BrokerKey(spec.Broker!), _readPosition, options.Value.ReadBatchSize, cancellationToken);
                    if (batch.Count == 0)
                    {
                        _readToEmpty = false;
                        break;
                    }

                    DelayDeactivation(TimeSpan.FromMinutes(30)); // keep this activation (and its loop) while behind
                    var plan = await PlanAsync(spec);
                    var window = TriggerDeliveryAnnotations.EffectiveParallelism(state.State.Trigger.Metadata?.Annotations, options.Value.DeliveryParallelism);
                    foreach (var stored in batch)
                    {
                        while (_pending.Count >= window && !_stalled)
                        {
                            await NextSignal(cancellationToken);
                            cancellationToken.ThrowIfCancellationRequested();
                        }

                        if (_stalled || state.State.Trigger?.Spec is not { } current)
                        {
                            break; // stalled on an unresolved subscriber (the resync timer retries) or deleted meanwhile
                        }

                        var decodedEvent = decoded.Get(BrokerKey(current.Broker!), stored); // decoded once per silo for all triggers
                        _readPosition = stored.Sequence;
                        if (!Filter(current).Matches(decodedEvent.Attributes))
                        {
                            continue; // a non-match is a successful delivery: nothing is sent, retried or dead-lettered
                        }

                        _pending.Add(stored.Sequence);
                        var delivery = DeliverOneAsync(stored, decodedEvent, current, plan, cancellationToken);
                        if (!delivery.IsCompleted)
                        {
                            _inflight.Add(delivery);
                        }
                    }

                    SaveCursorInBackground();
                    if (!_readToEmpty && batch.Count < options.Value.ReadBatchSize && batch[^1].Sequence >= _knownHead)
                    {
                        break; // caught up with every append the broker told of; the next one pokes (no read that finds nothing)
                    }
                }

                // Deliveries still in flight: read again when poked (a slow event does not hold back the next ones), else
                // wait for them; the loop ends when nothing is in flight.
                while (!_poked || _stalled)
                {
                    _inflight.RemoveWhere(t => t.IsCompleted);
                    if (_inflight.Count == 0)
                    {
                        return; // the finally block writes the cursor
                    }

                    await NextSignal(cancellationToken);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // deactivating: the cursor stays at the last finished event, so the next activation resumes there
        }
        catch (Exception e)
        {
            Log.LoopFailed(logger, Key, Watermark, e); // the resync timer starts a new loop
        }
        finally
        {
            await Task.WhenAll(_inflight.ToList()); // DeliverOneAsync never throws
            await SaveCursorAsync();
        }
    }

    /// <summary>
    /// The delivery plan: the trigger's delivery, else the broker's, read from the broker grain at most once a second
    /// while events flow (a broker change applies within a second).
    /// </summary>
    private async Task<DeliveryPlan> PlanAsync(TriggerSpec spec)
    {
        var now = time.GetUtcNow();
        if (_plan is not { } cached || !IsFresh(cached.Generation, cached.At, now))
        {
            var broker = spec.Delivery is null ? await GrainFactory.GetGrain<IBrokerGrain>(BrokerKey(spec.Broker!)).GetAsync() : null;
            _plan = cached = (state.State.Trigger!.Metadata!.Generation, now, DeliveryPlan.Resolve(spec.Delivery, broker?.Spec?.Delivery));
        }

        return cached.Plan;
    }

    /// <summary>
    /// Whether something read from another grain (the broker's delivery spec, the subscriber) at <paramref name="at"/> for
    /// spec generation <paramref name="generation"/> is still used: same generation, at most a second old.
    /// </summary>
    private bool IsFresh(long generation, DateTimeOffset at, DateTimeOffset now) =>
        generation == state.State.Trigger!.Metadata!.Generation && now - at <= TimeSpan.FromSeconds(1);

    private TriggerFilterEvaluator Filter(TriggerSpec spec)
    {
        var generation = state.State.Trigger!.Metadata!.Generation;
        if (_filter is not { } f || f.Generation != generation)
        {
            _filter = (generation, TriggerFilterEvaluator.Compile(spec));
        }

        return _filter.Value.Filter;
    }

    private async Task DeliverOneAsync(StoredEvent stored, DecodedEvent decodedEvent, TriggerSpec spec, DeliveryPlan plan,
        CancellationToken cancellationToken)
    {
        var finished = false;
        try
        {
            finished = await DeliverAsync(stored, decodedEvent, spec, plan, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // deactivating: not finished, delivered again by the next activation
        }
        catch (Exception e)
        {
            Log.LoopFailed(logger, Key, stored.Sequence - 1, e);
        }

        if (finished)
        {
            _pending.Remove(stored.Sequence);
        }
        else
        {
            _stalled = true; // stays pending: the cursor stops before it
        }

        _inflight.RemoveWhere(t => t.IsCompleted);
        _signal.TrySetResult();
        SaveCursorInBackground();
    }

    /// <summary>
    /// Writes cursor progress while deliveries flow, at most once per <see cref="CursorWriteInterval"/> (each write is a
    /// durable grain-state write; a crash re-delivers at most that much more). The end of the loop writes at once.
    /// </summary>
    private void SaveCursorInBackground()
    {
        if (_saving.IsCompleted)
        {
            _saving = SaveCursorAsync(throttle: true);
        }
    }

    private async Task SaveCursorAsync(bool throttle = false)
    {
        try
        {
            while (state.State.Trigger is not null && Watermark > state.State.Cursor)
            {
                var wait = _lastCursorWrite + CursorWriteInterval - Environment.TickCount64;
                if (throttle && wait > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), _stopping.Token); // a rate limit on I/O, not a decision
                    continue;
                }

                state.State.Cursor = Watermark; // progress made during the write is written by the next turn
                await WriteAsync();
                _lastCursorWrite = Environment.TickCount64;
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // deactivating: the loop's end writes the cursor
        }
        catch (Exception e)
        {
            Log.LoopFailed(logger, Key, state.State.Cursor, e); // written again after the next delivery
        }
    }
}
