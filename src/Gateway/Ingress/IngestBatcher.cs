using Knative.Orleans.Contracts.Eventing;

namespace Knative.Orleans.Gateway.Ingress;

/// <summary>
/// Coalesces the ingress requests waiting for one broker into batches: at most <c>maxInFlight</c> broker calls are in
/// flight; while they are, arriving events wait, and the next call takes every waiting event (up to <c>maxBatch</c>, in
/// arrival order). An idle broker gets each event at once in a batch of one, so batching adds no wait when it is idle;
/// under load one grain call and one store commit carry many events. Every event's task completes with its batch's
/// outcome only after the call answered (the broker stores a batch all or nothing), or fails with the call's exception.
/// <para>
/// A call unanswered after <c>callLimit</c> (real time) fails its events and frees its slot, so a call stuck on a dead
/// silo (Orleans answers only after its 30 s ResponseTimeout) does not hold back the events behind it: the next batch
/// reaches the broker's new activation.
/// </para>
/// An idle batcher whose last call did not store (unknown broker, failed store) retires (see <see cref="TryIngest"/>), so
/// requests to made-up paths leave nothing behind.
/// </summary>
internal sealed class IngestBatcher(Func<BrokerEvent[], Task<IngestOutcome>> send, TimeSpan callLimit, Action<IngestBatcher> retired,
    int maxInFlight = 2, int maxBatch = 256)
{
    private readonly object _lock = new();
    private readonly Queue<Waiting> _waiting = new();
    private int _inFlight;
    private bool _retired;

    /// <summary>
    /// Queues <paramref name="cloudEvent"/>; the task completes with its batch's outcome. Null when this batcher retired
    /// (the caller takes a new one).
    /// </summary>
    public Task<IngestOutcome>? TryIngest(BrokerEvent cloudEvent)
    {
        var waiting = new Waiting(cloudEvent, new TaskCompletionSource<IngestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        Waiting[] batch;
        lock (_lock)
        {
            if (_retired)
            {
                return null;
            }

            _waiting.Enqueue(waiting);
            if (_inFlight >= maxInFlight)
            {
                return waiting.Done.Task; // sent by the call that finishes first
            }

            _inFlight++;
            batch = TakeBatch();
        }

        _ = SendAsync(batch);
        return waiting.Done.Task;
    }

    private Waiting[] TakeBatch()
    {
        var batch = new Waiting[Math.Min(_waiting.Count, maxBatch)];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = _waiting.Dequeue();
        }

        return batch;
    }

    /// <summary>Sends <paramref name="batch"/>, then keeps the slot for the events that queued meanwhile.</summary>
    private async Task SendAsync(Waiting[] batch)
    {
        while (true)
        {
            var events = new BrokerEvent[batch.Length];
            for (var i = 0; i < batch.Length; i++)
            {
                events[i] = batch[i].Event;
            }

            IngestOutcome outcome = default;
            Exception? error = null;
            try
            {
                outcome = await send(events).WaitAsync(callLimit, TimeProvider.System);
            }
            catch (Exception e)
            {
                error = e;
            }

            foreach (var waiting in batch)
            {
                if (error is null)
                {
                    waiting.Done.TrySetResult(outcome);
                }
                else
                {
                    waiting.Done.TrySetException(error);
                }
            }

            lock (_lock)
            {
                if (_waiting.Count > 0)
                {
                    batch = TakeBatch();
                    continue;
                }

                _inFlight--;
                if (_inFlight > 0 || (error is null && outcome == IngestOutcome.Accepted))
                {
                    return;
                }

                _retired = true;
            }

            retired(this);
            return;
        }
    }

    private sealed record Waiting(BrokerEvent Event, TaskCompletionSource<IngestOutcome> Done);
}
