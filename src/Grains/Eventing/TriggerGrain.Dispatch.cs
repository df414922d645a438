using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Delivery;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>One delivery: resolve the subscriber, send with retries, store a reply, then hand failures to the dead letter sink.</summary>
public sealed partial class TriggerGrain
{
    /// <summary>Delivers one matching event; false (it stays pending) only when the subscriber cannot be resolved.</summary>
    /// <remarks><paramref name="decodedEvent"/> comes from <see cref="DecodedEventCache"/>: shared with other triggers, never changed.</remarks>
    private async Task<bool> DeliverAsync(StoredEvent stored, DecodedEvent decodedEvent, TriggerSpec spec, DeliveryPlan plan,
        CancellationToken cancellationToken)
    {
        var (target, unresolved) = await SubscriberForDeliveryAsync(spec);
        if (target is null)
        {
            Log.SubscriberUnresolved(logger, Key, unresolved!);
            DestinationResolver.WakeWhenCreated(GrainFactory, spec.Subscriber!, Namespace, Key);
            return false;
        }

        var eventId = decodedEvent.Id;
        var subscriber = target.Url;
        var request = new DispatchRequest(target.Target, decodedEvent, Namespace, preferReply: true, plan.Timeout, target.Host); // sends decodedEvent.Http
        var first = await AttemptWithReplyAsync(request, subscriber, stored, spec.Broker!, eventId, cancellationToken);
        var (last, failedAt) = RetryLeft(first.Result, plan, attempt: 0)
            ? await RetryDeliveryAsync(first, request, subscriber, stored, spec.Broker!, eventId, plan, cancellationToken)
            : first;
        if (RetryClassifier.Classify(last.StatusCode) == AttemptOutcome.Success)
        {
            return true;
        }

        return await DeadLetterAsync(decodedEvent, failedAt, last, eventId, plan, cancellationToken);
    }

    /// <summary>
    /// The subscriber for deliveries, resolved at most once a second while events flow (a Service <c>ref</c> costs a grain
    /// call; Knative too resolves it when it reconciles, not per event) and again at once when the spec changes; a
    /// failed resolution is never kept, so a subscriber Service that appears is used by the next delivery.
    /// </summary>
    private ValueTask<(SubscriberTarget? Target, string? Error)> SubscriberForDeliveryAsync(TriggerSpec spec)
    {
        var now = time.GetUtcNow();
        return _subscriber is { } cached && IsFresh(cached.Generation, cached.At, now)
            ? ValueTask.FromResult<(SubscriberTarget?, string?)>((cached.Target, null))
            : new ValueTask<(SubscriberTarget?, string?)>(ResolveAndKeepAsync(spec, state.State.Trigger!.Metadata!.Generation, now));
    }

    private async Task<(SubscriberTarget? Target, string? Error)> ResolveAndKeepAsync(TriggerSpec spec, long generation, DateTimeOffset now)
    {
        var resolved = await ResolveSubscriberAsync(spec);
        _subscriber = resolved.Target is { } target ? (generation, now, target) : null;
        return resolved;
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

    /// <summary>Whether retry number <paramref name="attempt"/> + 1 follows <paramref name="last"/>: it asks for one and the plan has one left.</summary>
    private static bool RetryLeft(DispatchResult last, DeliveryPlan plan, int attempt) =>
        attempt < plan.Retries && RetryClassifier.Classify(last.StatusCode) == AttemptOutcome.Retry;

    // Apart so that a delivery that succeeds at once allocates no closure for the retries.
    private Task<(DispatchResult Result, Uri FailedAt)> RetryDeliveryAsync((DispatchResult, Uri) first, DispatchRequest request, Uri subscriber,
        StoredEvent stored, string brokerName, string? eventId, DeliveryPlan plan, CancellationToken cancellationToken) =>
        RetryAsync(first, () => AttemptWithReplyAsync(request, subscriber, stored, brokerName, eventId, cancellationToken), subscriber, plan, cancellationToken);

    /// <summary>
    /// The plan's retries after a first attempt (<paramref name="first"/>): while the last attempt asks for a retry and
    /// retries are left, wait the backoff and try again; the last attempt's result.
    /// </summary>
    private async Task<(DispatchResult Result, Uri FailedAt)> RetryAsync((DispatchResult Result, Uri FailedAt) first,
        Func<Task<(DispatchResult, Uri)>> attemptAsync, Uri target, DeliveryPlan plan, CancellationToken cancellationToken)
    {
        var (result, failedAt) = first;
        for (var attempt = 0; RetryLeft(result, plan, attempt); attempt++)
        {
            var wait = Backoff.Wait(plan.Policy, plan.Delay, attempt + 1);
            Log.Retrying(logger, Key, target, result.StatusCode, result.Error, attempt + 1, wait);
            await Task.Delay(wait, time, cancellationToken);
            (result, failedAt) = await attemptAsync();
        }

        return (result, failedAt);
    }
}
