using Knative.Orleans.Contracts.Serving;

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
    /// event is in the store.
    /// </summary>
    [Alias("Ingest")]
    Task<IngestOutcome> IngestAsync(BrokerEvent cloudEvent);

    /// <summary>Registers a trigger (by name) to be woken after each accepted event; idempotent.</summary>
    [Alias("AddTrigger")]
    Task AddTriggerAsync(string triggerName);

    /// <summary>Unregisters a trigger; idempotent.</summary>
    [Alias("RemoveTrigger")]
    Task RemoveTriggerAsync(string triggerName);
}
