using Knative.Orleans.Contracts.Serving;
using Orleans.Concurrency;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>
/// A Trigger, keyed <c>{namespace}/{name}</c>: owns a persisted cursor over its broker's events and delivers the matching
/// ones to its subscriber, at least once, independently of every other trigger.
/// </summary>
[Alias("kn.ITriggerGrain")]
public interface ITriggerGrain : IGrainWithStringKey
{
    /// <summary>Validates and stores <paramref name="trigger"/>; a new trigger starts after the broker's newest event.</summary>
    [Alias("Apply")]
    Task<ApplyResult<Trigger>> ApplyAsync(Trigger trigger, ApplyMode mode, string user);

    /// <summary>The trigger with status, or null.</summary>
    [Alias("Get")]
    Task<Trigger?> GetAsync();

    /// <summary>Deletes the trigger and stops its delivery. False when absent.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync();

    /// <summary>New events may be waiting (a Service a delivery waited for was created; one-way).</summary>
    [OneWay, Alias("Notify")]
    Task NotifyAsync();

    /// <summary>
    /// New events were stored (sent by the broker once per commit group, one-way). <paramref name="readers"/> is how many
    /// triggers the broker wakes: each of them reads every event once, so an event's decoded form, shared by them in the
    /// silo, can be let go as soon as that many have read it.
    /// </summary>
    [OneWay, Alias("EventsStored")]
    Task EventsStoredAsync(int readers);

    /// <summary>Activates the trigger and resumes delivery from its cursor (sent at startup).</summary>
    [Alias("Resume")]
    Task ResumeAsync();

    /// <summary>The position of the last event this trigger finished (delivered, filtered out or dead-lettered).</summary>
    [Alias("GetCursor")]
    Task<long> GetCursorAsync();
}
