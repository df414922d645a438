using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Grains.Eventing.Delivery;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>Dead-lettering: after the last failed attempt the original event goes to the dead letter sink, or is dropped.</summary>
public sealed partial class TriggerGrain
{
    // Completed (and replaced) by every Kick: a Service created (ServiceWaitersGrain), a new event, the resync timer.
    private TaskCompletionSource _destinationsChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void WakeDestinationWaiters()
    {
        var woken = _destinationsChanged;
        _destinationsChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        woken.TrySetResult();
    }

    /// <summary>
    /// Sends the decorated original to the dead letter sink with the plan's retries (KNATIVE-NOTES §4.4); true when the
    /// event is finished (dead-lettered, or dropped and counted).
    /// </summary>
    private async Task<bool> DeadLetterAsync(DecodedEvent decodedEvent, Uri failedAt, DispatchResult last, string? eventId, DeliveryPlan plan,
        CancellationToken cancellationToken)
    {
        if (plan.DeadLetterSink is not { } destination)
        {
            Log.Dropped(logger, Key, eventId, last.StatusCode, "no dead letter sink");
            DroppedCounter.Add(1, new KeyValuePair<string, object?>("trigger", Key), new KeyValuePair<string, object?>("reason", "no_dead_letter_sink"));
            return true;
        }

        var dls = await WaitForDeadLetterSinkAsync(destination, eventId, cancellationToken);
        var dead = DeadLetter.Decorate(decodedEvent.DecodeOutgoing(), decodedEvent.Stored.Mode, failedAt, new DispatchOutcome(last.StatusCode, last.Body));
        var dlsRequest = new DispatchRequest(dls.Target, dead, Namespace, preferReply: false, plan.Timeout, dls.Host);
        var first = (await dispatcher.SendAsync(dlsRequest, cancellationToken), dls.Url);
        var (dlsResult, _) = await RetryAsync(first, async () => (await dispatcher.SendAsync(dlsRequest, cancellationToken), dls.Url), dls.Url, plan, cancellationToken);
        if (RetryClassifier.Classify(dlsResult.StatusCode) == AttemptOutcome.Success)
        {
            Log.DeadLettered(logger, Key, eventId, last.StatusCode);
            DeadLetteredCounter.Add(1, new KeyValuePair<string, object?>("trigger", Key));
        }
        else
        {
            Log.Dropped(logger, Key, eventId, dlsResult.StatusCode, "the dead letter sink failed too");
            DroppedCounter.Add(1, new KeyValuePair<string, object?>("trigger", Key), new KeyValuePair<string, object?>("reason", "dead_letter_sink_failed"));
        }

        return true;
    }

    /// <summary>
    /// The dead letter sink's target. While it is a <c>ref</c> to a Service that does not exist, the event waits in flight
    /// (it holds the cursor back, so a restart delivers it again rather than losing it) and is resolved again on every
    /// wake-up: the Service's creation (<see cref="IServiceWaitersGrain"/>), a new event, or the resync timer.
    /// </summary>
    private async Task<SubscriberTarget> WaitForDeadLetterSinkAsync(Destination destination, string? eventId, CancellationToken cancellationToken)
    {
        for (var logged = false; ; logged = true)
        {
            var woken = _destinationsChanged.Task;
            var (target, error) = await ResolveAsync(destination);
            if (target is not null)
            {
                return target;
            }

            if (!logged)
            {
                Log.DeadLetterSinkUnresolved(logger, Key, eventId, error!);
            }

            DestinationResolver.WakeWhenCreated(GrainFactory, destination, Namespace, Key);
            await woken.WaitAsync(cancellationToken);
        }
    }
}
