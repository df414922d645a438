using Knative.Orleans.Contracts.Serving;
using Orleans.Concurrency;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>A Broker, keyed <c>{namespace}/{name}</c>: its spec, its triggers, and the door to its event store.</summary>
[Alias("kn.IBrokerGrain")]
public interface IBrokerGrain : IGrainWithStringKey
{
    /// <summary>Validates, defaults and stores <paramref name="broker"/>.</summary>
    [Alias("Apply")]
    Task<ApplyResult<Broker>> ApplyAsync(Broker broker, ApplyMode mode, string user);

    /// <summary>The broker with status, or null.</summary>
    [Alias("Get")]
    Task<Broker?> GetAsync();

    /// <summary>Deletes the broker (its stored events stay; its triggers stop receiving new ones). False when absent.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();

    /// <summary>
    /// Stores one event durably and then wakes the broker's triggers. <see cref="IngestOutcome.Accepted"/> only once the
    /// event is in the store. Interleaves with every other call (it only reads the grain's state), so concurrent events
    /// reach the store together and share one commit (group commit).
    /// </summary>
    [AlwaysInterleave, Alias("Ingest")]
    Task<IngestOutcome> IngestAsync(BrokerEvent cloudEvent);

    /// <summary>
    /// Stores several events durably, all or nothing, in the order given (their positions increase in that order), then
    /// wakes the broker's triggers once. <see cref="IngestOutcome.Accepted"/> only once every event is in the store;
    /// <see cref="IngestOutcome.StoreUnavailable"/> means none of them was kept. The gateway's ingress coalesces the
    /// requests waiting for one broker into such batches. Interleaves like <see cref="IngestAsync"/>.
    /// </summary>
    [AlwaysInterleave, Alias("IngestBatch")]
    Task<IngestOutcome> IngestBatchAsync(BrokerEvent[] events);

    /// <summary>
    /// Compaction and retention: deletes the stored events every trigger of the broker has finished, and the oldest beyond
    /// <c>Eventing:RetentionMaxEvents</c>. Runs every <c>Eventing:CompactionPeriod</c> while the broker is active. Returns
    /// how many events were deleted.
    /// </summary>
    [Alias("Compact")]
    Task<long> CompactAsync();

    /// <summary>Registers a trigger (by name) to be woken after each accepted event; idempotent.</summary>
    [Alias("AddTrigger")]
    Task AddTriggerAsync(string triggerName);

    /// <summary>Unregisters a trigger; idempotent.</summary>
    [Alias("RemoveTrigger")]
    Task RemoveTriggerAsync(string triggerName);
}
