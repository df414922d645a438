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

    /// <summary>New events may be waiting (one-way): the trigger reads until a read finds nothing.</summary>
    [OneWay, Alias("Notify")]
    Task NotifyAsync();

    /// <summary>
    /// The broker appended events up to position <paramref name="head"/> (sent by the broker after each commit group,
    /// one-way): the trigger reads up to there and then waits for the next one, without a read that finds nothing.
    /// </summary>
    [OneWay, Alias("Appended")]
    Task AppendedAsync(long head);

    /// <summary>Activates the trigger and resumes delivery from its cursor (sent at startup).</summary>
    [Alias("Resume")]
    Task ResumeAsync();

    /// <summary>The position of the last event this trigger finished (delivered, filtered out or dead-lettered).</summary>
    [Alias("GetCursor")]
    Task<long> GetCursorAsync();
}
