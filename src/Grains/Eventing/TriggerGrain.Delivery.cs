using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Delivery;
using Knative.Orleans.Grains.Eventing.Filters;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>The delivery loop: read after the cursor, filter, deliver with retries, dead-letter, then advance the cursor.</summary>
public sealed partial class TriggerGrain
{
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private bool _poked;
    private (long Generation, TriggerFilterEvaluator Filter)? _filter;
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

    private void Kick()
    {
        _poked = true;
        if (state.State.Trigger is not null && !_stopping.IsCancellationRequested && (_loop is null || _loop.IsCompleted))
        {
            _loop = RunAsync(_stopping.Token);
        }
    }

    private async Task StopLoopAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is { } loop)
        {
            await loop; // RunAsync never throws
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (_poked && !cancellationToken.IsCancellationRequested)
            {
                _poked = false;
                while (state.State.Trigger?.Spec is { } spec)
                {
                    var batch = await store.ReadAsync(BrokerKey(spec.Broker!), state.State.Cursor, options.Value.ReadBatchSize, cancellationToken);
                    if (batch.Count == 0)
                    {
                        break;
                    }

                    var broker = await GrainFactory.GetGrain<IBrokerGrain>(BrokerKey(spec.Broker!)).GetAsync();
                    foreach (var stored in batch)
                    {
                        if (state.State.Trigger?.Spec is not { } current)
                        {
                            return; // deleted meanwhile
                        }

                        DelayDeactivation(TimeSpan.FromMinutes(30)); // keep this activation (and its loop) while behind
                        if (!await DeliverAsync(stored, current, DeliveryPlan.Resolve(current.Delivery, broker?.Spec?.Delivery), cancellationToken))
                        {
                            return; // the subscriber is unresolved: wait here (the resync timer tries again)
                        }

                        state.State.Cursor = stored.Sequence;
                        await WriteAsync();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // deactivating: the cursor stays at the last finished event, so the next activation resumes there
        }
        catch (Exception e)
        {
            Log.LoopFailed(logger, Key, state.State.Cursor, e); // the resync timer starts a new loop
        }
    }

    /// <summary>Delivers one event; false (cursor stays) only when the subscriber cannot be resolved.</summary>
    private async Task<bool> DeliverAsync(StoredEvent stored, TriggerSpec spec, DeliveryPlan plan, CancellationToken cancellationToken)
    {
        var generation = state.State.Trigger!.Metadata!.Generation;
        if (_filter is not { } f || f.Generation != generation)
        {
            _filter = (generation, TriggerFilterEvaluator.Compile(spec));
        }

        var cloudEvent = CloudEventCodec.Decode(stored.Event.Payload);
        if (!_filter.Value.Filter.Matches(EventAttributes.From(cloudEvent)))
        {
            return true; // a non-match is a successful delivery: nothing is sent, retried or dead-lettered
        }

        var (target, unresolved) = await ResolveSubscriberAsync(spec);
        if (target is null)
        {
            Log.SubscriberUnresolved(logger, Key, unresolved!);
            return false;
        }

        var outgoing = DeliveryEvent.ForDelivery(stored.Event);
        var subscriber = target.Url;
        var request = new DispatchRequest(target.Target, outgoing, Namespace, PreferReply: true, plan.Timeout, target.Host);
        var (last, failedAt) = await WithRetriesAsync(() => AttemptWithReplyAsync(request, subscriber, stored, spec.Broker!, cloudEvent.Id, cancellationToken),
            subscriber, plan, cancellationToken);
        if (RetryClassifier.Classify(last.StatusCode) == AttemptOutcome.Success)
        {
            return true;
        }

        if (plan.DeadLetterSink is not { } dls)
        {
            Log.Dropped(logger, Key, cloudEvent.Id, last.StatusCode, "no dead letter sink");
            return true;
        }

        var dead = DeadLetter.Decorate(outgoing, failedAt, new DispatchOutcome(last.StatusCode, last.Body));
        var dlsRequest = new DispatchRequest(dls, dead, Namespace, PreferReply: false, plan.Timeout);
        var (dlsResult, _) = await WithRetriesAsync(async () => (await dispatcher.SendAsync(dlsRequest, cancellationToken), dls), dls, plan, cancellationToken);
        if (RetryClassifier.Classify(dlsResult.StatusCode) == AttemptOutcome.Success)
        {
            Log.DeadLettered(logger, Key, cloudEvent.Id, last.StatusCode);
        }
        else
        {
            Log.Dropped(logger, Key, cloudEvent.Id, dlsResult.StatusCode, "the dead letter sink failed too");
        }

        return true;
    }

    /// <summary>
    /// One attempt toward the subscriber, replies included (KNATIVE-NOTES §4.5): a 2xx whose body is not a CloudEvent counts
    /// as 502; a reply is stored in the broker (TTL exhausted: dropped, the delivery still succeeded) and a reply that
    /// cannot be stored fails the attempt as the broker's ingress would answer (404 no broker, 503 store), with the reply
    /// URL as the failed destination.
    /// </summary>
    private async Task<(DispatchResult Result, Uri FailedAt)> AttemptWithReplyAsync(DispatchRequest request, Uri subscriber, StoredEvent stored, string brokerName, string? eventId,
        CancellationToken cancellationToken)
    {
        var result = await dispatcher.SendAsync(request, cancellationToken);
        if (RetryClassifier.Classify(result.StatusCode) != AttemptOutcome.Success || result.StatusCode == 202)
        {
            return (result, subscriber); // 202 never carries a reply
        }

        if (result.ReplyError is { } error)
        {
            Log.BadReply(logger, Key, eventId, error);
            return (result with { StatusCode = 502, Error = error }, subscriber);
        }

        if (result.Reply is not { } reply)
        {
            return (result, subscriber);
        }

        if (ReplyEvent.Prepare(reply, stored.Event, time.GetUtcNow()) is not { } prepared)
        {
            Log.ReplyTtlExhausted(logger, Key, CloudEventCodec.Decode(reply.Payload).Id, eventId);
            return (result, subscriber);
        }

        var replyUrl = new Uri(options.Value.IngressBaseUrl.TrimEnd('/') + "/" + Namespace + "/" + brokerName);
        IngestOutcome outcome;
        try
        {
            outcome = await GrainFactory.GetGrain<IBrokerGrain>(BrokerKey(brokerName)).IngestAsync(prepared);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            outcome = IngestOutcome.StoreUnavailable;
        }

        return outcome switch
        {
            IngestOutcome.Accepted => (result, subscriber),
            IngestOutcome.BrokerNotFound => (new DispatchResult(404, [], "the reply could not be stored: the broker does not exist"), replyUrl),
            _ => (new DispatchResult(503, [], "the reply could not be stored: the event store is unavailable"), replyUrl),
        };
    }

    private async Task<(DispatchResult Result, Uri FailedAt)> WithRetriesAsync(Func<Task<(DispatchResult, Uri)>> attemptAsync, Uri target,
        DeliveryPlan plan, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (result, failedAt) = await attemptAsync();
            if (RetryClassifier.Classify(result.StatusCode) != AttemptOutcome.Retry || attempt >= plan.Retries)
            {
                return (result, failedAt);
            }

            var wait = Backoff.Wait(plan.Policy, plan.Delay, attempt + 1);
            Log.Retrying(logger, Key, target, result.StatusCode, result.Error, attempt + 1, wait);
            await Task.Delay(wait, time, cancellationToken);
        }
    }
}
